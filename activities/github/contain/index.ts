import type { GitHubClient } from '../client';
import { createNpmRegistry, type NpmRegistry } from '../../registries/npm';
import type { ActionHandlers } from '../../registry';
import { deletePackageVersions, restorePackageVersions } from './package-versions';
import { closePinPullRequests, openPinPullRequests, pinnersFor } from './pin-pull-requests';
import { createCratesRegistry, type CratesRegistry } from '../../registries/crates';
import { createPyPiRegistry, type PyPiRegistry } from '../../registries/pypi';
import { republishReleases, withdrawReleases } from './withdraw-releases';
import { purgeRunArtifacts } from './purge-run-artifacts';
import { restoreDeployments, rollbackDeployments } from './rollback-deployments';
import { disableWorkflows, enableWorkflows } from './actions-workflows';

export { disableWorkflows, enableWorkflows } from './actions-workflows';
export type { WorkflowItem, WorkflowTarget, WorkflowsInput } from './actions-workflows';
export { purgeRunArtifacts } from './purge-run-artifacts';
export type { PurgeEffects, PurgeInput, PurgeItem, RunTarget } from './purge-run-artifacts';
export { restoreDeployments, rollbackDeployments } from './rollback-deployments';
export type { ExposedRunTarget, RollbackInput, RollbackItem, RolledBack } from './rollback-deployments';
export { closePinPullRequests, openPinPullRequests, pinBranch } from './pin-pull-requests';
export type { PinApplied, PinByHand, PinInput, PinItem } from './pin-pull-requests';
export { lastGoodVersion, pinNpmLockfile } from '../../../lockfiles';
export { republishReleases, withdrawReleases } from './withdraw-releases';
export { deletePackageVersions, PACKAGE_TYPES, restorePackageVersions } from './package-versions';
export type { PackageVersionItem, PackageVersionsInput, PublishingRunTarget } from './package-versions';
export type { WithdrawInput, WithdrawItem } from './withdraw-releases';

/** What the contain and roll-back actions need. */
export interface ContainActivityDeps {
  /** `createGitHubClient(...)`: the sandbox's URL in drills and tests. */
  octokit: GitHubClient;
  /** Where pin pull requests read package documents. @default https://registry.npmjs.org */
  npmRegistry?: NpmRegistry;
  /** Where pin pull requests read PyPI releases. @default https://pypi.org */
  pypi?: PyPiRegistry;
  /** Where pin pull requests read crate versions. @default index.crates.io and crates.io */
  crates?: CratesRegistry;
}

/**
 * The real GitHub contain and roll-back actions, keyed by action name: `github.disableWorkflows`,
 * `github.enableWorkflows` (undo of disable), `github.openPinPullRequests` and `github.closePinPullRequests` (its undo),
 * `github.purgeRunArtifacts`, `github.rollbackDeployments` and
 * `github.restoreDeployments` (undo of rollback), `github.withdrawReleases` and `github.republishReleases` (its undo),
 * `github.deletePackageVersions` and `github.restorePackageVersions` (its undo).
 */
export function createContainActivities({ octokit, npmRegistry, pypi, crates }: ContainActivityDeps) {
  const pinners = pinnersFor({
    npm: npmRegistry ?? createNpmRegistry(),
    pypi: pypi ?? createPyPiRegistry(),
    crates: crates ?? createCratesRegistry(),
  });
  return {
    'github.openPinPullRequests': openPinPullRequests({ octokit, pinners }),
    'github.closePinPullRequests': closePinPullRequests({ octokit }),
    'github.withdrawReleases': withdrawReleases(octokit),
    'github.republishReleases': republishReleases(octokit),
    'github.deletePackageVersions': deletePackageVersions(octokit),
    'github.restorePackageVersions': restorePackageVersions(octokit),
    'github.disableWorkflows': disableWorkflows(octokit),
    'github.enableWorkflows': enableWorkflows(octokit),
    'github.purgeRunArtifacts': purgeRunArtifacts(octokit),
    'github.rollbackDeployments': rollbackDeployments(octokit),
    'github.restoreDeployments': restoreDeployments(octokit),
  } satisfies ActionHandlers;
}

/** The handlers `createContainActivities` returns, each typed for its own input and plan items. */
export type ContainActivities = ReturnType<typeof createContainActivities>;
