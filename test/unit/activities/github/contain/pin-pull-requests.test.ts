import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createGitHubActivities, createGitHubClient } from '../../../../../activities/github';
import { createContainActivities, type PinApplied, type PinItem } from '../../../../../activities/github/contain';
import { createExposureActivities, type OrgFinding } from '../../../../../activities/github/exposure-actions';
import { createNpmRegistry } from '../../../../../activities/registries/npm';
import type { ActionHandler } from '../../../../../activities/registry';
import type { ActionContext, ActionPlan } from '../../../../../activities/types';
import { parseOsvJson, type AffectedPackage } from '../../../../../domain/advisory';
import { generateOrg, startGitHubSandbox, type GitHubSandbox } from '../../../../../sandbox/github';
import { startNpmRegistrySandbox, type NpmRegistrySandbox } from '../../../../../sandbox/npm-registry';
import { readByPackageManager } from '../../../../harness/package-managers';

const TOKEN = 'ghs_pin';
const ROOT = path.resolve(__dirname, '../../../../..');
const ctx = (stepId: string): ActionContext => ({
  incidentId: 'incident-acme-mastra-core',
  stepId,
  idempotencyKey: `incident-acme-mastra-core/${stepId}`,
  drill: true,
});
const packages: AffectedPackage[] = ['MAL-2026-6011.json', 'MAL-2026-5979.json'].flatMap((f) =>
  parseOsvJson(f, readFileSync(path.join(ROOT, 'sandbox/advisories', f), 'utf8')).advisories.flatMap((a) => a.affected),
);

type Handler = Required<ActionHandler<Record<string, unknown>, PinItem>>;

/** The lockfile formats cordon rewrites itself; the others are pinned by hand. */
const REWRITTEN = new Set(['package-lock', 'pnpm-lock', 'yarn-lock']);

