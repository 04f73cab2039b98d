import { ApplicationFailure } from '@temporalio/common';
import type { GitHubClient } from '../client';
import type { ActionHandler } from '../../registry';
import type { ActionContext, ActionEffects, ActionPlan } from '../../types';
import { clip, deactivateOnce, deployOnce, listDeployments, type DeploymentRef } from './deployments';
import { countIn, targetList } from './targets';
import { FailureType } from '../../../domain/failures';

/** A run as `github.collectCiExposure` lists it (other fields are ignored). */
export interface ExposedRunTarget {
  /** `owner/name`. */
  repo: string;
  id: number;
  headSha: string;
}

/** Input of `github.rollbackDeployments`. */
export interface RollbackInput {
  targets: ExposedRunTarget | ExposedRunTarget[] | null;
  /** Start of the exposure window (ISO 8601): the good deployment is the last one created before it. */
  since: string;
}

/** One environment to roll back. */
export interface RollbackItem {
  repo: string;
  environment: string;
  /** The last deployment before the exposure window, built from a SHA no exposed run built. */
  goodSha: string;
  goodDeploymentId: number;
  /** What the environment's newest deployment was when planned: the undo redeploys it. */
  liveSha: string;
  /** Deployments of exposed runs' head SHAs to this environment; apply marks them inactive. */
  exposedDeployments: Array<{ id: number; sha: string }>;
}

/** One environment the apply rolled back; the undo's input. */
export interface RolledBack {
  repo: string;
  environment: string;
  deploymentId: number;
  goodSha: string;
  previousSha: string;
}

const rollbackNote = (ctx: ActionContext, sha: string) =>
  clip(`cordon incident ${ctx.incidentId}: roll back to ${sha.slice(0, 12)}, the last deployment before exposure`);
const exposedNote = (ctx: ActionContext) =>
  clip(`cordon incident ${ctx.incidentId}: built from a run exposed to the incident, rolled back`);
const restoreNote = (ctx: ActionContext, sha: string) =>
  clip(`cordon incident ${ctx.incidentId}: restore ${sha.slice(0, 12)}, undoing the rollback`);
const undoneNote = (ctx: ActionContext) => clip(`cordon incident ${ctx.incidentId}: rollback undone`);

/** Exposed deployments of one repository by environment, and the head SHAs its exposed runs built. */
async function exposedByEnvironment(
  octokit: GitHubClient,
  repo: string,
  shas: Set<string>,
): Promise<Map<string, DeploymentRef[]>> {
  const byEnv = new Map<string, DeploymentRef[]>();
  for (const sha of shas)
    for (const d of await listDeployments(octokit, repo, { sha }))
      byEnv.set(d.environment, [...(byEnv.get(d.environment) ?? []), d]);
  return byEnv;
}

async function planRollback(octokit: GitHubClient, input: RollbackInput): Promise<ActionPlan<RollbackItem>> {
  const since = Date.parse(input.since);
  if (Number.isNaN(since)) {
    throw ApplicationFailure.create({
      type: FailureType.BadInput,
      message: `rollbackDeployments: since must be an ISO 8601 timestamp, got "${input.since}"`,
      nonRetryable: true,
    });
  }
  const shasByRepo = new Map<string, Set<string>>();
  for (const t of targetList(input.targets))
    shasByRepo.set(t.repo, (shasByRepo.get(t.repo) ?? new Set()).add(t.headSha));
  const items: RollbackItem[] = [];
  const noGoodDeployment: Array<{ repo: string; environment: string }> = [];
  for (const [repo, shas] of shasByRepo) {
    for (const [environment, exposed] of await exposedByEnvironment(octokit, repo, shas)) {
      const all = await listDeployments(octokit, repo, { environment });
      const good = all.find((d) => Date.parse(d.createdAt) < since && !shas.has(d.sha));
      if (!good) {
        noGoodDeployment.push({ repo, environment });
        continue;
      }
      items.push({
        repo,
        environment,
        goodSha: good.sha,
        goodDeploymentId: good.id,
        liveSha: all[0]?.sha ?? good.sha,
        exposedDeployments: exposed.map((d) => ({ id: d.id, sha: d.sha })),
      });
    }
  }
  const environments = countIn(
    items.length,
    'environment',
    items.map((i) => i.repo),
  );
  return {
    summary: `roll back ${environments} to their last deployment before ${input.since}`,
    items,
    irreversible: false,
    details: {
      noGoodDeployment,
      ...(noGoodDeployment.length > 0
        ? {
            warning: `${noGoodDeployment.length} environment(s) have no deployment before the window: roll back by hand`,
          }
        : {}),
    },
  };
}

/**
 * `github.rollbackDeployments`: for every environment deployed from an exposed run's head SHA, deploys the last
 * SHA deployed before the exposure window and marks the exposed deployments inactive, naming the incident.
 * Effects `{ rolledBack: RolledBack[], inactivated: number }`.
 */
export function rollbackDeployments(octokit: GitHubClient): ActionHandler<RollbackInput, RollbackItem> {
  return {
    plan: (input) => planRollback(octokit, input),
    async apply(plan, ctx) {
      const rolledBack: RolledBack[] = [];
      let inactivated = 0;
      for (const item of plan.items) {
        // A cancelled or timed-out attempt stops here: deployOnce makes its retry skip what this one deployed.
        ctx.signal?.throwIfAborted();
        const { id } = await deployOnce(
          octokit,
          item.repo,
          item.environment,
          item.goodSha,
          rollbackNote(ctx, item.goodSha),
          {
            cordon: { incidentId: ctx.incidentId, rollbackFrom: item.liveSha },
          },
        );
        for (const d of item.exposedDeployments)
          if (await deactivateOnce(octokit, item.repo, d.id, exposedNote(ctx))) inactivated++;
        rolledBack.push({
          repo: item.repo,
          environment: item.environment,
          deploymentId: id,
          goodSha: item.goodSha,
          previousSha: item.liveSha,
        });
      }
      return { rolledBack, inactivated };
    },
  };
}

/**
 * `github.restoreDeployments`, the undo of `github.rollbackDeployments`: redeploys in each environment the SHA that
 * was live before the rollback and marks the rollback deployment inactive. Effects `{ restored: RolledBack[] }`.
 */
export function restoreDeployments(octokit: GitHubClient): ActionHandler {
  return {
    async undo(effects: ActionEffects, _input, ctx) {
      const restored: RolledBack[] = [];
      for (const r of (effects.rolledBack as RolledBack[] | undefined) ?? []) {
        ctx.signal?.throwIfAborted();
        const { id } = await deployOnce(
          octokit,
          r.repo,
          r.environment,
          r.previousSha,
          restoreNote(ctx, r.previousSha),
          {
            cordon: { incidentId: ctx.incidentId, restoreOf: r.deploymentId },
          },
        );
        await deactivateOnce(octokit, r.repo, r.deploymentId, undoneNote(ctx));
        restored.push({ ...r, deploymentId: id });
      }
      return { restored };
    },
  };
}
