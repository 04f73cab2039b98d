/**
 * An external system an action talks to. What each needs configured lives in the worker (worker/handlers.ts); which
 * actions need it lives here, so pre-flight and the drill guard read one list.
 */
export type Integration = 'github' | 'aws' | 'registries' | 'smtp' | 'slack';

/** What cordon knows about an action a playbook step may name. */
export interface ActionSpec {
  /** Whether applying it changes something outside cordon (then it needs plan → approval → apply). */
  mutates: boolean;
  /** The action that reverses it, when one exists. */
  undo?: string;
  /** Whether applying it cannot be reversed at all (deleted logs, revoked tokens, sent notices). */
  irreversible?: boolean;
  /**
   * `drill` marks an action that, until its real implementation lands, computes its plan and records its effects
   * in the drill ledger without changing anything outside cordon.
   */
  implementation: 'real' | 'drill';
  description: string;
  /** The external systems its real implementation calls; none for actions inside cordon. */
  systems?: readonly Integration[];
}

/** A catalog of actions by name. */
export type ActionCatalog = Readonly<Record<string, ActionSpec>>;

/** The actions of the supply-chain playbook. */
export const DEFAULT_ACTIONS: ActionCatalog = {
  'incident.declare': {
    mutates: false,
    implementation: 'real',
    description: 'Record the advisory, affected packages and exposure window',
  },
  'github.listRepos': {
    mutates: false,
    implementation: 'real',
    systems: ['github'],
    description: "List the organisation's repositories",
  },
  'github.collectCiExposure': {
    mutates: false,
    implementation: 'real',
    systems: ['github'],
    description:
      'Actions runs inside the exposure window on exposed repos, their workflows, self-hosted runners and readable secret names',
  },
  'exposure.identifyInstalls': {
    mutates: false,
    implementation: 'real',
    systems: ['github'],
    description:
      'Find every lockfile in the org that resolves an affected version, and the CI runs, runners and secrets exposed',
  },
  'github.disableWorkflows': {
    mutates: true,
    undo: 'github.enableWorkflows',
    implementation: 'real',
    systems: ['github'],
    description: 'Disable the Actions workflows that ran with the bad version',
  },
  'github.enableWorkflows': {
    mutates: true,
    implementation: 'real',
    systems: ['github'],
    description: 'Re-enable workflows disabled by cordon',
  },
  'github.purgeRunArtifacts': {
    mutates: true,
    irreversible: true,
    implementation: 'real',
    systems: ['github'],
    description: 'Delete artifacts, caches and logs of exposed runs',
  },
  'github.openPinPullRequests': {
    mutates: true,
    undo: 'github.closePinPullRequests',
    implementation: 'real',
    systems: ['github', 'registries'],
    description: 'Open one pull request per exposed repo pinning the last good version',
  },
  'github.closePinPullRequests': {
    mutates: true,
    implementation: 'real',
    systems: ['github'],
    description: 'Close pin pull requests opened by cordon',
  },
  'aws.rotateAccessKeys': {
    mutates: true,
    undo: 'aws.reactivateAccessKeys',
    implementation: 'real',
    systems: ['aws', 'github'],
    description: 'Rotate IAM access keys behind exposed secrets and update the GitHub secrets',
  },
  'aws.reactivateAccessKeys': {
    mutates: true,
    implementation: 'real',
    systems: ['aws', 'github'],
    description: 'Re-activate the previous access keys',
  },
  'aws.deleteOldAccessKeys': {
    mutates: true,
    irreversible: true,
    implementation: 'real',
    systems: ['aws', 'github'],
    description: 'Delete the access keys a rotation deactivated, after the grace period',
  },
  'aws.revokeRoleSessions': {
    mutates: true,
    undo: 'aws.restoreRoleSessions',
    implementation: 'real',
    systems: ['aws', 'github'],
    description: 'Deny IAM role sessions issued before the revocation time',
  },
  'aws.restoreRoleSessions': {
    mutates: true,
    implementation: 'real',
    systems: ['aws', 'github'],
    description: 'Remove the session-revocation deny policy',
  },
  'github.revokeTokens': {
    mutates: true,
    irreversible: true,
    implementation: 'real',
    systems: ['github'],
    description: 'Revoke PATs, deploy keys and runners added or used inside the exposure window',
  },
  'github.rollbackDeployments': {
    mutates: true,
    undo: 'github.restoreDeployments',
    implementation: 'real',
    systems: ['github'],
    description: 'Redeploy the last good SHA of every environment deployed from an exposed run',
  },
  'github.restoreDeployments': {
    mutates: true,
    implementation: 'real',
    systems: ['github'],
    description: 'Redeploy what was live before the rollback',
  },
  'github.withdrawReleases': {
    mutates: true,
    undo: 'github.republishReleases',
    implementation: 'real',
    systems: ['github'],
    description:
      'Turn releases built from exposed runs back into drafts (or delete them, irreversibly, with mode: delete)',
  },
  'github.republishReleases': {
    mutates: true,
    implementation: 'real',
    systems: ['github'],
    description: 'Publish again the releases cordon turned into drafts',
  },
  'github.deletePackageVersions': {
    mutates: true,
    undo: 'github.restorePackageVersions',
    implementation: 'real',
    systems: ['github'],
    description:
      'Delete the GitHub Packages versions exposed repositories published after an exposed run started (restorable for 30 days)',
  },
  'github.restorePackageVersions': {
    mutates: true,
    implementation: 'real',
    systems: ['github'],
    description: 'Restore the package versions cordon deleted',
  },
  'notify.sendPackets': {
    mutates: true,
    irreversible: true,
    implementation: 'real',
    systems: ['smtp'],
    description: 'Send the counsel and insurer notification packets',
  },
  'incident.report': {
    mutates: false,
    implementation: 'real',
    description: 'Summarise the incident for the close-out report',
  },
};
