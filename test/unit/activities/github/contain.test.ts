import { createGitHubActivities, createGitHubClient } from '../../../../activities/github';
import { createExposureActivities } from '../../../../activities/github/exposure-actions';
import { actionActivities } from '../../../../activities/registry';
import {
  createContainActivities,
  type PurgeEffects,
  type PurgeItem,
  type RollbackItem,
  type RolledBack,
  type WorkflowItem,
} from '../../../../activities/github/contain';
import type { ActionHandler, ActionHandlers, AnyActionHandler } from '../../../../activities/registry';
import type { ActionContext } from '../../../../activities/types';
import { generateOrg, startGitHubSandbox, type GitHubSandbox, type OrgSpec } from '../../../../sandbox/github';

const TOKEN = 'ghs_contain';
const SINCE = '2026-06-17T04:00:00Z';
const at = (hours: number) => new Date(Date.parse(SINCE) + hours * 3_600_000).toISOString();
const GOOD_OLD = '1'.repeat(40);
const GOOD = '2'.repeat(40);
const BAD = 'b'.repeat(40);
const API_GOOD = '3'.repeat(40);
const API_BAD = 'c'.repeat(40);
const PREVIEW = '4'.repeat(40);

const ok = (id: number, createdAt: string) => [{ id, state: 'success' as const, createdAt }];

// web: two exposed runs (one still running) that built BAD and deployed it to staging and production; one older
// run and a cache from before the window. api: one exposed run deployed to production and to qa, where nothing was
// deployed before the window. docs: nothing exposed.
const spec: OrgSpec = {
  name: 'acme',
  repos: [
    {
      name: 'web',
      files: { 'README.md': '# web\n' },
      workflows: [
        { id: 11, path: '.github/workflows/ci.yml' },
        { id: 12, path: '.github/workflows/deploy.yml' },
        { id: 13, path: '.github/workflows/legacy.yml', state: 'disabled_manually' },
      ],
      runs: [
        {
          id: 101,
          workflowId: 11,
          headSha: BAD,
          createdAt: at(1),
          updatedAt: at(1.5),
          artifacts: [
            { id: 1001, name: 'dist' },
            { id: 1002, name: 'coverage' },
          ],
        },
        {
          id: 102,
          workflowId: 12,
          headSha: BAD,
          status: 'in_progress',
          createdAt: at(2),
          updatedAt: at(2.2),
          artifacts: [{ id: 1003, name: 'bundle' }],
        },
        { id: 103, workflowId: 11, headSha: GOOD, createdAt: at(-48), artifacts: [{ id: 1004, name: 'dist' }] },
      ],
      caches: [
        { id: 201, key: 'npm-web-linux-bad', createdAt: at(1.2) },
        { id: 202, key: 'npm-web-linux-old', createdAt: at(-47.9) },
      ],
      deployments: [
        { id: 301, sha: GOOD_OLD, environment: 'production', createdAt: at(-240), statuses: ok(3011, at(-240)) },
        { id: 302, sha: GOOD, environment: 'production', createdAt: at(-47), statuses: ok(3021, at(-47)) },
        { id: 303, sha: GOOD, environment: 'staging', createdAt: at(-47), statuses: ok(3031, at(-47)) },
        { id: 304, sha: BAD, environment: 'staging', createdAt: at(1.4), runId: 101, statuses: ok(3041, at(1.4)) },
        { id: 305, sha: BAD, environment: 'production', createdAt: at(2.1), runId: 102, statuses: ok(3051, at(2.1)) },
        { id: 306, sha: PREVIEW, environment: 'preview', createdAt: at(3), statuses: ok(3061, at(3)) },
      ],
    },
    {
      name: 'api',
      files: { 'README.md': '# api\n' },
      workflows: [{ id: 21, path: '.github/workflows/ci.yml' }],
      runs: [
        { id: 201, workflowId: 21, headSha: API_BAD, createdAt: at(5), artifacts: [{ id: 2001, name: 'dist' }] },
        { id: 202, workflowId: 21, headSha: API_GOOD, createdAt: at(-30), artifacts: [{ id: 2002, name: 'dist' }] },
      ],
      deployments: [
        { id: 401, sha: API_GOOD, environment: 'production', createdAt: at(-29), statuses: ok(4011, at(-29)) },
        { id: 402, sha: API_BAD, environment: 'production', createdAt: at(5.5), statuses: ok(4021, at(5.5)) },
        { id: 403, sha: API_BAD, environment: 'qa', createdAt: at(5.5), statuses: ok(4031, at(5.5)) },
      ],
    },
    {
      name: 'docs',
      files: { 'README.md': '# docs\n' },
      workflows: [{ id: 31, path: '.github/workflows/ci.yml' }],
      runs: [{ id: 301, workflowId: 31, createdAt: at(2), artifacts: [{ id: 3001, name: 'site' }] }],
      caches: [{ id: 203, key: 'docs', createdAt: at(2) }],
    },
  ],
};