describe('github.openPinPullRequests over a generated org', () => {
  const { spec, truth } = generateOrg({ repos: 18, exposedRepos: 4, seed: 5 });
  let github: GitHubSandbox;
  let registry: NpmRegistrySandbox;
  let open: Handler;
  let close: Handler;
  let input: Record<string, unknown>;

  const fileAt = (repo: string, ref: string, file: string): string | undefined => {
    const git = github.state.repo(truth.org, repo)!.git;
    const entry = git.lookup(git.resolveTree(ref)!, file);
    return entry ? git.blob(entry.sha)!.toString('utf8') : undefined;
  };
  const pulls = (repo: string) => [...github.state.repo(truth.org, repo)!.pulls.values()];

  beforeAll(async () => {
    github = await startGitHubSandbox({ org: spec, tokens: [TOKEN] });
    registry = await startNpmRegistrySandbox();
    const octokit = createGitHubClient({ token: TOKEN, baseUrl: github.url });
    const actions = createContainActivities({ octokit, npmRegistry: createNpmRegistry({ url: registry.url }) });
    open = actions['github.openPinPullRequests'] as unknown as Handler;
    close = actions['github.closePinPullRequests'] as unknown as Handler;
    const identify = createExposureActivities({ github: createGitHubActivities({ octokit }) })[
      'exposure.identifyInstalls'
    ]!;
    const found = (await identify.run!(
      { org: truth.org, packages, items: truth.repos.map((name) => ({ owner: truth.org, name })) } as never,
      ctx('identify-installs'),
    )) as { exposedRepos: unknown[]; findings: OrgFinding[] };
    input = {
      targets: found.exposedRepos,
      findings: found.findings,
      packages,
      advisoryIds: ['MAL-2026-6011', 'MAL-2026-5979'],
      since: truth.window.since,
    };
  });

  afterAll(async () => {
    await github.stop();
    await registry.stop();
  });

  afterEach(() => {
    expect(github.validationFailures).toEqual([]);
  });

  it('plans one pull request per exposed npm, pnpm or yarn repository, hands the other formats to a person, and opens exactly that', async () => {
    const plan = (await open.plan(input, ctx('open-pin-prs'))) as ActionPlan<PinItem>;
    const pinnable = truth.exposed.filter((e) => REWRITTEN.has(e.format));
    const others = truth.exposed.filter((e) => !REWRITTEN.has(e.format));
    expect([...new Set(pinnable.map((e) => e.format))].sort()).toEqual(['package-lock', 'pnpm-lock', 'yarn-lock']);
    // Every exposed repository of this org locks with npm, pnpm or yarn 1: nothing is handed off needlessly.
    expect(plan.items.map((i) => i.repo).sort()).toEqual(pinnable.map((e) => `${truth.org}/${e.repo}`).sort());
    const byHand = (plan.details as { byHand: Array<{ repo: string; file: string }> }).byHand;
    expect([...new Set(byHand.map((b) => `${b.repo}:${b.file}`))].sort()).toEqual(
      others.map((e) => `${truth.org}/${e.repo}:${e.path}`).sort(),
    );

    const effects = await open.apply(plan, ctx('open-pin-prs'));
    const applied = effects.pullRequests as PinApplied[];
    expect(applied.map((a) => a.pullRequest)).toEqual(pinnable.map(() => 'created'));

    for (const lf of pinnable) {
      const prs = pulls(lf.repo);
      expect(prs).toHaveLength(1);
      const pr = prs[0]!;
      expect(pr.body).toContain('MAL-2026-6011');
      expect(pr.body).toContain('@mastra/core 1.42.1 → 1.42.0');
      expect(pr.body).toContain('incident-acme-mastra-core');
      // The branch's lockfile no longer holds a bad version, and the package manager itself reads it.
      const dir = path.posix.dirname(lf.path);
      const manifestPath = dir === '.' ? 'package.json' : `${dir}/package.json`;
      const lock = fileAt(lf.repo, pr.head, lf.path)!;
      expect(lock).not.toContain('1.42.1');
      expect(lock).not.toContain('easy-day-js');
      expect(lock).toContain(registry.packuments.get('@mastra/core')!.versions['1.42.0']!.dist.integrity);
      const check = await readByPackageManager(
        lf.format,
        path.posix.basename(lf.path),
        lock,
        fileAt(lf.repo, pr.head, manifestPath)!,
        registry.url,
      );
      expect(check.output).not.toMatch(/ERR_PNPM|problems|error/);
      expect(check.status).toBe(0);
      // The default branch is untouched until someone merges.
      expect(fileAt(lf.repo, 'main', lf.path)).toContain('1.42.1');
    }

    // A retried apply (worker crash after the writes) updates nothing and opens no second pull request.
    const again = await open.apply(plan, ctx('open-pin-prs'));
    expect((again.pullRequests as PinApplied[]).map((a) => a.pullRequest)).toEqual(pinnable.map(() => 'unchanged'));
    for (const lf of pinnable) expect(pulls(lf.repo)).toHaveLength(1);

    // Planning again after the pull requests exist gives the same plan: the approval of a retry still binds.
    expect(await open.plan(input, ctx('open-pin-prs'))).toEqual(plan);

    // Undo closes them and deletes the branches.
    const undone = await close.undo(effects, {}, ctx('open-pin-prs'));
    expect(undone.closed).toBe(pinnable.length);
    for (const lf of pinnable) {
      expect(pulls(lf.repo).map((p) => p.state)).toEqual(['closed']);
      expect(github.state.repo(truth.org, lf.repo)!.git.refs.has(`heads/${applied[0]!.branch}`)).toBe(false);
    }
    expect((await close.undo(effects, {}, ctx('open-pin-prs'))).closed).toBe(0);
  });

  it('refuses to write a rewrite that no longer matches the approved plan', async () => {
    const plan = (await open.plan(input, ctx('open-pin-prs-2'))) as ActionPlan<PinItem>;
    expect(plan.items.length).toBeGreaterThan(0);
    const doc = registry.packuments.get('@mastra/core')!;
    const saved = doc.versions['1.42.0']!.dist.integrity!;
    // The registry now says something else about the good version than when the plan was approved.
    doc.versions['1.42.0']!.dist.integrity = 'sha512-changed';
    const fresh = createContainActivities({
      octokit: createGitHubClient({ token: TOKEN, baseUrl: github.url }),
      npmRegistry: createNpmRegistry({ url: registry.url }),
    })['github.openPinPullRequests'] as unknown as Handler;
    try {
      await expect(fresh.apply(plan, ctx('open-pin-prs-2'))).rejects.toThrow(/no longer matches the approved plan/);
    } finally {
      doc.versions['1.42.0']!.dist.integrity = saved;
    }
    for (const item of plan.items)
      expect(pulls(item.repo.split('/')[1]!).filter((p) => p.state === 'open')).toEqual([]);
  });

  it('hands a repository whose lockfile is not valid JSON or YAML, or is yarn berry, to a person, and still plans the others', async () => {
    const octokit = createGitHubClient({ token: TOKEN, baseUrl: github.url });
    const broken = truth.exposed.filter((e) => REWRITTEN.has(e.format));
    const [npmRepo, pnpmRepo, yarnRepo] = [
      broken.find((e) => e.format === 'package-lock')!,
      broken.find((e) => e.format === 'pnpm-lock')!,
      broken.find((e) => e.format === 'yarn-lock')!,
    ];
    for (const [lf, text] of [
      [npmRepo, '{"lockfileVersion": 3, "packages": {'],
      [pnpmRepo, "lockfileVersion: '9.0'\npackages:\n  'a@1.0.0': {resolution: [\n"],
      [
        yarnRepo,
        '__metadata:\n  version: 8\n\n"@mastra/core@npm:^1.42.1":\n  version: 1.42.1\n  resolution: "@mastra/core@npm:1.42.1"\n',
      ],
    ] as const) {
      const current = fileAt(lf.repo, 'main', lf.path)!;
      const sha = github.state
        .repo(truth.org, lf.repo)!
        .git.lookup(github.state.repo(truth.org, lf.repo)!.git.resolveTree('main')!, lf.path)!.sha;
      expect(current).toContain('1.42.1');
      await octokit.rest.repos.createOrUpdateFileContents({
        owner: truth.org,
        repo: lf.repo,
        path: lf.path,
        message: 'break the lockfile',
        content: Buffer.from(text).toString('base64'),
        sha,
      });
    }
    const plan = (await open.plan(input, ctx('open-pin-prs-3'))) as ActionPlan<PinItem>;
    const byHand = (plan.details as { byHand: Array<{ repo: string; file: string; reason: string }> }).byHand;
    expect(byHand.find((b) => b.repo === `${truth.org}/${npmRepo.repo}`)?.reason).toMatch(
      new RegExp(`^${npmRepo.path}: the lockfile is not valid JSON: `),
    );
    expect(byHand.find((b) => b.repo === `${truth.org}/${pnpmRepo.repo}`)?.reason).toMatch(
      new RegExp(`^${pnpmRepo.path}: the lockfile is not valid YAML: line \\d+: `),
    );
    expect(byHand.find((b) => b.repo === `${truth.org}/${yarnRepo.repo}`)?.reason).toMatch(
      /^yarn berry \(v2\+\) lockfiles are not rewritten by cordon/,
    );
    // The other pinnable repositories are still planned.
    const others = broken
      .filter((e) => e !== npmRepo && e !== pnpmRepo && e !== yarnRepo)
      .map((e) => `${truth.org}/${e.repo}`);
    // Every exposed repository of this org locks with npm, pnpm or yarn 1: nothing is handed off needlessly.
    expect(plan.items.map((i) => i.repo).sort()).toEqual(others.sort());
  });
});
