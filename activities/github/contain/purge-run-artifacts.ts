import type { GitHubClient } from '../client';
import { hasStatus, toApplicationFailure } from '../errors';
import type { ActionHandler } from '../../registry';
import type { ActionPlan } from '../../types';
import { call, changeIfPresent, countIn, getIfPresent, repoParams, targetList } from './targets';

/** A run as `github.collectCiExposure` lists it (other fields are ignored). */
export interface RunTarget {
  /** `owner/name`. */
  repo: string;
  id: number;
}

/** Input of `github.purgeRunArtifacts`. */
export interface PurgeInput {
  targets: RunTarget | RunTarget[] | null;
}

/** What the plan deletes for one exposed run. */
export interface PurgeItem {
  repo: string;
  runId: number;
  /** The run was still queued or running when planned: apply cancels it before deleting anything. */
  cancel: boolean;
  artifacts: Array<{ id: number; name: string }>;
  caches: Array<{ id: number; key: string; ref: string }>;
  logs: true;
}

/**
 * Counts of what one apply changed; a retry reports artifacts and caches as already gone. `logs` counts
 * acknowledged deletions: GitHub may answer 204 again for logs already deleted, so a retry can count them twice.
 */
export interface PurgeEffects {
  [key: string]: unknown;
  cancelledRuns: Array<{ repo: string; runId: number }>;
  deleted: { artifacts: number; caches: number; logs: number };
  alreadyGone: { artifacts: number; caches: number; logs: number };
}

/**
 * Caches the run saved. GitHub's cache list does not name the run that wrote an entry
 * (https://docs.github.com/rest/actions/cache#list-github-actions-caches-for-a-repository), but it gives the ref
 * and creation time: an entry on the run's branch created while the run was running is taken as the run's.
 */
async function runCaches(
  octokit: GitHubClient,
  repo: string,
  run: { head_branch: string | null; run_started_at?: string | undefined; created_at: string; updated_at: string },
): Promise<PurgeItem['caches']> {
  if (!run.head_branch) return [];
  const ref = `refs/heads/${run.head_branch}`;
  const from = Date.parse(run.run_started_at ?? run.created_at);
  const to = Date.parse(run.updated_at);
  const caches = await call(`list caches of ${repo}`, () =>
    octokit.paginate(octokit.rest.actions.getActionsCacheList, { ...repoParams(repo), ref, per_page: 100 }),
  );
  return caches
    .filter((c) => c.id !== undefined && c.created_at !== undefined)
    .filter((c) => Date.parse(c.created_at!) >= from && Date.parse(c.created_at!) <= to)
    .map((c) => ({ id: c.id!, key: c.key ?? '', ref: c.ref ?? ref }));
}

/** The purge of one run, or undefined when the run has been deleted (its artifacts and logs went with it). */
async function planRun(octokit: GitHubClient, t: RunTarget): Promise<PurgeItem | undefined> {
  const params = { ...repoParams(t.repo), run_id: t.id };
  const got = await getIfPresent(`get run ${t.repo}#${t.id}`, () => octokit.rest.actions.getWorkflowRun(params));
  if (!got) return undefined;
  const run = got.data;
  const artifacts = await call(`list artifacts of run ${t.repo}#${t.id}`, () =>
    octokit.paginate(octokit.rest.actions.listWorkflowRunArtifacts, { ...params, per_page: 100 }),
  );
  return {
    repo: t.repo,
    runId: t.id,
    cancel: run.status !== 'completed',
    artifacts: artifacts.map((a) => ({ id: a.id, name: a.name })),
    caches: await runCaches(octokit, t.repo, run),
    logs: true,
  };
}

/**
 * `github.purgeRunArtifacts`: deletes what exposed runs left behind (artifacts, caches, logs) so nothing built or
 * printed with the bad version can be downloaded or restored into a later build. Irreversible.
 */
