import type { GitHubClient } from '../client';
import type { ActionHandlers } from '../../registry';
import { purgeRunArtifacts } from './purge-run-artifacts';
import { restoreDeployments, rollbackDeployments } from './rollback-deployments';
import { disableWorkflows, enableWorkflows } from './workflows';

export { disableWorkflows, enableWorkflows } from './workflows';
export type { WorkflowItem, WorkflowTarget, WorkflowsInput } from './workflows';
export { purgeRunArtifacts } from './purge-run-artifacts';
export type { PurgeEffects, PurgeInput, PurgeItem, RunTarget } from './purge-run-artifacts';
export { restoreDeployments, rollbackDeployments } from './rollback-deployments';
export type { ExposedRunTarget, RollbackInput, RollbackItem, RolledBack } from './rollback-deployments';

/** What the contain and roll-back actions need. */
export interface ContainActionDeps {
  /** `createGitHubClient(...)`: the sandbox's URL in drills and tests. */
  octokit: GitHubClient;
}

/**
 * The real GitHub contain and roll-back actions, keyed by action name: `github.disableWorkflows`,
 * `github.enableWorkflows` (undo of disable), `github.purgeRunArtifacts`, `github.rollbackDeployments` and
 * `github.restoreDeployments` (undo of rollback).
 */
export function createContainActions({ octokit }: ContainActionDeps): ActionHandlers {
  return {
    'github.disableWorkflows': disableWorkflows(octokit),
    'github.enableWorkflows': enableWorkflows(octokit),
    'github.purgeRunArtifacts': purgeRunArtifacts(octokit),
    'github.rollbackDeployments': rollbackDeployments(octokit),
    'github.restoreDeployments': restoreDeployments(octokit),
  } as unknown as ActionHandlers;
}
