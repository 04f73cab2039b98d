// The incident workflow on a real Temporal dev server: approvals, refusals, quorum, escalation, re-approval, saga.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import {
  standDownUpdate,
  statusQuery,
  voteUpdate,
  type IncidentState,
  type VoteInput,
} from '../../workflows/definitions';
import type { incidentWorkflow } from '../../workflows/incident';
import { compileForTest, eventually, incidentInput, startEngine, type TestEngine } from '../harness/engine';
import { newWorld, TEST_CATALOG, testActions, type World } from '../harness/test-actions';
import { approveStandDown, signedVote } from '../harness/people';
import { playbookFixture } from '../harness/fixtures';

const GROUPS = { oncall: ['alice', 'bob', 'carol'], leads: ['dana'] };

const playbook = (approval: string, extraSteps = ''): string =>
  playbookFixture('read-then-change', { approval, extraSteps });

const ONCALL = '{ group: oncall, quorum: 1, separationOfDuties: true, timeout: 10m, onExpiry: reject }';

let engine: TestEngine;
let world: World;

beforeEach(async () => {
  world = newWorld();
  engine = await startEngine(testActions(world), GROUPS);
});
afterEach(async () => engine.stop());

async function start(yaml: string) {
  const input = incidentInput(compileForTest(yaml, TEST_CATALOG));
  return engine.client.workflow.start<typeof incidentWorkflow>('incidentWorkflow', {
    taskQueue: engine.taskQueue,
    workflowId: input.incidentId,
    args: [input],
  });
}

type Handle = Awaited<ReturnType<typeof start>>;

const status = (h: Handle): Promise<IncidentState> => h.query(statusQuery);

async function awaitingApproval(h: Handle, stepId: string, round = 1) {
  return eventually(
    async () => {
      const s = await status(h);
      const step = s.steps.find((x) => x.id === stepId)!;
      return step.status === 'awaiting-approval' && step.approvals.length === round ? step : undefined;
    },
    20_000,
    `${stepId} awaiting approval round ${round}`,
  );
}

async function vote(h: Handle, v: Partial<VoteInput> & { stepId: string; planHash: string; approver: string }) {
  return h.executeUpdate(voteUpdate, { args: [await signedVote(h, { decision: 'approve', channel: 'api', ...v })] });
}

async function refusal(p: Promise<unknown>): Promise<{ type: string; message: string }> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (err as WorkflowUpdateFailedError).cause as unknown as { type: string; message: string };
    return { type: cause.type, message: cause.message };
  }
  throw new Error('the vote was accepted but should have been refused');
}

