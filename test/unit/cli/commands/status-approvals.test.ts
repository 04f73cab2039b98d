import { approvalLines, planItemLine } from '../../../../cli/commands/status-approvals';
import type { ApprovalState, StepState } from '../../../../workflows/definitions';

const round = (over: Partial<ApprovalState> = {}): ApprovalState => ({
  round: 1,
  planHash: 'a'.repeat(64),
  group: 'oncall',
  members: ['bob', 'carol'],
  quorum: 2,
  separationOfDuties: true,
  requestedAt: '2026-06-17T10:00:00.000Z',
  deadline: '2026-06-17T11:00:00.000Z',
  escalated: false,
  votes: [],
  ...over,
});

const step = (over: Partial<StepState>): StepState => ({
  id: 'open-pin-prs',
  name: 'Open pin pull requests',
  phase: 'contain',
  action: 'github.openPinPullRequests',
  mutates: true,
  status: 'awaiting-approval',
  approvals: [],
  ...over,
});

const items = Array.from({ length: 7 }, (_, i) => ({ repo: `acme/repo-${i}`, title: 'cordon: pin axios', files: [] }));

describe('cordon status: what an approver is about to approve', () => {
  it('lists the first 5 plan items of an awaiting step and counts the rest', () => {
    const lines = approvalLines(
      step({
        plan: { hash: 'a'.repeat(64), summary: 'open 7', itemCount: 7, irreversible: false, items },
        approvals: [round()],
      }),
      '  ',
    );
    expect(lines).toEqual([
      '  - acme/repo-0: cordon: pin axios',
      '  - acme/repo-1: cordon: pin axios',
      '  - acme/repo-2: cordon: pin axios',
      '  - acme/repo-3: cordon: pin axios',
      '  - acme/repo-4: cordon: pin axios',
      '  …and 2 more',
    ]);
  });

  it('counts items the status left out of the plan by its item count', () => {
    const plan = { hash: 'a'.repeat(64), summary: 's', itemCount: 40, irreversible: true, items: items.slice(0, 2) };
    expect(approvalLines(step({ plan, approvals: [round()] }), '').at(-1)).toBe('…and 38 more');
  });

  it('shows who voted, what and when, under the items', () => {
    const votes: ApprovalState['votes'] = [
      { approver: 'bob', decision: 'approve', planHash: 'a'.repeat(64), channel: 'cli', at: '2026-06-17T10:05:00Z' },
    ];
    const plan = { hash: 'a'.repeat(64), summary: 's', itemCount: 1, irreversible: false, items: ['disable ci.yml'] };
    expect(approvalLines(step({ plan, approvals: [round({ votes })] }), '')).toEqual([
      '- disable ci.yml',
      'approved by bob at 2026-06-17T10:05:00Z (cli)',
    ]);
  });

  it('gives a rejection its reason, and no plan items once the step is decided', () => {
    const votes: ApprovalState['votes'] = [
      {
        approver: 'carol',
        decision: 'reject',
        planHash: 'a'.repeat(64),
        reason: 'wrong repos: acme/infra is not exposed',
        channel: 'slack',
        at: '2026-06-17T10:07:00Z',
      },
    ];
    const plan = { hash: 'a'.repeat(64), summary: 's', itemCount: 1, irreversible: false, items: ['x'] };
    expect(
      approvalLines(step({ status: 'rejected', plan, approvals: [round({ votes, decision: 'rejected' })] }), ''),
    ).toEqual(['rejected by carol at 2026-06-17T10:07:00Z (slack): wrong repos: acme/infra is not exposed']);
  });

  it('says when the playbook default decided because nobody answered', () => {
    const expired = round({ decision: 'rejected', expired: true, decidedAt: '2026-06-17T11:00:00.000Z' });
    expect(approvalLines(step({ status: 'rejected', approvals: [expired] }), '')).toEqual([
      'rejected by default at 2026-06-17T11:00:00.000Z: nobody decided in time',
    ]);
  });

  it('prints nothing for a step that never asked for approval', () => {
    expect(approvalLines(step({ status: 'succeeded', mutates: false }))).toEqual([]);
  });

  it('renders an item without a naming field as its JSON on one clipped line', () => {
    expect(planItemLine({ count: 3 })).toBe('{"count":3}');
    expect(planItemLine({ owner: 'acme', name: 'api', defaultBranch: 'main' })).toBe('acme/api');
    expect(planItemLine({ blob: 'x'.repeat(400) })).toHaveLength(160);
    expect(planItemLine('two\nlines')).toBe('two lines');
  });
});
