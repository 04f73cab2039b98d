// The facts an audit needs, read from a decoded incident history: what was declared (the workflow input, with the
// playbook), every vote the workflow accepted (Update events), every approver lookup (local-activity markers),
// every mutating call (apply activities and fan-out batches), and the workflow's own final record (its result).
import type { ActionPlan, ApprovalRequestNotice, TimelineNotice } from '../activities/types';
import type { IncidentInput, IncidentState, VoteInput, VoteResult } from '../workflows/definitions';
import { attributesOf, firstValue, type JsonEvent } from './history-json';

/** A vote as the history records it: the Update's argument when accepted, and its outcome. */
export interface HistoryVote {
  eventId: number;
  at: string;
  updateId: string;
  /** The client identity that sent the update (`pid@host` for the SDK). */
  identity: string;
  vote: VoteInput;
  /** The event id of the update's completion, when it completed. */
  completedEventId?: number;
  result?: VoteResult;
  failed?: boolean;
}

/** A call of `<action>:<mode>`: an activity, or a fan-out batch child workflow that runs it. */
export interface HistoryCall {
  eventId: number;
  at: string;
  activity: string;
  mode: string;
  stepId: string;
  /** Set for a fan-out batch (a child workflow). */
  batch?: { index: number; of: number };
  /** The batch's child workflow id. */
  childWorkflowId?: string;
  planHash?: string;
  plan?: ActionPlan;
  /** An undo's `effects` input: what it was told the apply did. */
  effects?: unknown;
  /** The event that records the call's completion (activity or child workflow), when it completed. */
  completedEventId?: number;
  /** What the call returned: a plan, an apply's effects, a batch's share of them. */
  result?: unknown;
  /** The event that ended the call (completed, failed, timed out or cancelled), its time and how it ended. */
  ended?: { eventId: number; at: string; outcome: 'completed' | 'failed' | 'timed-out' | 'cancelled' };
}

/** A notice the workflow sent (`cordon.timeline`, `cordon.requestApproval`), at the time its activity was scheduled. */
export interface HistoryNotice<T> {
  eventId: number;
  at: string;
  notice: T;
}

/** A decision other than a vote (stand-down, retry, skip, a recorded fact): an Update the workflow accepted. */
export interface HistoryDecision {
  eventId: number;
  at: string;
  /** The Update's name: `standDown`, `retryStep`, `skipStep`, `recordFact`. */
  name: string;
  args: unknown;
  identity: string;
  /** True when the update's handler failed after it was accepted. */
  failed?: boolean;
}

/** A `cordon.resolveApprovers` local activity and the members it returned. */
export interface ApproverLookup {
  eventId: number;
  at: string;
  members: string[];
}

/** What the audit reads out of one history. */
export interface HistoryFacts {
  input?: IncidentInput;
  /** The workflow's result: its final record of every step, approval and vote. Absent while the incident runs. */
  finalState?: IncidentState;
  closeEvent?: { eventId: number; at: string; type: string };
  votes: HistoryVote[];
  calls: HistoryCall[];
  approverLookups: ApproverLookup[];
  /** Every timeline notice the workflow sent, in history order. */
  notices: HistoryNotice<TimelineNotice>[];
  /** Every approval request (and escalation) the workflow sent, in history order. */
  approvalRequests: HistoryNotice<ApprovalRequestNotice>[];
  /** Accepted non-vote Updates, in history order. */
  decisions: HistoryDecision[];
  /**
   * Markers of `cordon.timeline` run as a local activity (histories before the engine's activities were scheduled):
   * they record that a notice was sent, and when, but not the notice itself.
   */
  timelineMarkers?: { eventId: number; at: string }[];
  startedAt?: string;
}

const num = (id: string): number => Number(id);
const ev = (type: string): string => `EVENT_TYPE_${type}`;