describe('incident workflow', () => {
  it('runs read-only steps, asks for approval with the plan, and applies exactly the approved plan', async () => {
    const h = await start(playbook(ONCALL));
    const step = await awaitingApproval(h, 'change');
    expect(step.plan).toMatchObject({ summary: 'change 2', itemCount: 2, items: ['a', 'b'] });
    expect(engine.notifier.approvals).toEqual([
      expect.objectContaining({ stepId: 'change', group: 'oncall', planHash: step.plan!.hash }),
    ]);
    const res = await vote(h, { stepId: 'change', planHash: step.plan!.hash, approver: 'bob' });
    expect(res).toMatchObject({ accepted: true, approvals: 1, quorum: 1, decision: 'approved' });
    const final = await h.result();
    expect(final.status).toBe('completed');
    expect(final.steps.map((s) => [s.id, s.status])).toEqual([
      ['look', 'succeeded'],
      ['change', 'succeeded'],
    ]);
    expect(final.steps[0]!.output).toEqual({ org: 'acme' });
    expect(world.applied).toEqual([{ key: `${h.workflowId}/change`, items: ['a', 'b'] }]);
    expect(final.steps[1]!.approvals[0]!.votes).toEqual([
      expect.objectContaining({ approver: 'bob', decision: 'approve', channel: 'api' }),
    ]);
  });

  it('refuses, with the reason, every vote that cannot count', async () => {
    const h = await start(
      playbook('{ group: oncall, quorum: 2, separationOfDuties: true, timeout: 10m, onExpiry: reject }'),
    );
    const step = await awaitingApproval(h, 'change');
    const planHash = step.plan!.hash;
    expect(await refusal(vote(h, { stepId: 'change', planHash, approver: 'mallory' }))).toMatchObject({
      type: 'NOT_IN_GROUP',
      message: expect.stringContaining('mallory is not in approver group oncall'),
    });
    expect(await refusal(vote(h, { stepId: 'change', planHash, approver: 'alice' }))).toMatchObject({
      type: 'SEPARATION_OF_DUTIES',
    });
    expect(await refusal(vote(h, { stepId: 'change', planHash: 'f'.repeat(64), approver: 'bob' }))).toMatchObject({
      type: 'STALE_PLAN',
    });
    expect(await refusal(vote(h, { stepId: 'look', planHash, approver: 'bob' }))).toMatchObject({
      type: 'NOT_AWAITING_APPROVAL',
    });
    expect(await refusal(vote(h, { stepId: 'nope', planHash, approver: 'bob' }))).toMatchObject({
      type: 'UNKNOWN_STEP',
    });
    expect(await refusal(vote(h, { stepId: 'change', planHash, approver: 'bob', decision: 'reject' }))).toMatchObject({
      type: 'REASON_REQUIRED',
    });
    await vote(h, { stepId: 'change', planHash, approver: 'bob' });
    expect(await refusal(vote(h, { stepId: 'change', planHash, approver: 'bob' }))).toMatchObject({
      type: 'ALREADY_VOTED',
    });
    // None of the refused votes was recorded, and nothing was applied.
    const s = await status(h);
    expect(s.steps[1]!.approvals[0]!.votes.map((v) => v.approver)).toEqual(['bob']);
    expect(world.applied).toEqual([]);
    await vote(h, { stepId: 'change', planHash, approver: 'carol' });
    expect((await h.result()).status).toBe('completed');
  });

  it('waits for the quorum of distinct approvers before applying', async () => {
    const h = await start(
      playbook('{ group: oncall, quorum: 2, separationOfDuties: false, timeout: 10m, onExpiry: reject }'),
    );
    const step = await awaitingApproval(h, 'change');
    const first = await vote(h, { stepId: 'change', planHash: step.plan!.hash, approver: 'alice' });
    expect(first).toMatchObject({ approvals: 1, quorum: 2 });
    expect(first.decision).toBeUndefined();
    expect((await status(h)).steps[1]!.status).toBe('awaiting-approval');
    expect(world.applied).toEqual([]);
    const second = await vote(h, { stepId: 'change', planHash: step.plan!.hash, approver: 'carol' });
    expect(second).toMatchObject({ approvals: 2, decision: 'approved' });
    expect((await h.result()).status).toBe('completed');
    expect(world.applied).toHaveLength(1);
  });

  it('escalates an unanswered request, lets the escalation group approve, and takes the default when nobody does', async () => {
    const approval =
      '{ group: oncall, quorum: 1, timeout: 2s, escalation: { group: leads, timeout: 2s }, onExpiry: reject }';
    const h = await start(playbook(approval));
    const step = await awaitingApproval(h, 'change');
    // Before escalation, a lead is not an approver.
    expect(await refusal(vote(h, { stepId: 'change', planHash: step.plan!.hash, approver: 'dana' }))).toMatchObject({
      type: 'NOT_IN_GROUP',
    });
    await eventually(async () => (await status(h)).steps[1]!.approvals[0]!.escalated, 20_000, 'escalation');
    // The workflow marks the round escalated, then announces it (an activity): wait for the announcement.
    await eventually(async () => engine.notifier.approvals.at(-1)?.escalated === true, 20_000, 'escalation notice');
    expect(engine.notifier.approvals.at(-1)).toMatchObject({
      escalated: true,
      group: 'leads',
      members: ['alice', 'bob', 'carol', 'dana'],
    });
    const final = await h.result();
    const a = final.steps[1]!.approvals[0]!;
    expect(a).toMatchObject({ decision: 'rejected', expired: true, decidedBy: 'policy:onExpiry', escalated: true });
    expect(final.steps[1]!.status).toBe('rejected');
    expect(world.applied).toEqual([]);

    const h2 = await start(playbook(approval));
    const step2 = await awaitingApproval(h2, 'change');
    await eventually(async () => (await status(h2)).steps[1]!.approvals[0]!.escalated, 20_000, 'escalation');
    await vote(h2, { stepId: 'change', planHash: step2.plan!.hash, approver: 'dana' });
    expect((await h2.result()).steps[1]!.status).toBe('succeeded');
  });

  it('takes onExpiry: approve when the playbook says so', async () => {
    const h = await start(playbook('{ group: oncall, quorum: 1, timeout: 1s, onExpiry: approve }'));
    const final = await h.result();
    expect(final.steps[1]!.approvals[0]).toMatchObject({ decision: 'approved', expired: true });
    expect(world.applied).toHaveLength(1);
  });

  it('asks again when the plan changed after approval, and refuses votes on the old plan', async () => {
    const h = await start(playbook(ONCALL));
    const step = await awaitingApproval(h, 'change');
    world.targets = ['a', 'b', 'c'];
    await vote(h, { stepId: 'change', planHash: step.plan!.hash, approver: 'bob' });
    const round2 = await awaitingApproval(h, 'change', 2);
    expect(round2.plan!.items).toEqual(['a', 'b', 'c']);
    expect(round2.plan!.hash).not.toBe(step.plan!.hash);
    expect(round2.note).toMatch(/plan changed after approval/);
    expect(await refusal(vote(h, { stepId: 'change', planHash: step.plan!.hash, approver: 'carol' }))).toMatchObject({
      type: 'STALE_PLAN',
    });
    expect(world.applied).toEqual([]);
    await vote(h, { stepId: 'change', planHash: round2.plan!.hash, approver: 'carol' });
    const final = await h.result();
    expect(world.applied).toEqual([{ key: `${h.workflowId}/change`, items: ['a', 'b', 'c'] }]);
    expect(final.steps[1]!.approvals.map((a) => a.decision)).toEqual(['approved', 'approved']);
  });

  it('stands down: cancels what waits and runs the undos of applied steps in reverse', async () => {
    const extra = `
  - id: change-2
    phase: contain
    action: test.change
    needs: [change]
    mutates: true
    undo: { action: test.restore }
    approval: ${ONCALL}
  - id: change-3
    phase: contain
    action: test.change
    needs: [change-2]
    mutates: true
    undo: { action: test.restore }
    approval: ${ONCALL}`;
    const h = await start(playbook(ONCALL, extra));
    for (const id of ['change', 'change-2']) {
      const s = await awaitingApproval(h, id);
      await vote(h, { stepId: id, planHash: s.plan!.hash, approver: 'bob' });
    }
    await awaitingApproval(h, 'change-3');
    await h.executeUpdate(standDownUpdate, { args: [{ by: 'carol', reason: 'false positive' }] });
    await approveStandDown(h, 'carol');
    const final = await h.result();
    expect(final.status).toBe('stood-down');
    expect(final.standDown).toMatchObject({ by: 'carol', reason: 'false positive' });
    expect(world.undone.map((u) => u.key.split('/').pop())).toEqual(['change-2', 'change']);
    expect(final.steps.map((s) => s.status)).toEqual(['succeeded', 'compensated', 'compensated', 'cancelled']);
    await expect(h.executeUpdate(standDownUpdate, { args: [{ by: 'carol', reason: 'again' }] })).rejects.toThrow();
  });

  it('a failed step leaves applied steps in place and the incident open; only a stand-down undoes them', async () => {
    const extra = `
  - id: explode
    phase: contain
    action: test.fail
    needs: [change]
    mutates: false`;
    const h = await start(playbook(ONCALL, extra));
    const s = await awaitingApproval(h, 'change');
    await vote(h, { stepId: 'change', planHash: s.plan!.hash, approver: 'bob' });
    const paused = await eventually(
      async () => {
        const st = await status(h);
        return st.steps[2]!.failures?.length === 1 ? st : undefined;
      },
      20_000,
      'explode failed and waiting for a decision',
    );
    expect(paused.status).toBe('running');
    expect(paused.steps.map((x) => x.status)).toEqual(['succeeded', 'succeeded', 'failed']);
    expect(paused.steps[2]!.error).toMatch(/boom/);
    expect(paused.standDownPreview).toEqual({ undos: [{ stepId: 'change', action: 'test.restore' }], kept: [] });
    expect(world.undone).toEqual([]);
    const res = await h.executeUpdate(standDownUpdate, { args: [{ by: 'carol', reason: 'false positive' }] });
    expect(res.undos).toEqual([{ stepId: 'change', action: 'test.restore' }]);
    await approveStandDown(h, 'carol');
    const final = await h.result();
    expect(final.status).toBe('stood-down');
    expect(final.steps.map((x) => x.status)).toEqual(['succeeded', 'compensated', 'failed']);
    expect(world.undone).toHaveLength(1);
  });

  it('skips the dependents of a rejected step and records who rejected it and why', async () => {
    const extra = `
  - id: after
    phase: contain
    action: test.read
    needs: [change]
    mutates: false`;
    const h = await start(playbook(ONCALL, extra));
    const s = await awaitingApproval(h, 'change');
    await vote(h, {
      stepId: 'change',
      planHash: s.plan!.hash,
      approver: 'bob',
      decision: 'reject',
      reason: 'wrong repos',
    });
    const final = await h.result();
    expect(final.status).toBe('completed');
    expect(final.steps.map((x) => x.status)).toEqual(['succeeded', 'rejected', 'skipped']);
    expect(final.steps[1]!.approvals[0]!.votes[0]).toMatchObject({
      approver: 'bob',
      decision: 'reject',
      reason: 'wrong repos',
    });
    expect(world.applied).toEqual([]);
  });

  it('fans a step out over child workflows in batches and merges their results', async () => {
    const fan = playbookFixture('fan-out-250', {
      repos: JSON.stringify(Array.from({ length: 250 }, (_, i) => `repo-${i}`)),
    });
    const h = await start(fan);
    const final = await h.result();
    const out = final.steps[1]!.output as { items: string[]; org: string };
    expect(out.items).toHaveLength(250);
    expect(out.items[249]).toBe('repo-249');
    expect(out.org).toBe('acme');
    const children: string[] = [];
    for await (const wf of engine.client.workflow.list({
      query: `WorkflowType = 'stepBatchWorkflow' AND TaskQueue = '${engine.taskQueue}'`,
    })) {
      children.push(wf.workflowId);
    }
    expect(children.sort()).toEqual([0, 1, 2].map((i) => `${h.workflowId}/scan/run/${i}`));
  });
});
