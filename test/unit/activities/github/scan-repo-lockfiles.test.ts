import { ApplicationFailure } from '@temporalio/common';
import {
  countApiCalls,
  createGitHubActivities,
  createGitHubClient,
  GitHubFailureType,
  lockfileEcosystem,
  parsePurl,
  type GitHubActivities,
} from '../../../../activities/github';
import { startGitHubSandbox, type GitHubSandbox, type OrgSpec } from '../../../../sandbox/github';
import { mastraAdvisory } from './fixtures';

const TOKEN = 'ghs_scan';
const advisory = mastraAdvisory();
const lock = (pkgs: string[]) =>
  JSON.stringify({ lockfileVersion: 3, packages: Object.fromEntries(pkgs.map((p) => [`node_modules/${p}`, {}])) });
const twoLockfiles = {
  'package-lock.json': lock(['lodash']),
  'apps/web/yarn.lock': '# yarn lockfile v1\nlodash@^4:\n  version "4.17.21"\n',
};

const ORG: OrgSpec = {
  name: 'acme',
  repos: [
    {
      name: 'sbom-clean',
      files: twoLockfiles,
      dependencyGraph: { packages: [{ ecosystem: 'npm', name: 'lodash', version: '4.17.21' }] },
    },
    {
      name: 'sbom-mentions',
      files: { ...twoLockfiles, 'package-lock.json': lock(['@mastra/core']) },
      dependencyGraph: { packages: [{ ecosystem: 'npm', name: '@mastra/core', version: '1.42.1' }] },
    },
    { name: 'sbom-off', files: twoLockfiles },
    {
      name: 'with-bun',
      files: { ...twoLockfiles, 'bun.lock': '{"lockfileVersion":1,"packages":{"easy-day-js":[]}}' },
      dependencyGraph: { packages: [] },
    },
    {
      name: 'vendored',
      files: { 'package-lock.json': lock([]), 'node_modules/x/package-lock.json': lock(['@mastra/core']) },
    },
    { name: 'empty' },
  ],
};

let sandbox: GitHubSandbox;
let activities: GitHubActivities;

beforeEach(async () => {
  sandbox = await startGitHubSandbox({ org: ORG, tokens: [TOKEN] });
  activities = createGitHubActivities({ octokit: createGitHubClient({ token: TOKEN, baseUrl: sandbox.url }) });
});

afterEach(async () => {
  expect(sandbox.validationFailures).toEqual([]);
  await sandbox.stop();
});

const scan = (repo: string) =>
  activities.githubScanLockfiles({ owner: 'acme', repo, ref: 'main', packages: advisory.packages });

describe('lockfile scan', () => {
  it('lets a clean SBOM vouch for two lockfiles: 2 requests instead of 3', async () => {
    const result = await scan('sbom-clean');
    expect(result).toMatchObject({ sbom: 'clean', lockfiles: [] });
    expect(result.skipped.map((s) => [s.path, s.reason])).toEqual([
      ['apps/web/yarn.lock', 'sbom-clean'],
      ['package-lock.json', 'sbom-clean'],
    ]);
    expect(result.apiCalls).toEqual({ 'acme/sbom-clean': 2 });
  });

  it('reads the lockfiles when the SBOM lists an advisory package, or when the dependency graph is off', async () => {
    const mentions = await scan('sbom-mentions');
    expect(mentions.sbom).toBe('mentions');
    expect(mentions.lockfiles.map((l) => l.path)).toEqual(['package-lock.json']);
    expect(mentions.skipped).toEqual([expect.objectContaining({ path: 'apps/web/yarn.lock', reason: 'no-mention' })]);
    const off = await scan('sbom-off');
    expect(off.sbom).toBe('unavailable');
    expect(off.apiCalls).toEqual({ 'acme/sbom-off': 4 });
  });

  it('still reads lockfiles the dependency graph does not cover (bun.lock) when the SBOM is clean', async () => {
    const result = await scan('with-bun');
    expect(result.sbom).toBe('clean');
    expect(result.lockfiles.map((l) => l.path)).toEqual(['bun.lock']);
  });

  it('ignores lockfiles inside node_modules, and scans an empty repository as empty', async () => {
    const vendored = await scan('vendored');
    expect([...vendored.lockfiles, ...vendored.skipped].map((l) => l.path)).toEqual(['package-lock.json']);
    expect(await scan('empty')).toMatchObject({ treeSha: null, lockfiles: [], skipped: [] });
  });

  it('looks the default branch up when no ref is given (one more request)', async () => {
    const result = await activities.githubScanLockfiles({ owner: 'acme', repo: 'sbom-off' });
    expect(result.ref).toBe('main');
    expect(result.lockfiles).toHaveLength(2);
    expect(result.apiCalls).toEqual({ 'acme/sbom-off': 4 });
  });

  it('refuses texts above maxTextBytes instead of overflowing Temporal history', async () => {
    const result = await activities.githubScanLockfiles({
      owner: 'acme',
      repo: 'sbom-off',
      ref: 'main',
      maxTextBytes: 10,
    });
    expect(result.skipped.map((s) => s.reason)).toEqual(['too-large', 'too-large']);
    expect(result.apiCalls).toEqual({ 'acme/sbom-off': 1 });
  });
});