export function purgeRunArtifacts(octokit: GitHubClient): ActionHandler<PurgeInput, PurgeItem> {
  return {
    async plan(input) {
      const seen = new Set<string>();
      const items: PurgeItem[] = [];
      const gone: Array<{ repo: string; runId: number }> = [];
      for (const t of targetList(input.targets)) {
        if (seen.has(`${t.repo}#${t.id}`)) continue;
        seen.add(`${t.repo}#${t.id}`);
        const item = await planRun(octokit, t);
        if (item) items.push(item);
        else gone.push({ repo: t.repo, runId: t.id });
      }
      const artifacts = items.reduce((n, i) => n + i.artifacts.length, 0);
      const caches = items.reduce((n, i) => n + i.caches.length, 0);
      const running = items.filter((i) => i.cancel).length;
      const plan: ActionPlan<PurgeItem> = {
        summary:
          `IRREVERSIBLE: delete ${artifacts} artifacts, ${caches} caches and the logs of ` +
          `${countIn(
            items.length,
            'run',
            items.map((i) => i.repo),
          )}` +
          (running > 0 ? `, cancelling ${running} still running first` : '') +
          '; deleted artifacts, caches and logs cannot be restored',
        items,
        irreversible: true,
        details: { artifacts, caches, runs: items.length, cancel: running, runsAlreadyDeleted: gone },
      };
      return plan;
    },
    async apply(plan, ctx) {
      const effects: PurgeEffects = {
        cancelledRuns: [],
        deleted: { artifacts: 0, caches: 0, logs: 0 },
        alreadyGone: { artifacts: 0, caches: 0, logs: 0 },
      };
      const tally = (kind: keyof PurgeEffects['deleted'], deleted: boolean) => {
        if (deleted) effects.deleted[kind]++;
        else effects.alreadyGone[kind]++;
      };
      for (const item of plan.items) {
        // A cancelled or timed-out attempt stops here: its retry redoes only what is still present.
        ctx.signal?.throwIfAborted();
        const p = repoParams(item.repo);
        const at = `${item.repo}#${item.runId}`;
        if (item.cancel && (await cancelRun(octokit, p, item.runId, at)))
          effects.cancelledRuns.push({ repo: item.repo, runId: item.runId });
        // https://docs.github.com/rest/actions/artifacts#delete-an-artifact
        for (const a of item.artifacts)
          tally(
            'artifacts',
            await changeIfPresent(`delete artifact ${a.id} of ${at}`, () =>
              octokit.rest.actions.deleteArtifact({ ...p, artifact_id: a.id }),
            ),
          );
        // https://docs.github.com/rest/actions/cache#delete-a-github-actions-cache-for-a-repository-using-a-cache-id
        for (const c of item.caches)
          tally(
            'caches',
            await changeIfPresent(`delete cache ${c.id} of ${item.repo}`, () =>
              octokit.rest.actions.deleteActionsCacheById({ ...p, cache_id: c.id }),
            ),
          );
        // https://docs.github.com/rest/actions/workflow-runs#delete-workflow-run-logs
        tally(
          'logs',
          await changeIfPresent(`delete logs of ${at}`, () =>
            octokit.rest.actions.deleteWorkflowRunLogs({ ...p, run_id: item.runId }),
          ),
        );
      }
      return effects;
    },
  };
}

/**
 * Cancels a run still in progress, so it cannot write new artifacts after the purge. Returns whether this call
 * cancelled it: GitHub answers 409 for a run that has finished since (https://docs.github.com/rest/actions/workflow-runs#cancel-a-workflow-run).
 */
async function cancelRun(
  octokit: GitHubClient,
  p: { owner: string; repo: string },
  runId: number,
  at: string,
): Promise<boolean> {
  try {
    await octokit.rest.actions.cancelWorkflowRun({ ...p, run_id: runId });
    return true;
  } catch (err) {
    if (hasStatus(err, 409)) return false;
    throw toApplicationFailure(err, `cancel run ${at}`);
  }
}
