import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { FailureType } from '../domain/failures';
import type { CompiledPlaybook } from '../domain/playbook/compiled';
import type { VotePayload } from '../domain/signing/vote-payload';
import type { StandDownPreview } from '../domain/playbook/decisions';

/** Task queue the cordon worker polls. */
export const TASK_QUEUE = 'cordon';

/** Incident severities, lowest first. */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A package (or GitHub Action) named in the declaration, with its affected versions and OSV ranges. */
export type { AffectedPackage } from '../domain/advisory/types';
import type { AffectedPackage } from '../domain/advisory/types';
import type { CompiledObligation, CompiledObligations, RecordedFact, Trigger } from '../domain/notify';
import type { PreflightProblem } from '../domain/preflight';

/** Workflow input: what was declared, by whom, and exactly which playbook (compiled, with its sha256) runs. */
export interface IncidentInput {
  incidentId: string;
  title: string;
  initiator: string;
  severity: Severity;
  org: string;
  /** Start of the exposure window (ISO 8601). */
  since: string;
  /** End of the exposure window, when known (ISO 8601). */
  until?: string;
  packages: AffectedPackage[];
  /** Advisory ids (OSV / GHSA) this incident answers. */
  advisoryIds: string[];
  playbook: CompiledPlaybook;
  playbookSha256: string;
  drill: boolean;
  /** The notice obligations (legal clocks) this incident runs with; absent, no obligation is ever started. */
  obligations?: CompiledObligations;
  /** Facts known at declaration (e.g. personal data possibly exposed). */
  facts?: RecordedFact[];
  /**
   * Declare even though pre-flight finds configuration missing: the steps that need it become `manual` (left to
   * people, never run by cordon). A drill that would reach a real system is refused regardless.
   */
  allowMissing?: boolean;
}

export type StepStatus =
  | 'pending'
  | 'running'
  | 'awaiting-approval'
  | 'applying'
  | 'succeeded'
  | 'skipped'
  | 'rejected'
  | 'failed'
  | 'cancelled'
  | 'compensated'
  | 'compensation-failed'
  /** Left to people: pre-flight found what it needs missing and the declarer allowed that; cordon never runs it. */
  | 'manual';

/** Where a vote came from, recorded in history for auditors. */
export type VoteChannel = 'cli' | 'slack' | 'drill' | 'api' | 'policy';

export type { DecisionProof, PinnedPrincipal, RecordedProof, ResolvedPrincipals } from '../domain/decisions';
import type { DecisionProof, PinnedPrincipal, RecordedProof } from '../domain/decisions';

/** One approver's decision on one plan. */
export interface Vote {
  approver: string;
  decision: 'approve' | 'reject';
  planHash: string;
  reason?: string;
  channel: VoteChannel;
  at: string;
  /** The person behind `approver` (rounds opened under signed votes). */
  principal?: string;
  proof?: RecordedProof;
  /** `SHA256:…` of the SSH key, or the passkey's credential id, that signed. */
  keyFingerprint?: string;
  /** The signed payload, kept so that auditors can verify the signature again. */
  payload?: VotePayload;
  /** The signature (or attestation) as sent. */
  signature?: DecisionProof;
}

/** The approval request of a step's current plan. */
export interface ApprovalState {
  round: number;
  planHash: string;
  group: string;
  members: string[];
  quorum: number;
  separationOfDuties: boolean;
  requestedAt: string;
  deadline: string;
  escalated: boolean;
  escalationGroup?: string;
  votes: Vote[];
  decision?: 'approved' | 'rejected';
  decidedBy?: string;
  decidedAt?: string;
  /** Set when the decision came from the playbook's default on expiry. */
  expired?: boolean;
  /** Issued with the request (rounds opened under signed votes): a signed vote must carry it. */
  nonce?: string;
  /** Which proof a vote needs: `signed` (SSH key or passkey) or `slack` (also the Slack app's attestation). */
  proof?: 'signed' | 'slack';
  /** The group's principals with their keys, as they were when the request was made. */
  principals?: PinnedPrincipal[];
  initiatorPrincipal?: string;
  /** The Slack app's attestation public key pinned with the request. */
  slackAttestationKey?: string;
}

/** A step's plan as shown to approvers (the full plan is in `plan`). */
export interface PlanState {
  hash: string;
  summary: string;
  itemCount: number;
  irreversible: boolean;
  items: unknown[];
  details?: Record<string, unknown>;
}

