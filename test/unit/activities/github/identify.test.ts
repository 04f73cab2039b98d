import {
  createGitHubActivities,
  createGitHubClient,
  type GitHubActivities,
  type RepoLockfileScan,
  type RepoRef,
} from '../../../../activities/github';
import { generateOrg, startGitHubSandbox, type GitHubSandbox } from '../../../../sandbox/github';
import { exposedFiles, mastraAdvisory, total } from './fixtures';

const TOKEN = 'ghs_identify';

// 200 ordinary repositories in six lockfile formats plus a 2,000-file monorepo whose recursive tree is truncated.
const { spec, truth } = generateOrg({ repos: 200, giantRepoFiles: 2000 });
const advisory = mastraAdvisory();

let sandbox: GitHubSandbox;
let activities: GitHubActivities;
let repos: RepoRef[];
let listCalls: Record<string, number>;
let scans: RepoLockfileScan[];

const names = (list: Array<{ repo: string }>) => list.map((x) => x.repo.replace(/^acme\//, '')).sort();
const exposedRepoRefs = () => repos.filter((r) => truth.exposedRepos.includes(r.name));

beforeAll(async () => {
  sandbox = await startGitHubSandbox({ org: spec, tokens: [TOKEN] });
  activities = createGitHubActivities({ octokit: createGitHubClient({ token: TOKEN, baseUrl: sandbox.url }) });
  ({ repos, apiCalls: listCalls } = await activities.githubListOrgRepos({ org: 'acme' }));
  scans = await Promise.all(
    repos.map((r) =>
      activities.githubScanLockfiles({
        owner: r.owner,
        repo: r.name,
        ref: r.defaultBranch,
        packages: advisory.packages,
      }),
    ),
  );
});

afterAll(async () => {
  await sandbox.stop();
});

afterEach(() => {
  // Every request the activities made is one GitHub's OpenAPI description allows, and every answer conforms.
  expect(sandbox.validationFailures).toEqual([]);
});

describe('identify installs over a 201-repository organisation', () => {
  it('lists every repository, following link pagination (100 per page: 3 requests)', () => {
    expect(repos.map((r) => r.name).sort()).toEqual([...truth.repos].sort());
    expect(listCalls).toEqual({ 'org:acme': 3 });
  });

  it('returns exactly the seeded exposed lockfiles, as cordon’s parsers read them', () => {
    const expected = truth.exposed.map((e) => `${e.repo}/${e.path}`).sort();
    expect(expected.length).toBeGreaterThanOrEqual(11);
    expect(exposedFiles(scans, advisory.bad)).toEqual(expected);
  });

  it('returns texts only for lockfiles that mention an advisory package: the exposed ones and the near misses', () => {
    const returned = scans.flatMap((s) => s.lockfiles.map((l) => `${s.repo.replace(/^acme\//, '')}/${l.path}`)).sort();
    const expected = [...truth.exposed, ...truth.nearMisses].map((e) => `${e.repo}/${e.path}`).sort();
    expect(returned).toEqual(expected);
  });

  it('skips other ecosystems without reading them and accounts for every lockfile it did not return', () => {
    const seen = scans
      .flatMap((s) => [...s.lockfiles, ...s.skipped].map((l) => `${s.repo.replace(/^acme\//, '')}/${l.path}`))
      .sort();
    expect(seen).toEqual(truth.lockfiles.map((l) => `${l.repo}/${l.path}`).sort());
    const skippedPython = scans.flatMap((s) => s.skipped.filter((k) => k.ecosystem !== 'npm'));
    expect(skippedPython.length).toBeGreaterThan(0);
    expect(skippedPython.every((k) => k.reason === 'other-ecosystem')).toBe(true);
  });

  it('walks a truncated tree only where the cut left it incomplete, and still finds the lockfile past the cut', () => {
    const giant = scans.find((s) => s.repo === 'acme/monorepo');
    expect(giant?.truncatedTree).toBe(true);
    expect(giant?.lockfiles.map((l) => l.path)).toEqual(['services/zz-payments/pnpm-lock.yaml']);
    // 1 truncated recursive tree + ≤4 re-listed ancestors (root, packages, pkg-NNN, src) + one recursive request per
    // unreached sibling (≤20 packages + services) + 2 blob reads.
    expect(total(giant?.apiCalls ?? {})).toBeLessThanOrEqual(27);
  });

  it('reports API calls per repository: one tree, one read per lockfile read, one SBOM when consulted', () => {
    for (const s of scans.filter((x) => !x.truncatedTree)) {
      const reads = s.lockfiles.length + s.skipped.filter((k) => k.reason === 'no-mention').length;
      expect([s.repo, s.apiCalls]).toEqual([s.repo, { [s.repo]: 1 + reads + (s.sbom === 'unused' ? 0 : 1) }]);
      // No generated repository has more than two lockfiles of the advisory's ecosystem.
      expect(total(s.apiCalls)).toBeLessThanOrEqual(4);
    }
    const all = scans.reduce((n, s) => n + total(s.apiCalls), 0);
    expect(all / scans.length).toBeLessThan(2);
  });

  it('returns lockfile texts byte for byte, as seeded', () => {
    for (const s of scans) {
      const files = spec.repos?.find((r) => `acme/${r.name}` === s.repo)?.files ?? {};
      for (const l of s.lockfiles) expect(l.text).toBe(files[l.path]);
    }
  });

  it('finds every lockfile when no advisory narrows the scan', async () => {
    const full = await Promise.all(
      repos.map((r) => activities.githubScanLockfiles({ owner: r.owner, repo: r.name, ref: r.defaultBranch })),
    );
    const paths = full.flatMap((s) => s.lockfiles.map((l) => `${s.repo.replace(/^acme\//, '')}/${l.path}`)).sort();
    expect(paths).toEqual(truth.lockfiles.map((l) => `${l.repo}/${l.path}`).sort());
    expect(full.every((s) => s.skipped.length === 0 && s.sbom === 'unused')).toBe(true);
  });

  it('lists the Actions runs of exposed repositories created inside the exposure window (inclusive)', async () => {
    const result = await activities.githubListRunsInWindow({
      repos: exposedRepoRefs().map((r) => ({ owner: r.owner, name: r.name })),
      since: truth.window.since,
      until: truth.window.until,
    });
    const got = Object.fromEntries(
      result.repos.map((r) => [r.repo.replace(/^acme\//, ''), r.runs.map((x) => x.id).sort((a, b) => a - b)]),
    );
    expect(got).toEqual(Object.fromEntries(truth.exposedRepos.map((n) => [n, truth.runsInWindow[n]])));
    expect(names(result.repos)).toEqual([...truth.exposedRepos].sort());
    // One search page per repository: each window holds far fewer than 100 runs.
    expect(Object.values(result.apiCalls).every((n) => n === 1)).toBe(true);
  });

  it('tells, per run, whether its job ran on a self-hosted runner (one jobs request per run)', async () => {
    const exposed = exposedRepoRefs().map((r) => ({ owner: r.owner, name: r.name }));
    const result = await activities.githubListRunsInWindow({ repos: exposed, ...truth.window, withJobs: true });
    const selfHosted = Object.fromEntries(
      result.repos.map((r) => [
        r.repo.replace(/^acme\//, ''),
        r.runs
          .filter((x) => x.jobs?.some((j) => j.selfHosted))
          .map((x) => x.id)
          .sort((a, b) => a - b),
      ]),
    );
    expect(selfHosted).toEqual(Object.fromEntries(truth.exposedRepos.map((n) => [n, truth.selfHostedRunsInWindow[n]])));
    expect(Object.values(selfHosted).flat().length).toBeGreaterThan(0);
    for (const r of result.repos) {
      expect(result.apiCalls[r.repo]).toBe(1 + r.runs.length);
    }
  });

  it('lists self-hosted runners of the organisation and of the exposed repositories', async () => {
    const result = await activities.githubListSelfHostedRunners({
      org: 'acme',
      repos: exposedRepoRefs().map((r) => ({ owner: r.owner, name: r.name })),
    });
    expect(result.runners.filter((r) => r.scope === 'org').map((r) => r.id)).toEqual(
      truth.selfHostedRunners.org.map((r) => r.id),
    );
    const repoRunners = Object.fromEntries(
      truth.exposedRepos
        .filter((n) => truth.selfHostedRunners.repos[n])
        .map((n) => [`acme/${n}`, truth.selfHostedRunners.repos[n]?.map((r) => r.id)]),
    );
    const got: Record<string, number[]> = {};
    for (const r of result.runners.filter((x) => x.scope !== 'org')) (got[r.scope] ??= []).push(r.id);
    expect(got).toEqual(repoRunners);
    expect(result.apiCalls['org:acme']).toBe(1);
  });

  it('lists the secret names exposed runs could read: repository, environment, and visible organisation secrets', async () => {
    const exposed = exposedRepoRefs();
    const result = await activities.githubListSecretNames({
      org: 'acme',
      repos: exposed.map((r) => ({ owner: r.owner, name: r.name, visibility: r.visibility })),
    });
    const got = Object.fromEntries(
      result.repos.map((r) => [
        r.repo.replace(/^acme\//, ''),
        {
          repo: r.repository,
          environments: Object.fromEntries(r.environments.map((e) => [e.name, e.secrets])),
          org: r.organization,
        },
      ]),
    );
    expect(got).toEqual(Object.fromEntries(truth.exposedRepos.map((n) => [n, truth.secretNames[n]])));
    expect(result.organization.map((s) => s.name)).toEqual(['ORG_NPM_TOKEN', 'RELEASE_PAT', 'SLACK_WEBHOOK_URL']);
    // Names only: nothing in the result could be a secret value.
    expect(JSON.stringify(result)).not.toMatch(/encrypted_value|"value"/);
    // Org: list + the one `selected` secret's repositories. Each repository: secrets, environments, one per environment.
    expect(result.apiCalls['org:acme']).toBe(2);
    for (const r of result.repos) expect(result.apiCalls[r.repo]).toBe(2 + r.environments.length);
  });
});
