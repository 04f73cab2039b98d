import type { z } from 'zod';
import { ACTION_IO } from './actions-io';

/**
 * What an action works on, hence which configuration its handlers need: `github` (a token), `aws` (IAM and, for
 * rotated keys, GitHub), `notify` (the obligations file, SMTP or Slack), `cordon` (nothing outside the incident).
 */
export type ActionSystem = 'cordon' | 'github' | 'aws' | 'notify';

/** What cordon knows about an action a playbook step may name. */
export interface ActionSpec {
  /** What the action works on. Every action of `DEFAULT_ACTIONS` names it, so the worker can wire it by system. */
  system?: ActionSystem;
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
  /** The fields of a step's `inputs` it reads; `playbook validate` refuses any other field. Absent: not checked. */
  input?: z.ZodObject;
  /** What `${steps.<id>.output}` holds after it succeeded; references are checked against it. Absent: not checked. */
  output?: z.ZodType;
}

/** A catalog of actions by name. */
export type ActionCatalog = Readonly<Record<string, ActionSpec>>;

/** A catalog whose every action names its system (a new action without one does not compile). */
export type SystemActionCatalog = Readonly<Record<string, ActionSpec & { system: ActionSystem }>>;

const SPECS: SystemActionCatalog = {
  'incident.declare': {
    system: 'cordon',
    mutates: false,
    implementation: 'real',
    description: 'Record the advisory, affected packages and exposure window',
  },
  'github.listRepos': {
    system: 'github',
    mutates: false,
    implementation: 'real',
    description: "List the organisation's repositories",
  },
  'github.collectCiExposure': {
    system: 'github',
    mutates: false,
    implementation: 'real',
    description:
      'Actions runs inside the exposure window on exposed repos, their workflows, self-hosted runners and readable secret names',
  },
  'exposure.identifyInstalls': {
    system: 'github',
    mutates: false,
    implementation: 'real',
    description:
      'Find every lockfile in the org that resolves an affected version, and the CI runs, runners and secrets exposed',
  },
  'github.disableWorkflows': {
    system: 'github',
    mutates: true,
    undo: 'github.enableWorkflows',
    implementation: 'real',
    description: 'Disable the Actions workflows that ran with the bad version',
  },
  'github.enableWorkflows': {
    system: 'github',
    mutates: true,
    implementation: 'real',
    description: 'Re-enable workflows disabled by cordon',
  },
  'github.purgeRunArtifacts': {
    system: 'github',
    mutates: true,
    irreversible: true,
    implementation: 'real',
    description: 'Delete artifacts, caches and logs of exposed runs',
  },
  'github.openPinPullRequests': {
    system: 'github',
    mutates: true,
    undo: 'github.closePinPullRequests',
    implementation: 'real',
    description: 'Open one pull request per exposed repo pinning the last good version',
  },
  'github.closePinPullRequests': {
    system: 'github',
    mutates: true,
    implementation: 'real',
    description: 'Close pin pull requests opened by cordon',
  },
  'aws.rotateAccessKeys': {
    system: 'aws',
    mutates: true,
    undo: 'aws.reactivateAccessKeys',
    implementation: 'real',
    description: 'Rotate IAM access keys behind exposed secrets and update the GitHub secrets',
  },
  'aws.reactivateAccessKeys': {
    system: 'aws',
    mutates: true,
    implementation: 'real',
    description: 'Re-activate the previous access keys',
  },
  'aws.deleteOldAccessKeys': {
    system: 'aws',
    mutates: true,
    irreversible: true,
    implementation: 'real',
    description: 'Delete the access keys a rotation deactivated, after the grace period',
  },
  'aws.revokeRoleSessions': {
    system: 'aws',
    mutates: true,
    undo: 'aws.restoreRoleSessions',
    implementation: 'real',
    description: 'Deny IAM role sessions issued before the revocation time',
  },
  'aws.restoreRoleSessions': {
    system: 'aws',
    mutates: true,
    implementation: 'real',
    description: 'Remove the session-revocation deny policy',
  },
  'github.revokeTokens': {
    system: 'github',
    mutates: true,
    irreversible: true,
    implementation: 'real',
    description: 'Revoke PATs, deploy keys and runners added or used inside the exposure window',
  },
  'github.rollbackDeployments': {
    system: 'github',
    mutates: true,
    undo: 'github.restoreDeployments',
    implementation: 'real',
    description: 'Redeploy the last good SHA of every environment deployed from an exposed run',
  },
  'github.restoreDeployments': {
    system: 'github',
    mutates: true,
    implementation: 'real',
    description: 'Redeploy what was live before the rollback',
  },
  'github.withdrawReleases': {
    system: 'github',
    mutates: true,
    undo: 'github.republishReleases',
    implementation: 'real',
    description:
      'Turn releases built from exposed runs back into drafts (or delete them, irreversibly, with mode: delete)',
  },
  'github.republishReleases': {
    system: 'github',
    mutates: true,
    implementation: 'real',
    description: 'Publish again the releases cordon turned into drafts',
  },
  'github.deletePackageVersions': {
    system: 'github',
    mutates: true,
    undo: 'github.restorePackageVersions',
    implementation: 'real',
    description:
      'Delete the GitHub Packages versions exposed repositories published after an exposed run started (restorable for 30 days)',
  },
  'github.restorePackageVersions': {
    system: 'github',
    mutates: true,
    implementation: 'real',
    description: 'Restore the package versions cordon deleted',
  },
  'notify.sendPackets': {
    system: 'notify',
    mutates: true,
    irreversible: true,
    implementation: 'real',
    description: 'Send the counsel and insurer notification packets',
  },
  'incident.report': {
    system: 'cordon',
    mutates: false,
    implementation: 'real',
    description: 'Summarise the incident for the close-out report',
  },
};

/** The actions of the supply-chain playbook, each with its input and output schema (see actions-io.ts). */
export const DEFAULT_ACTIONS: SystemActionCatalog = Object.fromEntries(
  Object.entries(SPECS).map(([name, spec]) => [name, { ...spec, ...ACTION_IO[name] }]),
);

/** The names of a catalog's actions on one system, in catalog order. */
export function actionsOn(catalog: ActionCatalog, system: ActionSystem): string[] {
  return Object.entries(catalog)
    .filter(([, spec]) => spec.system === system)
    .map(([name]) => name);
}
