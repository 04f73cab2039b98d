// What verify checks of the mutating calls themselves, on hand-built histories the workflow would never write: a
// fanned-out apply whose batches apply other items than the approved plan's, and undos that reverse nothing, or
// other effects than the apply returned.
import { checkFanOutApplies, checkUndos } from '../../../audit/calls';
import type { HistoryCall } from '../../../audit/history-facts';
import { hashJson } from '../../../domain/canonical-json';
import { compilePlaybook } from '../../../domain/playbook';
import { TEST_CATALOG } from '../../harness/test-actions';
import { playbookFixture } from '../../harness/fixtures';

const compiled = compilePlaybook(playbookFixture('change-with-undo'), 'calls.yaml', TEST_CATALOG);
if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
const playbook = compiled.playbook;

// ---- fan-out batches -------------------------------------------------------------------------------------------------

const PLAN = { summary: 'pin 3', items: ['r1', 'r2', 'r3'], irreversible: false };
const HASH = hashJson(PLAN);
const WF = 'incident-x';

/** The parent's record of a two-batch plan fan-out (the approved plan, merged from its batches). */
const planBatches: HistoryCall[] = [
  { ...PLAN, items: ['r1', 'r2'] },
  { ...PLAN, items: ['r3'] },
].map((result, index) => ({
  eventId: 10 + index,
  at: '',
  activity: 'test.change',
  mode: 'plan',
  stepId: 'change',
  batch: { index, of: 2 },
  childWorkflowId: `${WF}/change/plan-1/${index}`,
  completedEventId: 20 + index,
  result,
}));

/** A parent history that started `indexes` of an apply fan-out, and the children's histories applying `items`. */
function fanOut(batchItems: unknown[][], indexes = batchItems.map((_, i) => i)) {
  const of = batchItems.length;
  const applies: HistoryCall[] = indexes.map((index) => ({
    eventId: 40 + index,
    at: '',
    activity: 'test.change',
    mode: 'apply',
    stepId: 'change',
    batch: { index, of },
    childWorkflowId: `${WF}/change/apply/${index}`,
    planHash: HASH,
  }));
  const children = new Map<string, HistoryCall[]>(
    applies.map((c) => [
      c.childWorkflowId!,
      [{ ...c, eventId: 5, plan: { ...PLAN, items: batchItems[c.batch!.index]! } }],
    ]),
  );
  return checkFanOutApplies([...planBatches, ...applies], children);
}

describe('verify: a fanned-out apply applies exactly the approved items', () => {
  it('accepts batches that together apply each approved item once', () => {
    expect(fanOut([['r1', 'r2'], ['r3']])).toEqual([]);
  });

  it('names a batch that applies an item nobody approved', () => {
    const v = fanOut([
      ['r1', 'r2'],
      ['r3', 'evil/repo'],
    ]);
    expect(v.map((x) => x.code)).toEqual(['ledger.batch-item-unapproved']);
    expect(v[0]!.message).toMatch(/step change batch 2\/2 .*"evil\/repo"/);
  });

  it('names an item applied twice, and an approved item no batch applies', () => {
    const v = fanOut([['r1', 'r2'], ['r2']]);
    expect(v.map((x) => x.code)).toEqual(['ledger.batch-item-duplicate', 'ledger.batch-item-missing']);
    expect(v[0]!.message).toMatch(/batch 2\/2 .*"r2" again/);
    expect(v[1]!.message).toMatch(/step change: approved item "r3" is applied by no batch/);
  });

  it('names a batch that was never started, and the items only it would have applied', () => {
    const v = fanOut([['r1', 'r2'], ['r3']], [0]);
    expect(v.map((x) => x.code)).toEqual(['ledger.batch-missing', 'ledger.batch-item-missing']);
    expect(v[0]!.message).toMatch(/batch 2\/2 was never started/);
    expect(v[1]!.message).toMatch(/"r3"/);
  });

  it('refuses batches whose approved plan the history does not hold', () => {
    const noPlan = checkFanOutApplies(
      [
        {
          eventId: 40,
          at: '',
          activity: 'test.change',
          mode: 'apply',
          stepId: 'change',
          batch: { index: 0, of: 1 },
          childWorkflowId: `${WF}/change/apply/0`,
          planHash: HASH,
        },
      ],
      new Map([[`${WF}/change/apply/0`, []]]),
    );
    expect(noPlan.map((x) => x.code)).toEqual(['ledger.batch-plan-unknown']);
  });
});

