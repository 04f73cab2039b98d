// The approval rules verify checks on a history, on histories the workflow itself would never write (its vote
// validator refuses such votes), as a tampered or forged history could hold them.
import type { HistoryFacts, HistoryVote } from '../../../audit/history-facts';
import { checkLedger } from '../../../audit/verify';
import { hashJson } from '../../../domain/canonical-json';
import { compilePlaybook } from '../../../domain/playbook';
import type { ApprovalState, IncidentInput, IncidentState } from '../../../workflows/definitions';
import { TEST_CATALOG } from '../../harness/test-actions';
import { playbookFixture } from '../../harness/fixtures';

const playbook = (onExpiry: 'approve' | 'reject') => {
  const r = compilePlaybook(playbookFixture('burn-two-approvals', { onExpiry }), 'ledger.yaml', TEST_CATALOG);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r;
};

const PLAN = { summary: 'burn 1', items: ['x'], irreversible: true };
const HASH = hashJson(PLAN);
const MEMBERS = ['alice', 'bob', 'carol'];

function scenario(opts: {
  voters?: string[];
  applyAt?: number;
  onExpiry?: 'approve' | 'reject';
  round?: Partial<ApprovalState>;
  lookups?: string[][];
}) {
  const pb = playbook(opts.onExpiry ?? 'reject');
  const input = {
    incidentId: 'incident-x',
    initiator: 'alice',
    playbook: pb.playbook,
    playbookSha256: pb.sha256,
  } as IncidentInput;
  const voters = opts.voters ?? ['bob', 'carol'];
  const votes: HistoryVote[] = voters.map((approver, i) => ({
    eventId: 10 + i * 2,
    completedEventId: 11 + i * 2,
    at: '2026-06-17T00:00:00Z',
    updateId: `u${i}`,
    identity: 'cli',
    vote: { stepId: 'change', planHash: HASH, approver, decision: 'approve', channel: 'cli' },
    result: { stepId: 'change', accepted: true, approvals: i + 1, quorum: 2 },
  }));
  const round: ApprovalState = {
    round: 1,
    planHash: HASH,
    group: 'oncall',
    members: MEMBERS,
    quorum: 2,
    separationOfDuties: true,
    requestedAt: '2026-06-17T00:00:00Z',
    deadline: '2026-06-17T00:10:00Z',
    escalated: false,
    votes: voters.map((approver) => ({
      approver,
      decision: 'approve',
      planHash: HASH,
      channel: 'cli',
      at: '2026-06-17T00:00:00Z',
    })),
    ...opts.round,
  };
  const state = { steps: [{ id: 'change', approvals: [round] }] } as unknown as IncidentState;
  const facts: HistoryFacts = {
    votes,
    notices: [],
    approvalRequests: [],
    decisions: [],
    approverLookups: (opts.lookups ?? [MEMBERS]).map((members, i) => ({ eventId: 5 + i, at: '', members })),
    calls: [
      {
        eventId: opts.applyAt ?? 30,
        at: '',
        activity: 'test.burn',
        mode: 'apply',
        stepId: 'change',
        planHash: HASH,
        plan: PLAN,
      },
    ],
  };
  return checkLedger(facts, input, state).map((v) => v.code);
}

describe('verify: approval rules on the history', () => {
  it('accepts an apply after a quorum of members other than the initiator approved its exact plan', () => {
    expect(scenario({})).toEqual([]);
  });

  it('refuses a vote by the initiator under separation of duties, and the apply it let through', () => {
    expect(scenario({ voters: ['alice', 'bob'] })).toEqual([
      'ledger.separation-of-duties',
      'ledger.apply-without-approval',
    ]);
  });

  it('refuses an apply short of the quorum', () => {
    expect(scenario({ voters: ['bob'] })).toEqual(['ledger.apply-without-approval']);
  });

  it('refuses an apply scheduled before the deciding vote completed', () => {
    expect(scenario({ applyAt: 12 })).toEqual(['ledger.apply-without-approval']);
  });

  it('refuses a vote from outside the group resolved for the request', () => {
    expect(scenario({ voters: ['bob', 'mallory'] })).toEqual([
      'ledger.approver-not-in-group',
      'ledger.apply-without-approval',
    ]);
  });

  it("accepts the playbook's default on expiry only when that default is approve", () => {
    const expired = { expired: true, decision: 'approved' as const, decidedBy: 'policy:onExpiry' };
    expect(scenario({ voters: [], onExpiry: 'approve', round: expired })).toEqual([]);
    expect(scenario({ voters: [], onExpiry: 'reject', round: expired })).toEqual(['ledger.apply-without-approval']);
  });

  it('refuses approver lists that no group lookup in the history returned', () => {
    expect(scenario({ lookups: [['bob', 'carol']] })).toEqual(['ledger.members-unresolved']);
  });

  it("refuses a round whose quorum differs from the playbook's", () => {
    expect(scenario({ round: { quorum: 1 } })).toEqual(['ledger.policy-mismatch']);
  });
});
