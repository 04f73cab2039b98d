// The `ApplicationFailure` types activities throw and workflows throw or match on, in one pure module both sides
// import. Recorded histories carry these strings and auditors replay them: a value never changes once released.

/** ApplicationFailure types, by name. */
export const FailureType = {
  GitHubUnauthorized: 'GITHUB_UNAUTHORIZED',
  GitHubForbidden: 'GITHUB_FORBIDDEN',
  GitHubNotFound: 'GITHUB_NOT_FOUND',
  GitHubRateLimited: 'GITHUB_RATE_LIMITED',
  GitHubInvalidRequest: 'GITHUB_INVALID_REQUEST',
  GitHubUnavailable: 'GITHUB_UNAVAILABLE',
  GitHubNotConfigured: 'GITHUB_NOT_CONFIGURED',
  AwsNotConfigured: 'AWS_NOT_CONFIGURED',
  NotifyNotConfigured: 'NOTIFY_NOT_CONFIGURED',
  UnknownParty: 'UNKNOWN_PARTY',
  PacketChanged: 'PACKET_CHANGED',
  UnknownApproverGroup: 'UNKNOWN_APPROVER_GROUP',
  NpmPackageNotFound: 'NPM_PACKAGE_NOT_FOUND',
  PypiPackageNotFound: 'PYPI_PACKAGE_NOT_FOUND',
  CrateNotFound: 'CRATE_NOT_FOUND',
  BadDeclaration: 'BAD_DECLARATION',
  PlanHashMismatch: 'PLAN_HASH_MISMATCH',
  BadLeakedTokensFile: 'BAD_LEAKED_TOKENS_FILE',
  NoPackages: 'NO_PACKAGES',
  PinPlanStale: 'PIN_PLAN_STALE',
  BadInput: 'BAD_INPUT',
  BadTarget: 'BAD_TARGET',
  DeploymentNotCreated: 'DEPLOYMENT_NOT_CREATED',
  UnknownStep: 'UNKNOWN_STEP',
  NotAwaitingApproval: 'NOT_AWAITING_APPROVAL',
  StalePlan: 'STALE_PLAN',
  NotInGroup: 'NOT_IN_GROUP',
  SeparationOfDuties: 'SEPARATION_OF_DUTIES',
  AlreadyVoted: 'ALREADY_VOTED',
  ReasonRequired: 'REASON_REQUIRED',
  NotFailed: 'NOT_FAILED',
  AlreadyAcknowledged: 'ALREADY_ACKNOWLEDGED',
  BadAck: 'BAD_ACK',
  ReferenceRequired: 'REFERENCE_REQUIRED',
  DrillRealEndpoint: 'DRILL_REAL_ENDPOINT',
  BadSignature: 'BAD_SIGNATURE',
  UnknownKey: 'UNKNOWN_KEY',
  AliasOfVoter: 'ALIAS_OF_VOTER',
  SignatureRequired: 'SIGNATURE_REQUIRED',
  StaleNonce: 'STALE_NONCE',
  UnknownPrincipal: 'UNKNOWN_PRINCIPAL',
  TooLong: 'TOO_LONG',
} as const;

/** A failure type from the catalogue. */
export type FailureType = (typeof FailureType)[keyof typeof FailureType];

/** What the catalogue says about one failure type. */
export interface FailureTypeSpec {
  /**
   * Whether Temporal's retry policy may try again. Update refusals (votes, acknowledgements) are never retried:
   * the caller hears them at once.
   */
  retryable: boolean;
  /** One line: when this failure is thrown. */
  doc: string;
}