// What `github.collectCiExposure` reports for this organisation (its output shapes).
const exposedRuns = [
  { repo: 'acme/web', id: 101, workflowId: 11, workflowPath: '.github/workflows/ci.yml', headSha: BAD },
  { repo: 'acme/web', id: 102, workflowId: 12, workflowPath: '.github/workflows/deploy.yml', headSha: BAD },
  { repo: 'acme/api', id: 201, workflowId: 21, workflowPath: '.github/workflows/ci.yml', headSha: API_BAD },
];
const exposedWorkflows = [
  { repo: 'acme/web', id: 11, path: '.github/workflows/ci.yml' },
  { repo: 'acme/web', id: 12, path: '.github/workflows/deploy.yml' },
  { repo: 'acme/web', id: 13, path: '.github/workflows/legacy.yml' },
  { repo: 'acme/api', id: 21, path: '.github/workflows/ci.yml' },
];

const ctx = (stepId: string): ActionContext => ({
  incidentId: 'INC-2026-0617',
  stepId,
  idempotencyKey: `incident-inc-2026-0617/${stepId}`,
  drill: true,
});

let sandbox: GitHubSandbox;
let actions: ActionHandlers;
const handler = <I, T>(name: string) => actions[name] as unknown as Required<ActionHandler<I, T>>;
const repo = (name: string) => sandbox.state.repo('acme', name)!;

beforeAll(async () => {
  sandbox = await startGitHubSandbox({ org: spec, tokens: [TOKEN] });
  actions = createContainActivities({ octokit: createGitHubClient({ token: TOKEN, baseUrl: sandbox.url }) });
});

afterAll(async () => {
  await sandbox.stop();
});

afterEach(() => {
  // Every request is one GitHub's OpenAPI description allows, and every answer conforms.
  expect(sandbox.validationFailures).toEqual([]);
});

describe('github.disableWorkflows / github.enableWorkflows', () => {
  const states = () =>
    Object.fromEntries(
      ['web', 'api', 'docs'].flatMap((r) => [...repo(r).workflows.values()].map((w) => [`${r}#${w.id}`, w.state])),
    );

  it('plans one item per active workflow, skipping the one already disabled and one deleted since', async () => {
    const plan = await handler<unknown, WorkflowItem>('github.disableWorkflows').plan(
      { targets: [...exposedWorkflows, { repo: 'acme/web', id: 99, path: '.github/workflows/gone.yml' }] },
      ctx('disable-workflows'),
    );
    expect(plan.items.map((i) => `${i.repo}#${i.id}`)).toEqual(['acme/web#11', 'acme/web#12', 'acme/api#21']);
    expect(plan.details?.skipped).toEqual([
      { repo: 'acme/web', id: 13, state: 'disabled_manually' },
      { repo: 'acme/web', id: 99, state: 'not_found' },
    ]);
    expect(plan.summary).toBe('disable 3 workflows in 2 repos');
    expect(plan.irreversible).toBe(false);
  });

  it('disables exactly the planned workflows, a retry changes nothing, and the undo re-enables exactly those', async () => {
    const disable = handler<unknown, WorkflowItem>('github.disableWorkflows');
    const plan = await disable.plan({ targets: exposedWorkflows }, ctx('disable-workflows'));
    const effects = await disable.apply(plan, ctx('disable-workflows'));
    const after = states();
    expect(after).toEqual({
      'web#11': 'disabled_manually',
      'web#12': 'disabled_manually',
      'web#13': 'disabled_manually',
      'api#21': 'disabled_manually',
      'docs#31': 'active',
    });
    expect(await disable.apply(plan, ctx('disable-workflows'))).toEqual(effects);
    expect(states()).toEqual(after);
    expect((await disable.plan({ targets: exposedWorkflows }, ctx('disable-workflows'))).items).toEqual([]);

    await handler<unknown, WorkflowItem>('github.enableWorkflows').undo(effects, {}, ctx('disable-workflows'));
    expect(states()).toEqual({ ...after, 'web#11': 'active', 'web#12': 'active', 'api#21': 'active' });
  });
});

