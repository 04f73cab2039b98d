// Retry and skip of a failed step without a server: the validator's refusals and how a decision is recorded (the
// integration tests in test/integration/failure-pauses.test.ts cover the same rules through real Temporal Updates).
import type { FailureState, StepDecisionInput, StepState } from '../../../workflows/definitions';
import { pendingFailure, recordStepDecision, validateStepDecision } from '../../../workflows/votes';

function failed(over: Partial<FailureState> = {}): StepState {
  return {
    id: 'rotate',
    name: 'rotate',
    phase: 'rotate',
    action: 'aws.rotateAccessKeys',
    mutates: true,
    status: 'failed',
    error: 'AWS is not configured',
    errorCode: 'AWS_NOT_CONFIGURED',
    approvals: [],
    failures: [
      {
        attempt: 1,
        error: 'AWS is not configured',
        code: 'AWS_NOT_CONFIGURED',
        at: '2026-06-17T00:00:00Z',
        groups: ['oncall'],
        members: ['alice', 'bob'],
        separationOfDuties: true,
        ...over,
      },
    ],
  };
}

const decision = (over: Partial<StepDecisionInput> = {}): StepDecisionInput => ({
  stepId: 'rotate',
  by: 'bob',
  channel: 'cli',
  ...over,
});

const refusal = (step: StepState | undefined, d: StepDecisionInput, kind: 'retry' | 'skip' = 'retry'): string => {
  try {
    validateStepDecision(step, d, kind, 'alice');
  } catch (err) {
    return (err as { type: string }).type;
  }
  return 'accepted';
};

describe('retry and skip validation', () => {
  it('accepts a member of the step decision groups', () => {
    expect(refusal(failed(), decision())).toBe('accepted');
    expect(refusal(failed(), decision({ reason: 'not needed: no AWS keys exposed' }), 'skip')).toBe('accepted');
  });

  it.each<[string, StepState | undefined, StepDecisionInput, 'retry' | 'skip']>([
    ['UNKNOWN_STEP', undefined, decision(), 'retry'],
    ['NOT_FAILED', { ...failed(), status: 'running' }, decision(), 'retry'],
    ['NOT_FAILED', failed({ decision: 'retry', decidedBy: 'bob' }), decision(), 'retry'],
    ['NOT_FAILED', { ...failed(), failures: [] }, decision(), 'retry'],
    ['NOT_IN_GROUP', failed(), decision({ by: 'mallory' }), 'retry'],
    ['SEPARATION_OF_DUTIES', failed(), decision({ by: 'alice' }), 'skip'],
    ['REASON_REQUIRED', failed(), decision({ reason: ' ' }), 'skip'],
  ])('refuses with %s', (code, step, d, kind) => {
    expect(refusal(step, d, kind)).toBe(code);
  });

  it('lets the initiator decide a step that does not ask for separation of duties', () => {
    expect(refusal(failed({ separationOfDuties: false }), decision({ by: 'alice' }))).toBe('accepted');
  });
});

describe('recording a decision', () => {
  it('records who decided, when, how and why on the failure the step waits on', () => {
    const step = failed();
    expect(recordStepDecision(step, decision({ reason: 'handled by hand' }), 'skip', 't1')).toEqual({
      stepId: 'rotate',
      accepted: true,
      decision: 'skip',
    });
    expect(step.failures![0]).toMatchObject({
      decision: 'skip',
      decidedBy: 'bob',
      decidedAt: 't1',
      channel: 'cli',
      reason: 'handled by hand',
    });
    // Decided: the step no longer waits, so a second decision is refused.
    expect(pendingFailure(step)).toBeUndefined();
  });
});