/** Every failure type with its retry decision and meaning; the type makes a missing entry a compile error. */
export const FAILURE_CATALOGUE = {
  GITHUB_UNAUTHORIZED: { retryable: false, doc: 'GitHub answered 401: the token is bad or revoked.' },
  GITHUB_FORBIDDEN: { retryable: false, doc: 'GitHub answered 403 (not a rate limit): the token lacks a permission.' },
  GITHUB_NOT_FOUND: { retryable: false, doc: 'GitHub answered 404: the organisation, repository or object is gone.' },
  GITHUB_RATE_LIMITED: {
    retryable: true,
    doc: 'A rate limit outlasted the client; retried after the announced reset.',
  },
  GITHUB_INVALID_REQUEST: { retryable: false, doc: 'GitHub answered 400/422, or the input was invalid before asking.' },
  GITHUB_UNAVAILABLE: { retryable: true, doc: 'GitHub answered 5xx or the network failed.' },
  GITHUB_NOT_CONFIGURED: { retryable: false, doc: 'The worker has no GITHUB_TOKEN for a GitHub action.' },
  AWS_NOT_CONFIGURED: { retryable: false, doc: 'The worker has no AWS configuration for an AWS action.' },
  NOTIFY_NOT_CONFIGURED: { retryable: false, doc: 'The approved plan delivers through a channel the worker lacks.' },
  UNKNOWN_PARTY: { retryable: false, doc: 'Notification targets name a party the obligations file does not know.' },
  PACKET_CHANGED: { retryable: false, doc: 'A notification packet changed after approval; nothing was sent.' },
  UNKNOWN_APPROVER_GROUP: { retryable: false, doc: 'A step names an approver group the configuration lacks.' },
  NPM_PACKAGE_NOT_FOUND: { retryable: false, doc: 'The npm registry has no such package.' },
  PYPI_PACKAGE_NOT_FOUND: { retryable: false, doc: 'The package index has no such project or release.' },
  CRATE_NOT_FOUND: { retryable: false, doc: 'The crate index has no such crate.' },
  BAD_DECLARATION: { retryable: false, doc: 'A declaration lacks its org, packages or exposure start.' },
  PLAN_HASH_MISMATCH: { retryable: false, doc: 'An apply was asked for a plan other than the approved one.' },
  BAD_LEAKED_TOKENS_FILE: { retryable: false, doc: 'The leaked-tokens file for revocation cannot be read.' },
  NO_PACKAGES: { retryable: false, doc: 'Identifying installs was asked without affected packages.' },
  PIN_PLAN_STALE: { retryable: false, doc: 'A repository changed since the pin plan was approved.' },
  BAD_INPUT: { retryable: false, doc: 'A containment action got a malformed input (time, mode).' },
  BAD_TARGET: { retryable: false, doc: 'A target is not a repository written as owner/name.' },
  DEPLOYMENT_NOT_CREATED: { retryable: false, doc: 'GitHub answered 202 to a rollback without creating a deployment.' },
  UNKNOWN_STEP: { retryable: false, doc: 'Vote refused: the playbook has no such step.' },
  NOT_AWAITING_APPROVAL: { retryable: false, doc: 'Vote refused: the step is not awaiting approval.' },
  STALE_PLAN: { retryable: false, doc: 'Vote refused: the vote is for a plan other than the one awaiting approval.' },
  NOT_IN_GROUP: { retryable: false, doc: "Vote refused: the approver is not in the step's approver group." },
  SEPARATION_OF_DUTIES: { retryable: false, doc: 'Vote refused: the incident initiator may not approve its steps.' },
  ALREADY_VOTED: { retryable: false, doc: 'Vote refused: the approver already voted on this plan.' },
  REASON_REQUIRED: { retryable: false, doc: 'Vote refused: a rejection needs a reason.' },
  NOT_FAILED: { retryable: false, doc: 'Retry or skip refused: the step is not failed and waiting for a decision.' },
  ALREADY_ACKNOWLEDGED: { retryable: false, doc: 'Acknowledgement refused: the obligation is already acknowledged.' },
  BAD_ACK: { retryable: false, doc: 'Acknowledgement refused: it lacks who acknowledged, or its time is malformed.' },
  REFERENCE_REQUIRED: { retryable: false, doc: 'Acknowledgement refused: the obligation expects a reference.' },
  DRILL_REAL_ENDPOINT: {
    retryable: false,
    doc: 'A drill step would call a system that is not a sandbox (loopback or CORDON_SANDBOX_URLS); nothing was called.',
  },
  BAD_SIGNATURE: {
    retryable: false,
    doc: 'Vote refused: its signature does not verify, or the signed payload differs from the vote.',
  },
  UNKNOWN_KEY: { retryable: false, doc: "Vote refused: the signing key is not one of the voter's pinned keys." },
  ALIAS_OF_VOTER: { retryable: false, doc: 'Vote refused: another alias of a person who already voted on this plan.' },
  SIGNATURE_REQUIRED: { retryable: false, doc: 'Vote refused: the approval policy needs a proof the vote lacks.' },
  STALE_NONCE: { retryable: false, doc: 'Vote refused: signed for another approval request or round.' },
  UNKNOWN_PRINCIPAL: { retryable: false, doc: 'Vote refused: the alias names nobody on that channel.' },
  TOO_LONG: {
    retryable: false,
    doc: 'An update refused: a reason, note, title or reference is over its limit (domain/limits.ts).',
  },
} as const satisfies Record<FailureType, FailureTypeSpec>;

/**
 * The failure type of an AWS error: `AWS_` and the SDK's error name (`AWS_NoSuchEntity`, `AWS_Throttling`), so a
 * history says what IAM answered. Retryable unless the name says the request or the caller's rights are wrong.
 */
export const awsFailureType = (errorName: string): `AWS_${string}` => `AWS_${errorName}`;