/** Everything known about one step. */
export interface StepState {
  id: string;
  name: string;
  phase: string;
  action: string;
  mutates: boolean;
  status: StepStatus;
  startedAt?: string;
  finishedAt?: string;
  plan?: PlanState;
  /** Every approval round (a changed plan opens a new round). */
  approvals: ApprovalState[];
  output?: unknown;
  effects?: Record<string, unknown>;
  undoEffects?: Record<string, unknown>;
  error?: string;
  /** The failure's stable code (an ApplicationFailure type such as AWS_NOT_CONFIGURED), when it had one. */
  errorCode?: string;
  note?: string;
  /** Every failure of the step, each with who may decide it and what they decided (retry or skip). */
  failures?: FailureState[];
}

/** One failure of a step: the incident waits on it until someone in its groups retries or skips the step. */
export interface FailureState {
  attempt: number;
  error: string;
  code?: string;
  at: string;
  /** Approver groups that may decide, and their members when the step failed. */
  groups: string[];
  members: string[];
  separationOfDuties: boolean;
  decision?: 'retry' | 'skip';
  decidedBy?: string;
  decidedAt?: string;
  reason?: string;
  channel?: Exclude<VoteChannel, 'policy'>;
}

/** `refused`: pre-flight found missing pieces at declaration and nothing ran. */
export type IncidentStatus = 'running' | 'awaiting-approval' | 'completed' | 'stood-down' | 'failed' | 'refused';

/** What pre-flight found when the incident was declared, and whether it refused the incident for it. */
export interface PreflightState {
  problems: PreflightProblem[];
  refused: boolean;
  /** Steps left to people (with `allowMissing`). */
  manual: string[];
}

/** The whole incident state, returned by the `status` query. */
export interface IncidentState {
  incidentId: string;
  title: string;
  severity: Severity;
  org: string;
  initiator: string;
  since: string;
  packages: AffectedPackage[];
  advisoryIds: string[];
  playbook: { name: string; version: string; sha256: string };
  drill: boolean;
  status: IncidentStatus;
  phase: string;
  startedAt: string;
  finishedAt?: string;
  steps: StepState[];
  standDown?: { by: string; reason: string; at: string };
  /** What a stand-down would undo now (in the status query of a running incident). */
  standDownPreview?: StandDownPreview;
  /** The latest stand-down request (incidents under signed votes): open until its quorum decides. */
  standDownRequest?: StandDownRequest;
  failure?: string;
  /** Pre-flight's answer, once it has run (incidents declared before pre-flight existed have none). */
  preflight?: PreflightState;
  /** Facts recorded by people (declaration or `cordon fact`); present once there is one. */
  facts?: RecordedFact[];
  /** Obligations started so far, each a child workflow with its own clock; present when declared with obligations. */
  obligations?: ObligationRef[];
}

/** An obligation the incident started: where its clock runs and when it is due. */
export interface ObligationRef {
  id: string;
  who: string;
  description: string;
  trigger: Trigger;
  triggeredAt: string;
  clockStartedAt: string;
  deadline: string;
  workflowId: string;
}

/** Argument of the `recordFact` update: a person states a fact only they can know. */
export interface RecordFactInput {
  fact: Trigger;
  by: string;
  note?: string;
}

/** Input of an obligation's workflow: the obligation, its computed deadline, and the incident it belongs to. */
export interface ObligationInput {
  incidentId: string;
  obligation: CompiledObligation;
  triggeredAt: string;
  clockStartedAt: string;
  deadline: string;
  drill: boolean;
}

/** Who acknowledged an obligation, when, and the recipient's reference (claim or case number). */
export interface Acknowledgement {
  by: string;
  /** When the recipient acknowledged (as stated), ISO 8601; defaults to when it was recorded. */
  at: string;
  reference?: string;
  note?: string;
  recordedAt: string;
}

/** Argument of the `acknowledge` update. */
export interface AcknowledgeInput {
  by: string;
  at?: string;
  reference?: string;
  note?: string;
}

/** The live state of one obligation's clock, returned by its `obligation` query. */
export interface ObligationState {
  incidentId: string;
  id: string;
  who: string;
  partyName: string;
  description: string;
  owner: string;
  escalateTo?: string;
  triggeredAt: string;
  clockStartedAt: string;
  deadline: string;
  status: 'open' | 'overdue' | 'acknowledged';
  reminders: { before: number; at: string; sentAt?: string }[];
  escalatedAt?: string;
  expected: { expected: string; reference: 'required' | 'optional' };
  acknowledgement?: Acknowledgement;
  /** Notices delivered to the party (by `notify.sendPackets`), once each. */
  sent?: NoticeSent[];
}

/** A notice delivered to an obligation's party: the packet's digest and where it went. */
export interface NoticeSent {
  at: string;
  channel: string;
  to: string;
  messageId: string;
  sha256: string;
}

/** Argument of the `vote` update (approve or reject one step's current plan). */
export interface VoteInput {
  stepId: string;
  planHash: string;
  approver: string;
  decision: 'approve' | 'reject';
  reason?: string;
  channel: Exclude<VoteChannel, 'policy'>;
  /** What the voter signed; required once the step's approval round was opened under signed votes. */
  payload?: VotePayload;
  proof?: DecisionProof;
}

