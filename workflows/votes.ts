import { ApplicationFailure } from '@temporalio/workflow';
import type {
  ApprovalState,
  FailureState,
  StepDecisionInput,
  StepDecisionResult,
  StepState,
  VoteInput,
  VoteRefusal,
  VoteResult,
} from './definitions';
import { FailureType } from '../domain/failures';

function refuse(code: VoteRefusal, message: string): never {
  throw ApplicationFailure.create({ type: code, message: `${code}: ${message}`, nonRetryable: true });
}

/** The approval request a step is on now (a changed plan opens a new one). */
export const currentApproval = (s: StepState): ApprovalState | undefined => s.approvals[s.approvals.length - 1];

/**
 * The vote update's validator: refuses, with a stable code and the reason, every vote that cannot count. Runs
 * before the vote is written to history, so a refused vote leaves no trace but the caller's error.
 */
export function validateVote(step: StepState | undefined, v: VoteInput, initiator: string): void {
  if (!step) refuse(FailureType.UnknownStep, `no step "${v.stepId}" in this playbook`);
  const a = currentApproval(step);
  if (step.status !== 'awaiting-approval' || !a || a.decision) {
    refuse(FailureType.NotAwaitingApproval, `step "${v.stepId}" is ${step.status}, not awaiting approval`);
  }
  if (v.planHash !== a.planHash) {
    refuse(
      FailureType.StalePlan,
      `plan ${v.planHash.slice(0, 12)} is not the plan awaiting approval (${a.planHash.slice(0, 12)})`,
    );
  }
  if (!a.members.includes(v.approver)) {
    const groups = a.escalated ? `${a.group} or ${a.escalationGroup}` : a.group;
    refuse(FailureType.NotInGroup, `${v.approver} is not in approver group ${groups}`);
  }
  if (a.separationOfDuties && v.approver === initiator) {
    refuse(FailureType.SeparationOfDuties, `${v.approver} declared this incident and may not approve its steps`);
  }
  if (a.votes.some((x) => x.approver === v.approver))
    refuse(FailureType.AlreadyVoted, `${v.approver} already voted on this plan`);
  if (v.decision === 'reject' && !v.reason?.trim()) refuse(FailureType.ReasonRequired, 'a rejection needs a reason');
}

/** Records a validated vote; one rejection decides, as does the quorum of approvals. */
export function recordVote(step: StepState, v: VoteInput, at: string): VoteResult {
  const a = currentApproval(step)!;
  a.votes.push({
    approver: v.approver,
    decision: v.decision,
    planHash: v.planHash,
    channel: v.channel,
    at,
    ...(v.reason ? { reason: v.reason } : {}),
  });
  const approvals = a.votes.filter((x) => x.decision === 'approve').length;
  if (v.decision === 'reject' || approvals >= a.quorum) {
    a.decision = v.decision === 'reject' ? 'rejected' : 'approved';
    a.decidedBy = v.approver;
    a.decidedAt = at;
  }
  return {
    stepId: v.stepId,
    accepted: true,
    approvals,
    quorum: a.quorum,
    ...(a.decision ? { decision: a.decision } : {}),
  };
}

/** The failure a failed step waits on for a decision, if it is waiting. */
export const pendingFailure = (s: StepState): FailureState | undefined => {
  const f = s.failures?.at(-1);
  return s.status === 'failed' && f && !f.decision ? f : undefined;
};

/**
 * The validator of the retry and skip updates: a decision on a failed step is held to the rules of a vote (the
 * caller belongs to the step's decision groups, and is not the initiator where the step asks for separation of
 * duties). The one place a signature check over the decision belongs, as for votes.
 */
export function validateStepDecision(
  step: StepState | undefined,
  d: StepDecisionInput,
  decision: 'retry' | 'skip',
  initiator: string,
): void {
  if (!step) refuse(FailureType.UnknownStep, `no step "${d.stepId}" in this playbook`);
  const f = pendingFailure(step);
  if (!f) refuse(FailureType.NotFailed, `step "${d.stepId}" is ${step.status}, not failed and waiting for a decision`);
  if (!f.members.includes(d.by))
    refuse(FailureType.NotInGroup, `${d.by} is not in approver group ${f.groups.join(' or ')}`);
  if (f.separationOfDuties && d.by === initiator) {
    refuse(FailureType.SeparationOfDuties, `${d.by} declared this incident and may not decide its steps`);
  }
  if (decision === 'skip' && !d.reason?.trim())
    refuse(FailureType.ReasonRequired, 'skipping a failed step needs a reason');
}

/** Records a validated retry or skip on the failure the step waits on; the interpreter acts on it. */
export function recordStepDecision(
  step: StepState,
  d: StepDecisionInput,
  decision: 'retry' | 'skip',
  at: string,
): StepDecisionResult {
  const f = pendingFailure(step)!;
  Object.assign(
    f,
    { decision, decidedBy: d.by, decidedAt: at, channel: d.channel },
    d.reason ? { reason: d.reason } : {},
  );
  return { stepId: d.stepId, accepted: true, decision };
}
