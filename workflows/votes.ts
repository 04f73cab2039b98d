import { ApplicationFailure } from '@temporalio/workflow';
import type { ApprovalState, StepState, VoteInput, VoteRefusal, VoteResult } from './definitions';
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
