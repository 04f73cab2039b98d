import type { GitHubClient } from '../client';
import type { ActionHandler } from '../../registry';
import type { ActionEffects, ActionPlan } from '../../types';
import { countIn, changeIfPresent, getIfPresent, repoParams, targetList } from './targets';

/** A workflow as `github.collectCiExposure` lists it. */
export interface WorkflowTarget {
  /** `owner/name`. */
  repo: string;
  id: number;
  path?: string;
}

/** Input of `github.disableWorkflows` and `github.enableWorkflows`. */
export interface WorkflowsInput {
  targets: WorkflowTarget | WorkflowTarget[] | null;
}

/** One workflow whose state the plan changes. */
export interface WorkflowItem {
  repo: string;
  id: number;
  path: string;
  /** The state GitHub reported when the plan was made. */
  from: string;
}

type Want = 'disable' | 'enable';

/**
 * Workflows whose state `want` would change, read from GitHub (https://docs.github.com/rest/actions/workflows#get-a-workflow):
 * disabling skips workflows that are not `active` (already disabled, or deleted); enabling skips `active` and
 * `deleted` ones, which cannot be enabled.
 */
async function planFor(octokit: GitHubClient, want: Want, input: WorkflowsInput): Promise<ActionPlan<WorkflowItem>> {
  const items: WorkflowItem[] = [];
  const skipped: Array<{ repo: string; id: number; state: string }> = [];
  const seen = new Set<string>();
  for (const t of targetList(input.targets)) {
    if (seen.has(`${t.repo}#${t.id}`)) continue;
    seen.add(`${t.repo}#${t.id}`);
    const got = await getIfPresent(`get workflow ${t.repo}#${t.id}`, () =>
      octokit.rest.actions.getWorkflow({ ...repoParams(t.repo), workflow_id: t.id }),
    );
    if (!got) {
      // Deleted since the exposure was collected (or the repository is gone): nothing left to change.
      skipped.push({ repo: t.repo, id: t.id, state: 'not_found' });
      continue;
    }
    const { data } = got;
    const changes = want === 'disable' ? data.state === 'active' : data.state !== 'active' && data.state !== 'deleted';
    if (changes) items.push({ repo: t.repo, id: t.id, path: data.path, from: data.state });
    else skipped.push({ repo: t.repo, id: t.id, state: data.state });
  }
  return {
    summary: `${want} ${countIn(
      items.length,
      'workflow',
      items.map((i) => i.repo),
    )}`,
    items,
    irreversible: false,
    details: { skipped },
  };
}

/**
 * Sets each item's state. Both endpoints answer 204 whatever the current state, so a retried apply changes
 * nothing twice. https://docs.github.com/rest/actions/workflows#disable-a-workflow
 */
async function setState(
  octokit: GitHubClient,
  want: Want,
  items: WorkflowItem[],
): Promise<{ changed: WorkflowItem[]; missing: WorkflowItem[] }> {
  const changed: WorkflowItem[] = [];
  const missing: WorkflowItem[] = [];
  for (const item of items) {
    const params = { ...repoParams(item.repo), workflow_id: item.id };
    // A workflow deleted since the plan (404) has nothing left to change; the effects say so.
    const done = await changeIfPresent(`${want} workflow ${item.repo}#${item.id}`, () =>
      want === 'disable' ? octokit.rest.actions.disableWorkflow(params) : octokit.rest.actions.enableWorkflow(params),
    );
    (done ? changed : missing).push(item);
  }
  return { changed, missing };
}

/**
 * `github.disableWorkflows`: stops exposed workflows from running again; effects `{ disabled, missing }` (workflows
 * disabled, and planned ones deleted since).
 */
export function disableWorkflows(octokit: GitHubClient): ActionHandler<WorkflowsInput, WorkflowItem> {
  return {
    plan: (input) => planFor(octokit, 'disable', input),
    async apply(plan) {
      const { changed, missing } = await setState(octokit, 'disable', plan.items);
      return { disabled: changed, missing };
    },
  };
}

/**
 * `github.enableWorkflows`: re-enables workflows (plan/apply over `targets`), and as the undo of
 * `github.disableWorkflows` re-enables exactly the workflows its effects list as disabled, nothing else.
 */
export function enableWorkflows(octokit: GitHubClient): ActionHandler<WorkflowsInput, WorkflowItem> {
  return {
    plan: (input) => planFor(octokit, 'enable', input),
    async apply(plan) {
      const { changed, missing } = await setState(octokit, 'enable', plan.items);
      return { enabled: changed, missing };
    },
    async undo(effects: ActionEffects) {
      const disabled = (effects.disabled as WorkflowItem[] | undefined) ?? [];
      const { changed, missing } = await setState(octokit, 'enable', disabled);
      return { enabled: changed, missing };
    },
  };
}
