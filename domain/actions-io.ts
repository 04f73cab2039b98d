import { z } from 'zod';

// The input and output shapes of the catalogue's actions, written from what each implementation in activities/ reads
// and returns. A step's output is what `run` returns (read-only actions) or what `apply` reports (mutating ones);
// `playbook validate` checks every `${steps.X.output.Y}` against them, so a field missing here refuses valid
// playbooks and a field invented here lets a typo through: keep them exact.

// Inputs are mostly `${…}` expressions resolved at run time, so their schemas name the fields an action reads and
// leave the values to the action.
const given = z.unknown();

const repoName = z.object({ owner: z.string(), name: z.string() });
const affectedPackage = z.object({
  ecosystem: z.string(),
  name: z.string(),
  versions: z.array(z.string()),
  ranges: z.array(z.unknown()).optional(),
});
const finding = z.object({
  repo: z.string(),
  file: z.string(),
  ecosystem: z.string(),
  package: z.string(),
  version: z.string(),
  advisory: z.string(),
  kind: z.enum(['installed', 'could-resolve']),
  line: z.number().optional(),
  direct: z.boolean().optional(),
  path: z.array(z.string()).optional(),
});
const apiCalls = z.record(z.string(), z.number());
const run = z.object({
  repo: z.string(),
  id: z.number(),
  workflowId: z.number(),
  workflowPath: z.string(),
  headSha: z.string(),
  createdAt: z.string(),
  event: z.string(),
  conclusion: z.string().nullable(),
});
const workflow = z.object({ repo: z.string(), id: z.number(), path: z.string() });
const runner = z.object({
  id: z.number(),
  name: z.string(),
  os: z.string(),
  status: z.string(),
  busy: z.boolean(),
  labels: z.array(z.string()),
  scope: z.string(),
});
const secret = z.object({
  repo: z.string(),
  scope: z.enum(['repository', 'environment', 'organization']),
  environment: z.string().optional(),
  name: z.string(),
});
const counts = z.object({ artifacts: z.number(), caches: z.number(), logs: z.number() });
const userKey = z.object({ user: z.string(), keyId: z.string() });
const rotatedUser = z.object({
  user: z.string(),
  newKeyId: z.string(),
  fingerprint: z.string(),
  deactivated: z.array(z.string()),
  deletedToMakeRoom: z.array(z.string()),
  discarded: z.array(z.string()),
  secretsUpdated: z.array(z.string()),
  loginProfileDeleted: z.boolean(),
});
const revokedRole = z.object({ role: z.string(), policyName: z.string(), revokedBefore: z.string() });
const rolledBack = z.object({
  repo: z.string(),
  environment: z.string(),
  deploymentId: z.number(),
  goodSha: z.string(),
  previousSha: z.string(),
});
const pullRequest = z.object({
  repo: z.string(),
  number: z.number(),
  url: z.string(),
  branch: z.string(),
  pullRequest: z.enum(['created', 'updated', 'unchanged']),
  filesWritten: z.number(),
});
const workflowsChanged = (verb: 'disabled' | 'enabled') =>
  z.object({ [verb]: z.array(z.unknown()), missing: z.array(z.unknown()) });

/** The input and output schema of one action. */
export interface ActionIo {
  /** The fields of a step's `inputs` the action reads. */
  input: z.ZodObject;
  /** What `${steps.<id>.output}` holds once the step has succeeded. */
  output: z.ZodType;
}

