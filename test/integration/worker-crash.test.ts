// A worker killed (SIGKILL) in the middle of an approved apply: a new worker finishes the incident, and no item is
// applied twice (the activity is retried; its idempotency key makes the retry change only what was not yet changed).
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DrillLedger } from '../../activities/drill';
import type { ActionCatalog } from '../../domain/actions';
import { statusQuery, voteUpdate } from '../../workflows/definitions';
import type { incidentWorkflow } from '../../workflows/incident';
import { compileForTest, eventually, incidentInput, temporalAddress } from '../harness/engine';
import { spawnWorker } from '../harness/spawn-worker';
import { signedVote } from '../harness/people';
import { playbookFixture } from '../harness/fixtures';

const CATALOG: ActionCatalog = {
  'test.read': { mutates: false, implementation: 'real', description: 'read' },
  'test.slowChange': { mutates: true, implementation: 'real', description: 'slow change' },
};

const PLAYBOOK = playbookFixture('slow-change');

async function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  return (await spawnWorker('test/harness/worker-process.ts', env)).child;
}

describe('worker crash', () => {
  const children: ChildProcess[] = [];
  afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

  it('a new worker finishes an incident whose worker was killed mid-apply, applying each item exactly once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cordon-crash-'));
    const env = {
      TEMPORAL_ADDRESS: temporalAddress(),
      TASK_QUEUE: `crash-${randomUUID()}`,
      LEDGER: path.join(dir, 'ledger.jsonl'),
      PAUSE_MS: '300',
    };
    const ledger = () => new DrillLedger(env.LEDGER).entries();
    const first = await startWorker(env);
    children.push(first);
    const conn = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
    const client = new Client({ connection: conn });
    try {
      const input = incidentInput(compileForTest(PLAYBOOK, CATALOG));
      const h = await client.workflow.start<typeof incidentWorkflow>('incidentWorkflow', {
        taskQueue: env.TASK_QUEUE,
        workflowId: input.incidentId,
        args: [input],
      });
      const step = await eventually(async () => {
        const s = (await h.query(statusQuery)).steps[1]!;
        return s.status === 'awaiting-approval' ? s : undefined;
      });
      await h.executeUpdate(voteUpdate, {
        args: [
          await signedVote(h, {
            stepId: 'change',
            planHash: step.plan!.hash,
            approver: 'bob',
            decision: 'approve',
            channel: 'api',
          }),
        ],
      });
      await eventually(async () => ledger().length >= 3, 20_000, 'the apply to be under way');
      first.kill('SIGKILL');
      await new Promise((r) => first.once('exit', r));
      const atKill = ledger().length;
      expect(atKill).toBeGreaterThanOrEqual(3);
      expect(atKill).toBeLessThan(10);

      const second = await startWorker(env);
      children.push(second);
      const final = await h.result();
      expect(final.status).toBe('completed');
      const entries = ledger();
      expect(entries.map((e) => e.item).sort()).toEqual(['r1', 'r10', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9']);
      expect(new Set(entries.map((e) => e.key)).size).toBe(10);
      // The retry ran on the second worker and changed only what the first had not.
      expect(final.steps[1]!.effects).toEqual({ changed: 10 - atKill, pid: second.pid });
    } finally {
      await conn.close();
    }
  });

  it('resumes an apply whose worker was killed within a minute, by its heartbeat timeout, not the step timeout', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cordon-crash-'));
    const env = {
      TEMPORAL_ADDRESS: temporalAddress(),
      TASK_QUEUE: `crash-hb-${randomUUID()}`,
      LEDGER: path.join(dir, 'ledger.jsonl'),
      PAUSE_MS: '300',
    };
    const ledger = () => new DrillLedger(env.LEDGER).entries();
    const first = await startWorker(env);
    children.push(first);
    const conn = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
    const client = new Client({ connection: conn });
    try {
      // A step timeout of 30 minutes, as purge and rollback have: only the heartbeat timeout can bring it back soon.
      const input = incidentInput(compileForTest(PLAYBOOK.replace('timeout: 4s', 'timeout: 30m'), CATALOG));
      const h = await client.workflow.start<typeof incidentWorkflow>('incidentWorkflow', {
        taskQueue: env.TASK_QUEUE,
        workflowId: input.incidentId,
        args: [input],
      });
      const step = await eventually(async () => {
        const s = (await h.query(statusQuery)).steps[1]!;
        return s.status === 'awaiting-approval' ? s : undefined;
      });
      const vote = { stepId: 'change', planHash: step.plan!.hash, approver: 'bob', decision: 'approve' } as const;
      await h.executeUpdate(voteUpdate, { args: [await signedVote(h, { ...vote, channel: 'api' })] });
      await eventually(async () => ledger().length >= 3, 20_000, 'the apply to be under way');
      first.kill('SIGKILL');
      await new Promise((r) => first.once('exit', r));
      const killedAt = Date.now();
      const atKill = ledger().length;
      const second = await startWorker(env);
      children.push(second);
      // The second worker records the next item as soon as the server hands it the retried attempt.
      await eventually(async () => ledger().length > atKill, 60_000, 'the apply to resume on the new worker');
      expect(Date.now() - killedAt).toBeLessThan(60_000);
      const final = await h.result();
      expect(final.status).toBe('completed');
      expect(new Set(ledger().map((e) => e.key)).size).toBe(10);
      expect(final.steps[1]!.effects).toEqual({ changed: 10 - atKill, pid: second.pid });
    } finally {
      await conn.close();
    }
  }, 120_000);
});