describe('github.purgeRunArtifacts', () => {
  let plan: Awaited<ReturnType<Required<ActionHandler<unknown, PurgeItem>>['plan']>>;

  it('plans, per exposed run, its artifacts, the caches it saved, its logs, and a cancel if it still runs', async () => {
    // Run 999 was deleted since the exposure was collected: its artifacts and logs went with it.
    const targets = [...exposedRuns, { repo: 'acme/web', id: 999 }];
    plan = await handler<unknown, PurgeItem>('github.purgeRunArtifacts').plan({ targets }, ctx('purge'));
    expect(plan.details?.runsAlreadyDeleted).toEqual([{ repo: 'acme/web', runId: 999 }]);
    expect(plan.items).toEqual([
      {
        repo: 'acme/web',
        runId: 101,
        cancel: false,
        artifacts: [
          { id: 1001, name: 'dist' },
          { id: 1002, name: 'coverage' },
        ],
        caches: [{ id: 201, key: 'npm-web-linux-bad', ref: 'refs/heads/main' }],
        logs: true,
      },
      { repo: 'acme/web', runId: 102, cancel: true, artifacts: [{ id: 1003, name: 'bundle' }], caches: [], logs: true },
      { repo: 'acme/api', runId: 201, cancel: false, artifacts: [{ id: 2001, name: 'dist' }], caches: [], logs: true },
    ]);
    expect(plan.irreversible).toBe(true);
    expect(plan.summary).toMatch(/^IRREVERSIBLE: delete 4 artifacts, 1 caches and the logs of 3 runs in 2 repos/);
    expect(plan.summary).toMatch(/cannot be restored/);
  });

  it('cancels the running run, then leaves no artifacts, caches or logs of exposed runs; other runs keep theirs', async () => {
    const purge = handler<unknown, PurgeItem>('github.purgeRunArtifacts');
    const effects = (await purge.apply(plan, ctx('purge'))) as PurgeEffects;
    expect(effects.cancelledRuns).toEqual([{ repo: 'acme/web', runId: 102 }]);
    expect(effects.deleted).toEqual({ artifacts: 4, caches: 1, logs: 3 });
    expect(repo('web').runs.get(102)).toMatchObject({ status: 'completed', conclusion: 'cancelled' });

    const artifacts = (r: string) => [...repo(r).artifacts.keys()].sort();
    const logsKept = (r: string) => [...repo(r).runs.values()].filter((x) => !x.logsDeleted).map((x) => x.id);
    expect(artifacts('web')).toEqual([1004]);
    expect(artifacts('api')).toEqual([2002]);
    expect(artifacts('docs')).toEqual([3001]);
    expect([...repo('web').caches.keys()]).toEqual([202]);
    expect([...repo('docs').caches.keys()]).toEqual([203]);
    expect(logsKept('web')).toEqual([103]);
    expect(logsKept('api')).toEqual([202]);
    expect(logsKept('docs')).toEqual([301]);
  });

  it('a retried apply succeeds and deletes nothing more: 404 on delete means already gone', async () => {
    const before = JSON.stringify(
      ['web', 'api', 'docs'].map((r) => [[...repo(r).artifacts.keys()], [...repo(r).caches.keys()]]),
    );
    const effects = (await handler<unknown, PurgeItem>('github.purgeRunArtifacts').apply(
      plan,
      ctx('purge'),
    )) as PurgeEffects;
    expect(effects.cancelledRuns).toEqual([]);
    expect(effects.deleted).toMatchObject({ artifacts: 0, caches: 0 });
    expect(effects.alreadyGone).toMatchObject({ artifacts: 4, caches: 1 });
    expect(
      JSON.stringify(['web', 'api', 'docs'].map((r) => [[...repo(r).artifacts.keys()], [...repo(r).caches.keys()]])),
    ).toBe(before);
  });
});