/** Reads the audit facts out of decoded events (see decodeEvents). Unreadable payloads leave their fact out. */
export function historyFacts(events: JsonEvent[]): HistoryFacts {
  const facts: HistoryFacts = {
    votes: [],
    calls: [],
    approverLookups: [],
    notices: [],
    approvalRequests: [],
    decisions: [],
  };
  const votesByUpdate = new Map<string, HistoryVote>();
  const decisionsByUpdate = new Map<string, HistoryDecision>();
  const callsByEvent = new Map<number, HistoryCall>();
  /** Scheduled `cordon.resolveApprovers` activities (histories since the 'engine-activities' patch), by event id. */
  const lookupsScheduled = new Set<number>();
  const complete = (startId: unknown, eventId: string, result: unknown, at = ''): void => {
    if (lookupsScheduled.has(Number(startId))) {
      // resolveApprovers returns the members; resolvePrincipals (signed votes) returns them beside the principals.
      const value = firstValue(result);
      const members = Array.isArray(value) ? value : (value as { members?: unknown } | undefined)?.members;
      if (Array.isArray(members))
        facts.approverLookups.push({ eventId: num(eventId), at, members: members as string[] });
      return;
    }
    const call = callsByEvent.get(Number(startId));
    if (!call) return;
    call.completedEventId = num(eventId);
    call.result = firstValue(result);
    call.ended = { eventId: num(eventId), at, outcome: 'completed' };
  };
  const ended = (
    startId: unknown,
    eventId: string,
    at: string,
    outcome: 'failed' | 'timed-out' | 'cancelled',
  ): void => {
    const call = callsByEvent.get(Number(startId));
    if (call) call.ended = { eventId: num(eventId), at, outcome };
  };
  for (const e of events) {
    const a = attributesOf(e);
    const at = e.eventTime ?? '';
    switch (e.eventType) {
      case ev('WORKFLOW_EXECUTION_STARTED'): {
        const input = firstValue(a.input) as IncidentInput | undefined;
        if (input) facts.input = input;
        facts.startedAt = at;
        break;
      }
      case ev('WORKFLOW_EXECUTION_COMPLETED'): {
        const result = firstValue(a.result) as IncidentState | undefined;
        if (result) facts.finalState = result;
        facts.closeEvent = { eventId: num(e.eventId), at, type: e.eventType };
        break;
      }
      case ev('WORKFLOW_EXECUTION_FAILED'):
      case ev('WORKFLOW_EXECUTION_TERMINATED'):
      case ev('WORKFLOW_EXECUTION_CANCELED'):
      case ev('WORKFLOW_EXECUTION_TIMED_OUT'):
        facts.closeEvent = { eventId: num(e.eventId), at, type: e.eventType };
        break;
      case ev('WORKFLOW_EXECUTION_UPDATE_ACCEPTED'): {
        const req = a.acceptedRequest as
          { meta?: { updateId?: string; identity?: string }; input?: { name?: string; args?: unknown } } | undefined;
        if (req?.input?.name && req.input.name !== 'vote') {
          const d: HistoryDecision = {
            eventId: num(e.eventId),
            at,
            name: req.input.name,
            args: firstValue(req.input.args),
            identity: req.meta?.identity ?? '',
          };
          facts.decisions.push(d);
          decisionsByUpdate.set(req.meta?.updateId ?? '', d);
          break;
        }
        if (req?.input?.name !== 'vote') break;
        const vote = firstValue(req.input.args) as VoteInput | undefined;
        if (!vote) break;
        const v: HistoryVote = {
          eventId: num(e.eventId),
          at,
          updateId: req.meta?.updateId ?? '',
          identity: req.meta?.identity ?? '',
          vote,
        };
        facts.votes.push(v);
        votesByUpdate.set(v.updateId, v);
        break;
      }
      case ev('WORKFLOW_EXECUTION_UPDATE_COMPLETED'): {
        const meta = a.meta as { updateId?: string } | undefined;
        const outcome = a.outcome as { success?: unknown; failure?: unknown } | undefined;
        const d = decisionsByUpdate.get(meta?.updateId ?? '');
        if (d && !outcome?.success) d.failed = true;
        const v = votesByUpdate.get(meta?.updateId ?? '');
        if (!v) break;
        v.completedEventId = num(e.eventId);
        if (outcome?.success) v.result = firstValue(outcome.success) as VoteResult;
        else v.failed = true;
        break;
      }
      case ev('ACTIVITY_TASK_SCHEDULED'): {
        const name = (a.activityType as { name?: string } | undefined)?.name ?? '';
        if (name === 'cordon.resolveApprovers' || name === 'cordon.resolvePrincipals')
          lookupsScheduled.add(num(e.eventId));
        const notice = firstValue(a.input);
        if (name === 'cordon.timeline' && notice)
          facts.notices.push({ eventId: num(e.eventId), at, notice: notice as TimelineNotice });
        if (name === 'cordon.requestApproval' && notice)
          facts.approvalRequests.push({ eventId: num(e.eventId), at, notice: notice as ApprovalRequestNotice });
        const call = actionCall(name, firstValue(a.input), num(e.eventId), at);
        if (call) facts.calls.push(call);
        if (call) callsByEvent.set(call.eventId, call);
        break;
      }
      case ev('ACTIVITY_TASK_COMPLETED'):
        complete(a.scheduledEventId, e.eventId, a.result, at);
        break;
      case ev('ACTIVITY_TASK_FAILED'):
        ended(a.scheduledEventId, e.eventId, at, 'failed');
        break;
      case ev('ACTIVITY_TASK_TIMED_OUT'):
        ended(a.scheduledEventId, e.eventId, at, 'timed-out');
        break;
      case ev('ACTIVITY_TASK_CANCELED'):
        ended(a.scheduledEventId, e.eventId, at, 'cancelled');
        break;
      case ev('CHILD_WORKFLOW_EXECUTION_COMPLETED'):
        complete(a.initiatedEventId, e.eventId, a.result, at);
        break;
      case ev('CHILD_WORKFLOW_EXECUTION_FAILED'):
        ended(a.initiatedEventId, e.eventId, at, 'failed');
        break;
      case ev('CHILD_WORKFLOW_EXECUTION_TIMED_OUT'):
        ended(a.initiatedEventId, e.eventId, at, 'timed-out');
        break;
      case ev('CHILD_WORKFLOW_EXECUTION_CANCELED'):
      case ev('CHILD_WORKFLOW_EXECUTION_TERMINATED'):
        ended(a.initiatedEventId, e.eventId, at, 'cancelled');
        break;
      case ev('START_CHILD_WORKFLOW_EXECUTION_INITIATED'): {
        const batch = firstValue(a.input) as { activity?: string; arg?: unknown } | undefined;
        const call = batch?.activity ? actionCall(batch.activity, batch.arg, num(e.eventId), at) : undefined;
        if (!call) break;
        const child = { ...call, childWorkflowId: String(a.workflowId ?? '') };
        facts.calls.push(child);
        callsByEvent.set(child.eventId, child);
        break;
      }
      case ev('MARKER_RECORDED'): {
        const details = a.details as Record<string, unknown> | undefined;
        const data = firstValue(details?.data) as Record<string, unknown> | undefined;
        const type = data?.activity_type ?? data?.activityType;
        const members = firstValue(details?.result);
        if (type === 'cordon.timeline') (facts.timelineMarkers ??= []).push({ eventId: num(e.eventId), at });
        if (type === 'cordon.resolveApprovers' && Array.isArray(members))
          facts.approverLookups.push({ eventId: num(e.eventId), at, members: members as string[] });
        break;
      }
      default:
        break;
    }
  }
  return facts;
}

function actionCall(name: string, arg: unknown, eventId: number, at: string): HistoryCall | undefined {
  const colon = name.lastIndexOf(':');
  if (colon < 0) return undefined;
  const a = (arg ?? {}) as {
    ctx?: { stepId?: string };
    planHash?: string;
    plan?: ActionPlan;
    batch?: { index: number; of: number };
    effects?: unknown;
  };
  return {
    eventId,
    at,
    activity: name.slice(0, colon),
    mode: name.slice(colon + 1),
    stepId: a.ctx?.stepId ?? '',
    ...(a.batch ? { batch: a.batch } : {}),
    ...(a.planHash !== undefined ? { planHash: a.planHash } : {}),
    ...(a.plan !== undefined ? { plan: a.plan } : {}),
    ...(a.effects !== undefined ? { effects: a.effects } : {}),
  };
}
