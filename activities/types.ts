/**
 * The contract between the workflow interpreter and action implementations. Workflows import these *types* only.
 *
 * Every action is registered as activities named `<action>:run` (read-only actions) or `<action>:plan`,
 * `<action>:apply` and, where it can be reversed, `<action>:undo` (mutating actions).
 */
import type { ResolvedPrincipals } from '../domain/decisions';

import type { PreflightRequest, PreflightResult } from '../domain/preflight';

/** Identifies one call for idempotency: a retried or replayed activity with the same key changes nothing twice. */
export interface ActionContext {
  incidentId: string;
  stepId: string;
  /** `incident-<slug>/<step>` plus, for fan-outs, the batch; activities derive per-item keys from it. */
  idempotencyKey: string;
  /** Whether the incident is a drill (sandbox organisation). */
  drill: boolean;
  /**
   * Set by the worker for `apply` and `undo` (never sent by the workflow): aborted when this attempt is cancelled or
   * timed out, so long loops stop instead of racing the retry that replaces them.
   */
  signal?: AbortSignal;
}

/** What a mutating action would change; shown in the approval request and applied exactly as approved. */
export interface ActionPlan<Item = unknown> {
  /** One line for people: "disable 3 workflows in 2 repos". */
  summary: string;
  /** Every individual change, so the approval binds to each one. */
  items: Item[];
  /** True when at least one change cannot be undone (deleted logs, revoked tokens, sent notices). */
  irreversible: boolean;
  /** Free-form details (counts, warnings such as "2 secrets map to nothing: rotate by hand"). */
  details?: Record<string, unknown>;
}

/** What applying (or undoing) a plan changed; recorded in the incident state and the demo summary. */
export type ActionEffects = Record<string, unknown>;

/** Argument of `<action>:run` and `<action>:plan`. */
export interface ActionCall<Input = Record<string, unknown>> {
  ctx: ActionContext;
  input: Input;
}

/** Argument of `<action>:apply`: the exact approved plan and the hash the approval carried. */
export interface ApplyCall<Item = unknown> {
  ctx: ActionContext;
  plan: ActionPlan<Item>;
  planHash: string;
  /** Set when a fan-out applies the approved plan in batches: `plan.items` is then this batch's share. */
  batch?: { index: number; of: number };
}

/** Argument of `<action>:undo`: what the apply reported, and the step's undo inputs. */
export interface UndoCall {
  ctx: ActionContext;
  effects: ActionEffects;
  input: Record<string, unknown>;
}

/** Asks who belongs to an approver group right now (Slack user group, or the configured map). */
export interface ResolveApproversCall {
  group: string;
}

/** Asks who belongs to an approver group right now, as principals with their enrolled keys (pinned in history). */
export interface ResolvePrincipalsCall {
  group: string;
  /** The incident's initiator alias, resolved to its principal for separation of duties. */
  initiator: string;
}

/** Tells approvers that a step waits for them (Slack message, log line). */
export interface ApprovalRequestNotice {
  incidentId: string;
  stepId: string;
  stepName: string;
  action: string;
  planHash: string;
  summary: string;
  itemCount: number;
  irreversible: boolean;
  group: string;
  members: string[];
  quorum: number;
  deadline: string;
  escalated: boolean;
  /** The approval round; with `nonce`, what a signed vote's payload must carry (rounds opened under signed votes). */
  round?: number;
  nonce?: string;
  /** The proof a vote needs: `signed` (SSH key or passkey) or `slack` (the Slack app's attestation suffices). */
  proof?: 'signed' | 'slack';
  /** The first few planned changes, so approvers see what exactly will change (the full plan is in the status). */
  firstItems?: unknown[];
  /** The plan's free-form details (counts, warnings). */
  details?: Record<string, unknown>;
}

/** How an approval request was decided, carried by the timeline notice that announces it (Slack edits the request). */
export interface ApprovalDecisionNotice {
  round: number;
  planHash: string;
  decision: 'approved' | 'rejected';
  decidedBy: string;
  decidedAt: string;
  /** True when the playbook's default decided on expiry. */
  expired: boolean;
  votes: { approver: string; decision: 'approve' | 'reject'; reason?: string }[];
}

/** Timeline event posted to the incident's channel: step started, finished, failed, compensated. */
export interface TimelineNotice {
  incidentId: string;
  at: string;
  kind: string;
  stepId?: string;
  text: string;
  /** Set on `approved`, `rejected` and `expired`: the decision, so the approval request can be updated in place. */
  approval?: ApprovalDecisionNotice;
  /** People or groups the event is for besides the incident thread (an obligation's owner, its escalation). */
  mention?: string[];
}

/** The engine's own activities (as opposed to playbook actions). */
export interface EngineActivities {
  /**
   * Checks every step of the incident's playbook against what this worker has configured (and, for a drill, that
   * it only reaches sandboxes) before anything runs; answers what is missing, per piece.
   */
  'cordon.preflight'(req: PreflightRequest): Promise<PreflightResult>;
  'cordon.resolveApprovers'(call: ResolveApproversCall): Promise<string[]>;
  'cordon.resolvePrincipals'(call: ResolvePrincipalsCall): Promise<ResolvedPrincipals>;
  'cordon.requestApproval'(notice: ApprovalRequestNotice): Promise<void>;
  'cordon.timeline'(notice: TimelineNotice): Promise<void>;
}

/** Any action activity, as the workflow calls it through `proxyActivities`. */
export type ActionActivity = (arg: ActionCall | ApplyCall | UndoCall) => Promise<unknown>;
