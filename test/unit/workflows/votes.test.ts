// Vote rules without a server: the validator's refusals and how votes decide a step (the integration tests in
// test/integration/engine.test.ts cover the same rules through a real Temporal Update).
import type { StepState, VoteInput } from '../../../workflows/definitions';
import { recordVote, validateVote } from '../../../workflows/votes';

const PLAN = 'a'.repeat(64);

function awaiting(over: Partial<StepState['approvals'][number]> = {}): StepState {
  return {
    id: 'contain',
    name: 'contain',
    phase: 'contain',
    action: 'github.disableWorkflows',
    mutates: true,
    status: 'awaiting-approval',
    approvals: [
      {
        round: 1,
        planHash: PLAN,
        group: 'oncall',
        members: ['alice', 'bob', 'carol'],
        quorum: 2,
        separationOfDuties: true,
        requestedAt: '2026-06-17T00:00:00Z',
        deadline: '2026-06-17T00:30:00Z',
        escalated: false,
        votes: [],
        ...over,
      },
    ],
  };
}

const vote = (over: Partial<VoteInput> = {}): VoteInput => ({
  stepId: 'contain',
  planHash: PLAN,
  approver: 'bob',
  decision: 'approve',
  channel: 'cli',
  ...over,
});

const refusal = (step: StepState | undefined, v: VoteInput): string => {
  try {
    validateVote(step, v, 'alice');
  } catch (err) {
    return (err as { type: string }).type;
  }
  return 'accepted';
};

describe('vote validation', () => {
  it('accepts a member voting on the current plan', () => {
    expect(refusal(awaiting(), vote())).toBe('accepted');
  });

  it.each([
    ['UNKNOWN_STEP', undefined, vote()],
    ['NOT_AWAITING_APPROVAL', { ...awaiting(), status: 'succeeded' as const }, vote()],
    ['NOT_AWAITING_APPROVAL', awaiting({ decision: 'approved' }), vote()],
    ['STALE_PLAN', awaiting(), vote({ planHash: 'b'.repeat(64) })],
    ['NOT_IN_GROUP', awaiting(), vote({ approver: 'mallory' })],
    ['SEPARATION_OF_DUTIES', awaiting(), vote({ approver: 'alice' })],
    [
      'ALREADY_VOTED',
      awaiting({ votes: [{ approver: 'bob', decision: 'approve', planHash: PLAN, channel: 'cli', at: 'x' }] }),
      vote(),
    ],
    ['REASON_REQUIRED', awaiting(), vote({ decision: 'reject', reason: '  ' })],
  ])('refuses with %s', (code, step, v) => {
    expect(refusal(step, v)).toBe(code);
  });

  it('lets the initiator approve when the playbook does not ask for separation of duties', () => {
    expect(refusal(awaiting({ separationOfDuties: false }), vote({ approver: 'alice' }))).toBe('accepted');
  });
});

describe('recording votes', () => {
  it('decides on the quorum of approvals, and on the first rejection', () => {
    const step = awaiting();
    expect(recordVote(step, vote(), 't1')).toEqual({ stepId: 'contain', accepted: true, approvals: 1, quorum: 2 });
    expect(recordVote(step, vote({ approver: 'carol' }), 't2')).toMatchObject({ approvals: 2, decision: 'approved' });
    expect(step.approvals[0]).toMatchObject({ decision: 'approved', decidedBy: 'carol', decidedAt: 't2' });

    const other = awaiting();
    expect(recordVote(other, vote({ decision: 'reject', reason: 'wrong repo' }), 't3')).toMatchObject({
      decision: 'rejected',
    });
    expect(other.approvals[0]!.votes[0]).toMatchObject({ approver: 'bob', reason: 'wrong repo' });
  });
});