describe('failures', () => {
  it('fails for good on a bad token (401) and an unknown organisation or repository (404)', async () => {
    const bad = createGitHubActivities({ octokit: createGitHubClient({ token: 'wrong', baseUrl: sandbox.url }) });
    const unauthorized = (await bad.githubListOrgRepos({ org: 'acme' }).catch((e: unknown) => e)) as ApplicationFailure;
    expect(unauthorized).toBeInstanceOf(ApplicationFailure);
    expect([unauthorized.type, unauthorized.nonRetryable]).toEqual([GitHubFailureType.Unauthorized, true]);
    const noOrg = (await activities
      .githubListOrgRepos({ org: 'nobody' })
      .catch((e: unknown) => e)) as ApplicationFailure;
    expect([noOrg.type, noOrg.nonRetryable]).toEqual([GitHubFailureType.NotFound, true]);
    const noRepo = (await scan('gone').catch((e: unknown) => e)) as ApplicationFailure;
    expect([noRepo.type, noRepo.nonRetryable]).toEqual([GitHubFailureType.NotFound, true]);
  });

  it('refuses an exposure window that is not two ordered ISO times', async () => {
    const failure = (await activities
      .githubListRunsInWindow({
        repos: [{ owner: 'acme', name: 'sbom-off' }],
        since: '2026-06-18T00:00:00Z',
        until: '2026-06-17T00:00:00Z',
      })
      .catch((e: unknown) => e)) as ApplicationFailure;
    expect([failure.type, failure.nonRetryable]).toEqual([GitHubFailureType.Invalid, true]);
  });
});

describe('client', () => {
  it('attributes concurrent calls to the scope that made them', async () => {
    const octokit = createGitHubClient({ token: TOKEN, baseUrl: sandbox.url });
    const get = (repo: string) => octokit.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo });
    const [a, b] = await Promise.all([
      countApiCalls(async () => Promise.all([get('sbom-off'), get('sbom-off'), get('empty')])),
      countApiCalls(async () => get('empty')),
    ]);
    expect(a.apiCalls).toEqual({ 'acme/empty': 1, 'acme/sbom-off': 2 });
    expect(b.apiCalls).toEqual({ 'acme/empty': 1 });
  });

  it('refuses a configuration it cannot use, saying what is wrong', () => {
    expect(() => createGitHubClient({ token: '' })).toThrow(/token is required/);
    expect(() => createGitHubClient({ token: 't', baseUrl: '127.0.0.1:3000' })).toThrow(
      /baseUrl must be an http\(s\) URL/,
    );
  });
});

describe('names', () => {
  it('recognises the lockfiles cordon reads, by name', () => {
    const cases: Array<[string, string | undefined]> = [
      ['package-lock.json', 'npm'],
      ['a/npm-shrinkwrap.json', 'npm'],
      ['yarn.lock', 'npm'],
      ['pnpm-lock.yaml', 'npm'],
      ['bun.lock', 'npm'],
      ['requirements.txt', 'PyPI'],
      ['requirements-dev.txt', 'PyPI'],
      ['requirements/prod.txt', 'PyPI'],
      ['poetry.lock', 'PyPI'],
      ['uv.lock', 'PyPI'],
      ['Pipfile.lock', 'PyPI'],
      ['Cargo.lock', 'crates.io'],
      ['package.json', undefined],
      ['node_modules/a/package-lock.json', undefined],
    ];
    for (const [path, ecosystem] of cases) expect([path, lockfileEcosystem(path)]).toEqual([path, ecosystem]);
  });

  it('parses package URLs as GitHub’s SBOM writes them', () => {
    expect(parsePurl('pkg:npm/%40mastra/core@1.42.1')).toMatchObject({
      type: 'npm',
      name: '@mastra/core',
      version: '1.42.1',
    });
    expect(parsePurl('pkg:pypi/requests@2.32.3')).toMatchObject({ type: 'pypi', name: 'requests' });
    expect(parsePurl('not a purl')).toBeUndefined();
  });
});