describe('github.rollbackDeployments / github.restoreDeployments', () => {
  const rollback = () => handler<unknown, RollbackItem>('github.rollbackDeployments');
  const input = { targets: exposedRuns, since: SINCE };
  /** Deployments of an environment, newest first, as GitHub orders them. */
  const deployments = (r: string, env: string) =>
    [...repo(r).deployments.values()]
      .filter((d) => d.environment === env)
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id);
  const newestSha = (r: string, env: string) => deployments(r, env)[0]?.sha;
  const lastStatus = (r: string, id: number) => repo(r).deployments.get(id)?.statuses.at(-1);
  let plan: Awaited<ReturnType<Required<ActionHandler<unknown, RollbackItem>>['plan']>>;
  let effects: Record<string, unknown>;

  it('plans, per environment deployed from an exposed SHA, the last deployment before the window', async () => {
    plan = await rollback().plan(input, ctx('rollback'));
    // Environments in the order GitHub lists the exposed deployments: newest first.
    expect(plan.items).toEqual([
      {
        repo: 'acme/web',
        environment: 'production',
        goodSha: GOOD,
        goodDeploymentId: 302,
        liveSha: BAD,
        exposedDeployments: [{ id: 305, sha: BAD }],
      },
      {
        repo: 'acme/web',
        environment: 'staging',
        goodSha: GOOD,
        goodDeploymentId: 303,
        liveSha: BAD,
        exposedDeployments: [{ id: 304, sha: BAD }],
      },
      {
        repo: 'acme/api',
        environment: 'production',
        goodSha: API_GOOD,
        goodDeploymentId: 401,
        liveSha: API_BAD,
        exposedDeployments: [{ id: 402, sha: API_BAD }],
      },
    ]);
    expect(plan.details?.noGoodDeployment).toEqual([{ repo: 'acme/api', environment: 'qa' }]);
    expect(plan.summary).toBe(`roll back 3 environments in 2 repos to their last deployment before ${SINCE}`);
  });

  it('leaves every exposed environment on its last good SHA, exposed deployments inactive naming the incident', async () => {
    effects = await rollback().apply(plan, ctx('rollback'));
    expect(newestSha('web', 'production')).toBe(GOOD);
    expect(newestSha('web', 'staging')).toBe(GOOD);
    expect(newestSha('api', 'production')).toBe(API_GOOD);
    for (const [r, id] of [
      ['web', 304],
      ['web', 305],
      ['api', 402],
    ] as const) {
      expect(lastStatus(r, id)).toMatchObject({
        state: 'inactive',
        description: expect.stringContaining('INC-2026-0617'),
      });
    }
    expect(deployments('web', 'production')[0]?.description).toContain('INC-2026-0617');
    // Not exposed, or nothing good to return to: untouched.
    expect(newestSha('web', 'preview')).toBe(PREVIEW);
    expect(deployments('api', 'qa').map((d) => d.id)).toEqual([403]);
    expect(lastStatus('api', 403)?.state).toBe('success');
    expect(effects.inactivated).toBe(3);
  });

  it('a retried apply finds its own deployments and statuses and creates nothing', async () => {
    const count = () =>
      ['web', 'api'].map((r) => [...repo(r).deployments.values()].reduce((n, d) => n + 1 + d.statuses.length, 0));
    const before = count();
    const again = await rollback().apply(plan, ctx('rollback'));
    expect(again).toEqual({ ...effects, inactivated: 0 });
    expect(count()).toEqual(before);
  });

  it('the undo redeploys what was live before and marks the rollback deployments inactive', async () => {
    const undo = await handler<unknown, unknown>('github.restoreDeployments').undo(effects, {}, ctx('rollback'));
    expect(newestSha('web', 'production')).toBe(BAD);
    expect(newestSha('web', 'staging')).toBe(BAD);
    expect(newestSha('api', 'production')).toBe(API_BAD);
    for (const r of effects.rolledBack as RolledBack[]) {
      expect(lastStatus(r.repo.replace('acme/', ''), r.deploymentId)).toMatchObject({
        state: 'inactive',
        description: 'cordon incident INC-2026-0617: rollback undone',
      });
    }
    expect((undo.restored as RolledBack[]).map((r) => r.previousSha)).toEqual([BAD, BAD, API_BAD]);
  });
});

