// Notice obligations on the real Temporal server: which facts start which clocks, reminders and escalation at their
// offsets (seconds here, hours in production: the same timers), and acknowledgement stopping the clock.
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../../workflows/bundle';
import {
  acknowledgeUpdate,
  obligationQuery,
  obligationWorkflowId,
  recordFactUpdate,
  standDownUpdate,
  statusQuery,
  type ObligationState,
} from '../../workflows/definitions';
import type { incidentWorkflow } from '../../workflows/incident';
import type { obligationWorkflow } from '../../workflows/obligation';
import { obligationsForTest } from '../harness/obligations';
import { compileForTest, eventually, incidentInput, startEngine, type TestEngine } from '../harness/engine';
import { newWorld, TEST_CATALOG, testActions } from '../harness/test-actions';
import { obligationsFixture, playbookFixture } from '../harness/fixtures';
import { approveStandDown } from '../harness/people';

// 0.0015 h = 5.4 s: reminders 4 s and 2 s before it.
const OBLIGATIONS = obligationsFixture('fast-reminders');

const PLAYBOOK = playbookFixture('identify-exposed-packages');

/** The message of the validator's refusal of an update (the SDK wraps it as the error's cause). */
async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    return ((err as WorkflowUpdateFailedError).cause as Error).message;
  }
  throw new Error('the update was accepted but should have been refused');
}

