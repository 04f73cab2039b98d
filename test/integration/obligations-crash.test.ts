// A worker killed (SIGKILL) while notice deadlines are running: the clocks are Temporal timers, so a new worker
// picks them up with the same deadlines, sends the reminders that came due while no worker ran, and escalates.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { obligationQuery, type ObligationState } from '../../workflows/definitions';
import type { incidentWorkflow } from '../../workflows/incident';
import { compileForTest, eventually, incidentInput, temporalAddress } from '../harness/engine';
import { obligationsForTest } from '../harness/obligations';
import { spawnWorker } from '../harness/spawn-worker';
import { obligationsFixture, playbookFixture } from '../harness/fixtures';

const PLAYBOOK = playbookFixture('identify-one-repo');

// Deadlines 9 s after the clock starts (0.0025 h), reminders 7 s and 4 s before: the first comes due while the
// worker is down.
const OBLIGATIONS = obligationsFixture('reminders-while-down');

async function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  return (await spawnWorker('test/harness/worker-process.ts', env)).child;
}

describe('obligations across a worker crash', () => {
  const children: ChildProcess[] = [];
  afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

  it('keeps every deadline: reminders and escalation fire on the new worker at the original times', async () => {
    const env = {
      TEMPORAL_ADDRESS: temporalAddress(),
      TASK_QUEUE: `obligations-crash-${randomUUID()}`,
      LEDGER: path.join(mkdtempSync(path.join(tmpdir(), 'cordon-ob-crash-')), 'ledger.jsonl'),
    };
    const first = await startWorker(env);
    children.push(first);
    const conn = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
    const client = new Client({ connection: conn });
    try {
      const input = incidentInput(
        compileForTest(PLAYBOOK, { 'test.read': { mutates: false, implementation: 'real', description: 'read' } }),
        {
          obligations: obligationsForTest(OBLIGATIONS),
        },
      );
      const h = await client.workflow.start<typeof incidentWorkflow>('incidentWorkflow', {
        taskQueue: env.TASK_QUEUE,
        workflowId: input.incidentId,
        args: [input],
      });
      const declared = await h.result();
      expect(declared.obligations!.map((o) => o.id).sort()).toEqual(['counsel-engaged', 'insurer-notice']);
      const handles = declared.obligations!.map((o) => client.workflow.getHandle(o.workflowId));
      const before: ObligationState[] = await Promise.all(handles.map((x) => x.query(obligationQuery)));
      expect(before.every((s) => s.reminders.every((r) => r.sentAt === undefined))).toBe(true);

      first.kill('SIGKILL');
      await new Promise((r) => first.once('exit', r));
      // Stay down past the first reminder of each obligation.
      await new Promise((r) => setTimeout(r, 3_000));
      const second = await startWorker(env);
      children.push(second);

      const after = await eventually(
        async () => {
          const states = await Promise.all(handles.map((x) => x.query(obligationQuery)));
          return states.every((s) => s.status === 'overdue') ? states : undefined;
        },
        40_000,
        'both obligations to go overdue on the new worker',
      );
      after.forEach((s, i) => {
        // Same deadline as before the crash, every reminder sent, none early, and the escalation at or after it.
        expect(s.deadline).toBe(before[i]!.deadline);
        expect(s.reminders.map((r) => r.at)).toEqual(before[i]!.reminders.map((r) => r.at));
        for (const r of s.reminders) expect(Date.parse(r.sentAt!)).toBeGreaterThanOrEqual(Date.parse(r.at));
        expect(Date.parse(s.escalatedAt!)).toBeGreaterThanOrEqual(Date.parse(s.deadline));
      });
    } finally {
      await conn.close();
    }
  });
});