describe('createContainActivities', () => {
  it('registers plan and apply for each action, and the undos the playbook names', () => {
    expect(Object.keys(actionActivities(actions)).sort()).toEqual([
      'github.closePinPullRequests:undo',
      'github.deletePackageVersions:apply',
      'github.deletePackageVersions:plan',
      'github.disableWorkflows:apply',
      'github.disableWorkflows:plan',
      'github.enableWorkflows:apply',
      'github.enableWorkflows:plan',
      'github.enableWorkflows:undo',
      'github.openPinPullRequests:apply',
      'github.openPinPullRequests:plan',
      'github.purgeRunArtifacts:apply',
      'github.purgeRunArtifacts:plan',
      'github.republishReleases:undo',
      'github.restoreDeployments:undo',
      'github.restorePackageVersions:undo',
      'github.rollbackDeployments:apply',
      'github.rollbackDeployments:plan',
      'github.withdrawReleases:apply',
      'github.withdrawReleases:plan',
    ]);
  });
});

describe('on a generated organisation, fed by github.collectCiExposure', () => {
  const { spec: orgSpec, truth } = generateOrg({ repos: 24 });
  let org: GitHubSandbox;
  let contain: ActionHandlers;
  let exposure: { runs: typeof exposedRuns; workflows: typeof exposedWorkflows };
  const orgRepo = (name: string) => org.state.repo('acme', name)!;
  const act = async (name: string, input: Record<string, unknown>) => {
    const h = contain[name] as unknown as Required<ActionHandler<Record<string, unknown>, unknown>>;
    const plan = await h.plan(input, ctx(name));
    return { plan, effects: await h.apply(plan, ctx(name)) };
  };

  beforeAll(async () => {
    org = await startGitHubSandbox({ org: orgSpec, tokens: [TOKEN] });
    const octokit = createGitHubClient({ token: TOKEN, baseUrl: org.url });
    contain = createContainActivities({ octokit });
    // Called as the worker registers it: through the contract every action handler shares.
    const collect: AnyActionHandler = createExposureActivities({ github: createGitHubActivities({ octokit }) })[
      'github.collectCiExposure'
    ];
    exposure = (await collect.run!(
      { org: 'acme', repos: truth.exposedRepos.map((name) => ({ owner: 'acme', name })), ...truth.window } as never,
      ctx('ci-exposure'),
    )) as typeof exposure;
  });

  afterAll(async () => {
    await org.stop();
  });

  afterEach(() => {
    expect(org.validationFailures).toEqual([]);
  });

  it('disables every workflow that ran in the window and no other', async () => {
    await act('github.disableWorkflows', { targets: exposure.workflows });
    const disabled = truth.repos.flatMap((r) =>
      [...orgRepo(r).workflows.values()].filter((w) => w.state !== 'active').map((w) => `acme/${r}#${w.id}`),
    );
    expect(disabled.sort()).toEqual(exposure.workflows.map((w) => `${w.repo}#${w.id}`).sort());
    expect(disabled.length).toBeGreaterThan(0);
  });

  it('purges artifacts, caches and logs of every run in the window, and nothing of other runs', async () => {
    const { effects } = await act('github.purgeRunArtifacts', { targets: exposure.runs });
    expect((effects as PurgeEffects).deleted.caches).toBe(Object.values(truth.exposedCaches).flat().length);
    for (const r of truth.repos) {
      const exposedRuns = new Set(truth.exposedRepos.includes(r) ? truth.runsInWindow[r] : []);
      const repoState = orgRepo(r);
      for (const run of repoState.runs.values()) expect(run.logsDeleted).toBe(exposedRuns.has(run.id));
      const withArtifacts = new Set([...repoState.artifacts.values()].map((a) => a.runId));
      for (const run of repoState.runs.values()) expect(withArtifacts.has(run.id)).toBe(!exposedRuns.has(run.id));
      const gone = new Set(truth.exposedCaches[r] ?? []);
      expect([...repoState.caches.keys()].some((id) => gone.has(id))).toBe(false);
      expect(repoState.caches.size).toBe(1);
    }
  });

  it('rolls every exposed environment back to the SHA deployed before the window', async () => {
    await act('github.rollbackDeployments', { targets: exposure.runs, since: truth.window.since });
    expect(Object.keys(truth.deployments).length).toBeGreaterThan(0);
    for (const [r, d] of Object.entries(truth.deployments)) {
      const list = [...orgRepo(r).deployments.values()]
        .filter((x) => x.environment === d.environment)
        .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id);
      expect(list[0]?.sha).toBe(d.goodSha);
      const exposed = list.find((x) => x.sha === d.exposedSha);
      expect(exposed?.statuses.at(-1)).toMatchObject({
        state: 'inactive',
        description: expect.stringContaining('INC-2026-0617'),
      });
    }
  });
  it('withdraws the releases built from exposed runs as drafts, keeps the others, and republishes them on undo', async () => {
    expect(Object.keys(truth.exposedReleases).length).toBeGreaterThan(0);
    const deletePlan = (await (
      contain['github.withdrawReleases'] as unknown as Required<ActionHandler<Record<string, unknown>, unknown>>
    ).plan({ targets: exposure.runs, mode: 'delete' }, ctx('withdraw-releases'))) as {
      irreversible: boolean;
      summary: string;
    };
    expect(deletePlan.irreversible).toBe(true);
    expect(deletePlan.summary).toMatch(/^IRREVERSIBLE: delete/);

    const { plan, effects } = await act('github.withdrawReleases', { targets: exposure.runs, mode: 'draft' });
    expect((plan as { irreversible: boolean }).irreversible).toBe(false);
    // The plan shows each exposed release's assets with their digests and download counts, as the spec seeded them.
    const seededAssets = orgSpec.repos!.flatMap((repo) =>
      (repo.releases ?? [])
        .filter((rel) => (truth.exposedReleases[repo.name] ?? []).includes(rel.id))
        .flatMap((rel) => rel.assets ?? []),
    );
    expect(seededAssets.length).toBeGreaterThan(0);
    const planned = (
      plan as { items: Array<{ assets: Array<{ name: string; downloads: number; digest: string }> }> }
    ).items.flatMap((i) => i.assets);
    expect(planned.map((a) => [a.name, a.downloads, a.digest]).sort()).toEqual(
      seededAssets.map((a) => [a.name, a.downloadCount, a.digest]).sort(),
    );
    const downloads = seededAssets.reduce((n, a) => n + (a.downloadCount ?? 0), 0);
    expect((plan as { summary: string }).summary).toContain(
      `(${seededAssets.length} asset(s), downloaded ${downloads} time(s) before containment)`,
    );
    const released = (r: string) => [...orgRepo(r).releases.values()];
    for (const r of truth.repos) {
      const exposedIds = new Set(truth.exposedReleases[r] ?? []);
      for (const rel of released(r)) {
        expect(rel.draft).toBe(exposedIds.has(rel.id));
        if (exposedIds.has(rel.id)) expect(rel.body).toContain('INC-2026-0617');
      }
    }
    expect(effects.drafted).toBe(Object.values(truth.exposedReleases).flat().length);
    // A retried apply finds them drafted already.
    const h = contain['github.withdrawReleases'] as unknown as Required<
      ActionHandler<Record<string, unknown>, unknown>
    >;
    expect(await h.apply(plan as never, ctx('withdraw-releases'))).toMatchObject({ drafted: 0 });
    const undo = contain['github.republishReleases'] as unknown as Required<
      ActionHandler<Record<string, unknown>, unknown>
    >;
    expect(await undo.undo(effects, {}, ctx('withdraw-releases'))).toMatchObject({ republished: effects.drafted });
    for (const r of truth.repos) for (const rel of released(r)) expect(rel.draft).toBe(false);
  });
  it('deletes the package versions exposed repositories published after an exposed run, keeps the rest, and restores them on undo', async () => {
    const exposedVersions = Object.values(truth.exposedPackageVersions).flat();
    expect(exposedVersions.length).toBeGreaterThan(0);
    const input = { org: 'acme', targets: exposure.runs, until: truth.window.until };
    const { plan, effects } = await act('github.deletePackageVersions', input);
    const items = (plan as { items: Array<{ package: string; versionId: number; afterRun: { id: number } }> }).items;
    expect(items.map((i) => `${i.package}/${i.versionId}`).sort()).toEqual(exposedVersions.sort());
    // Each names the exposed run it followed.
    for (const i of items) expect(exposure.runs.map((r) => r.id)).toContain(i.afterRun.id);
    expect((plan as { summary: string }).summary).toMatch(/restorable for 30 days/);

    const live = () =>
      [...org.state.packages.values()].flatMap((p) =>
        p.versions.filter((v) => v.deletedAt === null).map((v) => `${p.name}/${v.id}`),
      );
    const all = [...org.state.packages.values()].flatMap((p) => p.versions.map((v) => `${p.name}/${v.id}`));
    // A version published inside the window by a repository no exposed run touched stays.
    expect(all.length).toBeGreaterThan(exposedVersions.length * 2);
    expect(live().sort()).toEqual(all.filter((v) => !exposedVersions.includes(v)).sort());
    expect((effects as { deleted: unknown[] }).deleted).toHaveLength(exposedVersions.length);

    // A retried apply finds them deleted already.
    const h = contain['github.deletePackageVersions'] as unknown as Required<
      ActionHandler<Record<string, unknown>, unknown>
    >;
    expect(await h.apply(plan as never, ctx('delete-package-versions'))).toMatchObject({
      deleted: [],
      alreadyDeleted: exposedVersions.length,
    });
    const undo = contain['github.restorePackageVersions'] as unknown as Required<
      ActionHandler<Record<string, unknown>, unknown>
    >;
    expect(await undo.undo(effects, {}, ctx('delete-package-versions'))).toEqual({ restored: exposedVersions.length });
    expect(live().sort()).toEqual(all.sort());
    expect(await undo.undo(effects, {}, ctx('delete-package-versions'))).toEqual({ restored: 0 });
  });

  it('hands a version GitHub will not delete (the package’s last one) to a person with GitHub’s answer', async () => {
    const [name] = Object.keys(truth.exposedPackageVersions);
    const pkg = [...org.state.packages.values()].find((p) => p.name === name)!;
    const older = pkg.versions.find((v) => !truth.exposedPackageVersions[name!]!.includes(`${name}/${v.id}`))!;
    older.deletedAt = '2026-06-01T00:00:00Z';
    try {
      const { effects } = await act('github.deletePackageVersions', { org: 'acme', targets: exposure.runs });
      const byHand = (effects as { byHand: Array<{ item: { package: string }; reason: string }> }).byHand;
      expect(byHand).toEqual([
        { item: expect.objectContaining({ package: name }), reason: expect.stringContaining('last tagged version') },
      ]);
      expect(pkg.versions.filter((v) => v.deletedAt === null)).toHaveLength(1);
    } finally {
      for (const p of org.state.packages.values()) for (const v of p.versions) v.deletedAt = null;
    }
  });
});