describe('notice obligations', () => {
  let engine: TestEngine;
  const obligations = obligationsForTest(OBLIGATIONS);
  const playbook = compileForTest(PLAYBOOK, TEST_CATALOG);
  const waiting = compileForTest(
    `${PLAYBOOK}
  - id: change
    phase: identify
    action: test.burn
    needs: [identify]
    mutates: true
    approval: { group: oncall, quorum: 1, timeout: 10m, onExpiry: reject }
`,
    TEST_CATALOG,
  );
  beforeAll(async () => {
    engine = await startEngine(testActions(newWorld()), { oncall: ['bob'] });
  });
  afterAll(() => engine?.stop());

  const incidents: WorkflowHandle<typeof incidentWorkflow>[] = [];
  const declare = async (over: Parameters<typeof incidentInput>[1] = {}) => {
    const input = incidentInput(playbook, { obligations, ...over });
    const h = await engine.client.workflow.start<typeof incidentWorkflow>('incidentWorkflow', {
      taskQueue: engine.taskQueue,
      workflowId: input.incidentId,
      args: [input],
    });
    incidents.push(h);
    return { input, h };
  };
  /** The obligation's clock, found where the incident recorded it. */
  const obligation = async (incidentId: string, id: string): Promise<WorkflowHandle<typeof obligationWorkflow>> => {
    const state = await engine.client.workflow.getHandle(incidentId).query(statusQuery);
    const ref = state.obligations!.find((o) => o.id === id)!;
    expect(ref.workflowId).toBe(obligationWorkflowId(incidentId, ref.workflowId.split('/')[1]!, id));
    return engine.client.workflow.getHandle(ref.workflowId);
  };
  const eventsOf = (incidentId: string, kind: string) =>
    engine.notifier.events.filter((e) => e.incidentId === incidentId && e.kind === kind);

  it('starts only the obligations whose facts hold: counsel on declaration, the insurer on confirmed exposure', async () => {
    const exposed = await declare(); // the step outputs its packages as "exposed repos": exposure confirmed
    const clean = await declare({ packages: [] });
    const [a, b] = await Promise.all([exposed.h.result(), clean.h.result()]);
    expect(a.obligations!.map((o) => o.id).sort()).toEqual(['counsel-engaged', 'insurer-notice']);
    expect(b.obligations!.map((o) => o.id)).toEqual(['counsel-engaged']);
    // The clock outlives the incident: the incident is closed, its obligations still run.
    expect(a.status).toBe('completed');
    const insurer = await (await obligation(exposed.input.incidentId, 'insurer-notice')).query(obligationQuery);
    expect(insurer.status).toBe('open');
    expect(Date.parse(insurer.deadline) - Date.parse(insurer.clockStartedAt)).toBe(3_600_000);
  });

  it('an incident declared again under the same id after it closed starts clocks of its own', async () => {
    const first = await declare({ packages: [] });
    const a = await first.h.result();
    const again = await engine.client.workflow.start<typeof incidentWorkflow>('incidentWorkflow', {
      taskQueue: engine.taskQueue,
      workflowId: first.input.incidentId,
      args: [first.input],
    });
    const b = await again.result();
    expect(b.status).toBe('completed');
    // The first run's counsel clock still runs (nobody acknowledged it); the second has its own.
    expect(b.obligations![0]!.workflowId).not.toBe(a.obligations![0]!.workflowId);
    const clocks = await Promise.all(
      [a, b].map((s) => engine.client.workflow.getHandle(s.obligations![0]!.workflowId).query(obligationQuery)),
    );
    expect(clocks.map((c) => c.status)).toEqual(['open', 'open']);
  });

  it('a fact recorded by a person starts the clock it triggers, once', async () => {
    // The incident waits for an approval nobody gives, so the facts arrive while it runs; then it is stood down.
    const { input, h } = await declare({ playbook: waiting.playbook, playbookSha256: waiting.sha256 });
    await eventually(
      async () => (await h.query(statusQuery)).steps.find((x) => x.id === 'change')?.status === 'awaiting-approval',
      10_000,
      'the change to await its approval',
    );
    await h.executeUpdate(recordFactUpdate, { args: [{ fact: 'personal-data-exposed', by: 'dpo', note: 'HR db' }] });
    expect(
      await refusal(h.executeUpdate(recordFactUpdate, { args: [{ fact: 'personal-data-exposed', by: 'dpo' }] })),
    ).toMatch(/already recorded by dpo/);
    expect(await refusal(h.executeUpdate(recordFactUpdate, { args: [{ fact: 'aliens' as never, by: 'x' }] }))).toMatch(
      /unknown fact/,
    );
    // A stand-down is a decision of the stand-down group (oncall): bob asks for it and signs his approval.
    await h.executeUpdate(standDownUpdate, { args: [{ by: 'bob', reason: 'test over' }] });
    await approveStandDown(h, 'bob');
    const final = await h.result();
    expect(final.status).toBe('stood-down');
    expect(final.facts).toEqual([expect.objectContaining({ fact: 'personal-data-exposed', by: 'dpo', note: 'HR db' })]);
    expect(final.obligations!.map((o) => o.id).sort()).toEqual([
      'counsel-engaged',
      'insurer-notice',
      'regulator-notice',
    ]);
    const state = await (await obligation(input.incidentId, 'regulator-notice')).query(obligationQuery);
    expect(state).toMatchObject({ who: 'regulator', owner: 'dpo', status: 'open' });
  });

  it('reminds the owner at each offset, escalates at the deadline, and records the late acknowledgement', async () => {
    const { input, h } = await declare({ packages: [] });
    await h.result();
    const counsel = await obligation(input.incidentId, 'counsel-engaged');
    const overdue = await eventually(
      async () => {
        const s = await counsel.query(obligationQuery);
        return s.status === 'overdue' ? s : undefined;
      },
      30_000,
      'the counsel obligation to go overdue',
    );
    const reminders = eventsOf(input.incidentId, 'obligation-reminder');
    expect(reminders).toHaveLength(2);
    // Each reminder went out no earlier than its offset before the deadline, and the escalation no earlier than it.
    overdue.reminders.forEach((r, i) => {
      expect(Date.parse(r.sentAt!)).toBeGreaterThanOrEqual(Date.parse(r.at));
      expect(reminders[i]!.mention).toEqual(['legal-lead']);
    });
    expect(overdue.reminders.map((r) => r.before)).toEqual([4000, 2000]);
    expect(Date.parse(overdue.escalatedAt!)).toBeGreaterThanOrEqual(Date.parse(overdue.deadline));
    // The clock marks itself overdue, then posts the escalation (an activity): wait for the post.
    const [escalation] = await eventually(
      async () => {
        const posted = eventsOf(input.incidentId, 'obligation-overdue');
        return posted.length > 0 ? posted : undefined;
      },
      10_000,
      'the escalation to be posted',
    );
    expect(escalation!.mention).toEqual(['legal-lead', 'security-leads']);
    expect(escalation!.text).toMatch(/OVERDUE: counsel-engaged/);

    await counsel.executeUpdate(acknowledgeUpdate, { args: [{ by: 'outside-counsel', reference: 'LAW-7' }] });
    const final: ObligationState = await counsel.result();
    expect(final).toMatchObject({
      status: 'acknowledged',
      acknowledgement: { by: 'outside-counsel', reference: 'LAW-7' },
    });
    expect(eventsOf(input.incidentId, 'obligation-acknowledged')[0]!.text).toMatch(/after the deadline/);
  });

  it('an acknowledgement stops the clock: no reminder, no escalation', async () => {
    const { input, h } = await declare();
    await eventually(async () => (await h.query(statusQuery)).obligations?.length, 10_000, 'counsel to start');
    const counsel = await obligation(input.incidentId, 'counsel-engaged');
    await counsel.executeUpdate(acknowledgeUpdate, {
      args: [{ by: 'outside-counsel', at: '2026-11-23T10:00:00Z', note: 'engaged by phone' }],
    });
    const final = await counsel.result();
    expect(final.status).toBe('acknowledged');
    expect(final.acknowledgement).toMatchObject({ by: 'outside-counsel', at: '2026-11-23T10:00:00.000Z' });
    expect(final.reminders.every((r) => r.sentAt === undefined)).toBe(true);
    expect(final.escalatedAt).toBeUndefined();
    // The insurer expects a claim number: an acknowledgement without one is refused and its clock keeps running.
    await h.result();
    const insurer = await obligation(input.incidentId, 'insurer-notice');
    expect(await refusal(insurer.executeUpdate(acknowledgeUpdate, { args: [{ by: 'broker' }] }))).toMatch(
      /give the reference/,
    );
    expect((await insurer.query(obligationQuery)).status).toBe('open');
    await insurer.executeUpdate(acknowledgeUpdate, { args: [{ by: 'broker', reference: 'CLM-1' }] });
    expect(
      await refusal(insurer.executeUpdate(acknowledgeUpdate, { args: [{ by: 'broker', reference: 'x' }] })),
    ).toMatch(/already acknowledged/);
    expect((await insurer.result()).acknowledgement?.reference).toBe('CLM-1');
    expect(eventsOf(input.incidentId, 'obligation-overdue')).toEqual([]);
  });

  // Obligations start child workflows from several places in the interpreter: each history must replay exactly.
  it('every incident history above replays against the workflow code without nondeterminism', async () => {
    const histories = await Promise.all(
      incidents.map(async (h) => ({ workflowId: h.workflowId, history: await h.fetchHistory() })),
    );
    const failures: string[] = [];
    for await (const r of Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, histories))
      if (r.error) failures.push(`${r.workflowId}: ${String(r.error)}`);
    expect(failures).toEqual([]);
    expect(histories.length).toBeGreaterThanOrEqual(6);
  });
});