// ---- undo ------------------------------------------------------------------------------------------------------------

const EFFECTS = { pinned: ['r1'], prs: 1 };

function undo(opts: { applied?: boolean; undoAt?: number; effects?: unknown; action?: string; twice?: boolean }) {
  const calls: HistoryCall[] = [];
  if (opts.applied ?? true)
    calls.push({
      eventId: 30,
      at: '',
      activity: 'test.change',
      mode: 'apply',
      stepId: 'change',
      planHash: HASH,
      plan: PLAN,
      completedEventId: 32,
      result: EFFECTS,
    });
  const u: HistoryCall = {
    eventId: opts.undoAt ?? 50,
    at: '',
    activity: opts.action ?? 'test.restore',
    mode: 'undo',
    stepId: 'change',
    effects: opts.effects ?? EFFECTS,
  };
  calls.push(u);
  if (opts.twice) calls.push({ ...u, eventId: u.eventId + 5 });
  return checkUndos(calls, playbook);
}

describe('verify: an undo reverses what its step applied', () => {
  it('accepts an undo after the apply completed, given the effects the apply returned', () => {
    expect(undo({})).toEqual([]);
  });

  it('names an undo of a step that was never applied', () => {
    const v = undo({ applied: false });
    expect(v.map((x) => x.code)).toEqual(['ledger.undo-without-apply']);
    expect(v[0]!.message).toMatch(/test\.restore:undo of step change \(event 50\): step change has no apply/);
  });

  it('names an undo scheduled before its apply completed', () => {
    expect(undo({ undoAt: 31 }).map((x) => x.code)).toEqual(['ledger.undo-without-apply']);
  });

  it('names an undo given other effects than the apply returned', () => {
    const v = undo({ effects: { pinned: ['r1', 'r2'], prs: 1 } });
    expect(v.map((x) => x.code)).toEqual(['ledger.undo-effects-mismatch']);
    expect(v[0]!.message).toMatch(/"r2".*returned \{"pinned":\["r1"\],"prs":1\}/);
  });

  it("names an undo by another action than the playbook's, and a step undone twice", () => {
    expect(undo({ action: 'test.burn' }).map((x) => x.code)).toEqual(['ledger.undo-action-mismatch']);
    expect(undo({ twice: true }).map((x) => x.code)).toEqual(['ledger.undo-repeated']);
  });

  it('accepts the undo of a fanned-out apply given the batches’ effects merged, as the saga hands them on', () => {
    const batch = (index: number, pinned: string[]): HistoryCall => ({
      eventId: 40 + index,
      at: '',
      activity: 'test.change',
      mode: 'apply',
      stepId: 'change',
      batch: { index, of: 2 },
      childWorkflowId: `${WF}/change/apply/${index}`,
      planHash: HASH,
      completedEventId: 45 + index,
      result: { pinned, prs: pinned.length },
    });
    const u: HistoryCall = {
      eventId: 50,
      at: '',
      activity: 'test.restore',
      mode: 'undo',
      stepId: 'change',
      effects: { pinned: ['r1', 'r2', 'r3'], prs: 3 },
    };
    expect(checkUndos([batch(0, ['r1', 'r2']), batch(1, ['r3']), u], playbook)).toEqual([]);
    expect(checkUndos([batch(0, ['r1', 'r2']), u], playbook).map((x) => x.code)).toEqual(['ledger.undo-without-apply']);
  });
});