/** Input and output schemas of the supply-chain actions, by name. */
export const ACTION_IO: Readonly<Record<string, ActionIo>> = {
  'incident.declare': {
    input: z.object({ org: given, packages: given, since: given, until: given, advisoryIds: given }),
    output: z.object({
      org: z.string(),
      packages: z.array(affectedPackage),
      since: z.string(),
      until: z.string().nullable(),
      advisoryIds: z.array(z.string()),
    }),
  },
  'github.listRepos': {
    input: z.object({ org: given }),
    output: z.object({
      repos: z.array(repoName.extend({ visibility: z.string(), defaultBranch: z.string().optional() })),
      count: z.number(),
      apiCalls,
    }),
  },
  'exposure.identifyInstalls': {
    // `items` is the step's batch of repositories when it fans out with forEach.
    input: z.object({ org: given, packages: given, items: given }),
    output: z.object({
      exposedRepos: z.array(repoName.extend({ visibility: z.string(), defaultBranch: z.string().optional() })),
      findings: z.array(finding),
      parseErrors: z.array(z.object({ repo: z.string(), file: z.string(), message: z.string() })),
      reposScanned: z.number(),
      lockfilesRead: z.number(),
      lockfilesSkipped: z.number(),
      apiCalls,
    }),
  },
  'github.collectCiExposure': {
    input: z.object({ org: given, repos: given, since: given, until: given }),
    output: z.object({
      runs: z.array(run),
      workflows: z.array(workflow),
      runners: z.array(runner),
      secrets: z.array(secret),
      apiCalls,
    }),
  },
  'github.disableWorkflows': { input: z.object({ targets: given }), output: workflowsChanged('disabled') },
  'github.enableWorkflows': { input: z.object({ targets: given }), output: workflowsChanged('enabled') },
  'github.purgeRunArtifacts': {
    input: z.object({ targets: given }),
    output: z.object({
      cancelledRuns: z.array(z.object({ repo: z.string(), runId: z.number() })),
      deleted: counts,
      alreadyGone: counts,
    }),
  },
  'github.openPinPullRequests': {
    input: z.object({
      targets: given,
      findings: given,
      packages: given,
      advisoryIds: given,
      since: given,
      incidentUrl: given,
    }),
    output: z.object({
      pullRequests: z.array(pullRequest),
      opened: z.number(),
      createdThisAttempt: z.number(),
      updated: z.number(),
      refused: z.array(z.object({ repo: z.string(), reason: z.string() })),
      byHand: z.array(
        z.object({ repo: z.string(), file: z.string(), package: z.string(), version: z.string(), reason: z.string() }),
      ),
    }),
  },
  'github.closePinPullRequests': {
    input: z.object({}),
    output: z.object({ closed: z.number(), pullRequests: z.array(z.unknown()) }),
  },
  'aws.rotateAccessKeys': {
    input: z.object({ targets: given, deleteLoginProfiles: given }),
    output: z.object({
      rotated: z.array(rotatedUser),
      keysRotated: z.number(),
      loginProfilesDeleted: z.array(z.string()),
      rotateByHand: z.array(z.unknown()),
    }),
  },
  'aws.reactivateAccessKeys': {
    input: z.object({}),
    output: z.object({ reactivated: z.array(z.unknown()), alreadyDeleted: z.array(z.unknown()) }),
  },
  'aws.deleteOldAccessKeys': {
    input: z.object({ rotated: given }),
    output: z.object({ deleted: z.array(userKey), alreadyGone: z.array(userKey), keysDeleted: z.number() }),
  },
  'aws.revokeRoleSessions': {
    input: z.object({ targets: given }),
    output: z.object({ revoked: z.array(revokedRole), sessionsRevoked: z.number() }),
  },
  'aws.restoreRoleSessions': { input: z.object({}), output: z.object({ restored: z.array(z.unknown()) }) },
  'github.revokeTokens': {
    input: z.object({ org: given, since: given, until: given, targets: given, repos: given, leakedTokensFile: given }),
    output: z.object({
      patsRevoked: z.array(z.object({ id: z.number(), tokenName: z.string(), owner: z.string() })),
      deployKeysDeleted: z.array(z.object({ repo: z.string(), id: z.number(), title: z.string() })),
      runnersRemoved: z.array(z.object({ scope: z.string(), id: z.number(), name: z.string() })),
      leakedTokensSubmitted: z.array(z.string()),
      alreadyGone: z.array(z.object({ kind: z.string(), id: z.number() })),
      tokensRevoked: z.number(),
    }),
  },
  'github.rollbackDeployments': {
    input: z.object({ targets: given, since: given }),
    output: z.object({ rolledBack: z.array(rolledBack), inactivated: z.unknown() }),
  },
  'github.restoreDeployments': { input: z.object({}), output: z.object({ restored: z.unknown() }) },
  'github.withdrawReleases': {
    input: z.object({ targets: given, mode: given }),
    output: z.object({
      withdrawn: z.array(z.unknown()),
      alreadyWithdrawn: z.number(),
      drafted: z.number(),
      deleted: z.number(),
    }),
  },
  'github.republishReleases': {
    input: z.object({}),
    output: z.object({ republished: z.unknown(), notRestorable: z.array(z.string()) }),
  },
  'github.deletePackageVersions': {
    input: z.object({ org: given, targets: given, until: given, types: given }),
    output: z.object({ deleted: z.array(z.unknown()), alreadyDeleted: z.number(), byHand: z.array(z.unknown()) }),
  },
  'github.restorePackageVersions': { input: z.object({}), output: z.object({ restored: z.number() }) },
  'notify.sendPackets': {
    input: z.object({ targets: given }),
    output: z.object({
      sent: z.array(
        z.object({
          recipient: z.string(),
          channel: z.string(),
          to: z.string(),
          messageId: z.string(),
          sha256: z.string(),
        }),
      ),
      alreadySent: z.number(),
      packets: z.array(
        z.object({
          recipient: z.string(),
          markdown: z.string(),
          html: z.string(),
          pdf: z.string(),
          sha256: z.string(),
        }),
      ),
    }),
  },
  'incident.report': {
    input: z.object({ exposure: given, ci: given }),
    output: z.object({
      exposedRepos: z.number(),
      findings: z.number(),
      runs: z.number(),
      workflows: z.number(),
      runners: z.number(),
      secrets: z.number(),
    }),
  },
};