/** What a vote changed. */
export interface VoteResult {
  stepId: string;
  accepted: true;
  approvals: number;
  quorum: number;
  decision?: 'approved' | 'rejected';
}

/** Argument of the `retryStep` and `skipStep` updates: a decision on a failed step (a skip needs a reason). */
export interface StepDecisionInput {
  stepId: string;
  by: string;
  reason?: string;
  channel: Exclude<VoteChannel, 'policy'>;
}

/** What a retry or skip decided. */
export interface StepDecisionResult {
  stepId: string;
  accepted: true;
  decision: 'retry' | 'skip';
}

/** What the `standDown` update answers: the undos it runs, in order (absent on incidents that predate the list). */
export interface StandDownResult {
  accepted: true;
  undos?: { stepId: string; action: string }[];
  /**
   * Set when the stand-down is a decision (incidents under signed votes): nothing is undone until the request's
   * quorum approves through the `vote` update with stepId {@link STAND_DOWN_STEP}; this is what voters sign.
   */
  request?: { round: number; nonce: string; planHash: string };
}

/** The stepId a vote on the open stand-down request carries. */
export const STAND_DOWN_STEP = 'stand-down';

/** A stand-down asked for and put to approval: who asked, why, exactly which undos it runs, and its votes. */
export interface StandDownRequest {
  requestedBy: string;
  reason: string;
  requestedAt: string;
  /** The undos it runs, in order; the approval's planHash is the hash of this list. */
  undos: { stepId: string; action: string }[];
  approval: ApprovalState;
}

/** Argument of the `standDown` update. */
export interface StandDownInput {
  by: string;
  reason: string;
  payload?: VotePayload;
  proof?: DecisionProof;
}

/** Why the vote validator refused a vote: stable codes shown to the caller with the reason. */
export const VOTE_REFUSALS = [
  FailureType.UnknownStep,
  FailureType.NotAwaitingApproval,
  FailureType.StalePlan,
  FailureType.NotInGroup,
  FailureType.SeparationOfDuties,
  FailureType.AlreadyVoted,
  FailureType.ReasonRequired,
  FailureType.BadSignature,
  FailureType.UnknownKey,
  FailureType.AliasOfVoter,
  FailureType.SignatureRequired,
  FailureType.StaleNonce,
  FailureType.UnknownPrincipal,
  FailureType.NotFailed,
] as const;
export type VoteRefusal = (typeof VOTE_REFUSALS)[number];

/** Approve or reject a step's plan. The validator refuses, with the reason, any vote that cannot count. */
export const voteUpdate = defineUpdate<VoteResult, [VoteInput]>('vote');
/** Stand the incident down: cancel what runs, and undo applied steps in reverse (except those that opted out). */
export const standDownUpdate = defineUpdate<StandDownResult, [StandDownInput]>('standDown');
/**
 * Run a failed step again from its start: a mutating step plans again and asks for approval again. Refused unless
 * the step is failed and the caller may decide it.
 */
export const retryStepUpdate = defineUpdate<StepDecisionResult, [StepDecisionInput]>('retryStep');
/** Give up on a failed step (with a reason): it is skipped, and so are the steps that need it. */
export const skipStepUpdate = defineUpdate<StepDecisionResult, [StepDecisionInput]>('skipStep');
/** The whole incident state. */
export const statusQuery = defineQuery<IncidentState>('status');
/** Record a fact (exposure confirmed, personal data possibly exposed…) that starts the obligations it triggers. */
export const recordFactUpdate = defineUpdate<{ accepted: true }, [RecordFactInput]>('recordFact');
/** Record an obligation's acknowledgement: stops its clock. Refused if the reference it requires is missing. */
export const acknowledgeUpdate = defineUpdate<ObligationState, [AcknowledgeInput]>('acknowledge');
/** Tells an obligation that its party's notice went out (the clock runs on until acknowledged). */
export const noticeSentSignal = defineSignal<[NoticeSent]>('noticeSent');
/** One obligation's clock: deadline, reminders sent, escalation, acknowledgement. */
export const obligationQuery = defineQuery<ObligationState>('obligation');
/**
 * The id of an obligation's workflow. It carries the incident's run: the clock outlives the incident, and an
 * incident declared again later under the same id starts clocks of its own. Callers find it in the incident's
 * `obligations` (ObligationRef.workflowId).
 */
export const obligationWorkflowId = (incidentWorkflowId: string, incidentRunId: string, obligationId: string): string =>
  `${incidentWorkflowId}/${incidentRunId}/obligation/${obligationId}`;
