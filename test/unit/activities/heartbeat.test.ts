import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { actionActivities, type ActionHandlers } from '../../../activities/registry';
import type { ActionContext, ActionPlan } from '../../../activities/types';
import { hashJson } from '../../../domain/canonical-json';
import { heartbeatTimeoutFor } from '../../../workflows/activity-options';

const ctx: ActionContext = {
  incidentId: 'incident-x',
  stepId: 'purge',
  idempotencyKey: 'incident-x/purge',
  drill: true,
};
const plan: ActionPlan<string> = { summary: 'purge 3', items: ['a', 'b', 'c'], irreversible: true };
type Seen = { signal?: AbortSignal | undefined; done: string[] };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An apply that works through its items slowly, stopping when its attempt is cancelled, as long loops must. */
function slowHandlers(seen: Seen): ActionHandlers {
  return {
    'test.slow': {
      plan: async () => plan,
      async apply(p: ActionPlan<string>, c: ActionContext) {
        seen.signal = c.signal;
        for (const item of p.items) {
          c.signal?.throwIfAborted();
          await sleep(150);
          seen.done.push(item);
        }
        return { done: seen.done.length };
      },
      async undo(_effects: unknown, _input: unknown, c: ActionContext) {
        seen.signal = c.signal;
        await sleep(300);
        return { undone: true };
      },
    },
  } as unknown as ActionHandlers;
}

describe('apply and undo heartbeat', () => {
  it('heartbeats in the background while an apply runs, every third of the heartbeat timeout', async () => {
    const seen: Seen = { done: [] };
    const apply = actionActivities(slowHandlers(seen))['test.slow:apply']!;
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 300 });
    let beats = 0;
    env.on('heartbeat', () => beats++);
    await expect(env.run(apply, { ctx, plan, planHash: hashJson(plan) })).resolves.toEqual({ done: 3 });
    // 450 ms of work at one heartbeat per 100 ms, plus one at the start.
    expect(beats).toBeGreaterThanOrEqual(4);
    expect(seen.signal).toBeInstanceOf(AbortSignal);
  });

  it('heartbeats during an undo too', async () => {
    const seen: Seen = { done: [] };
    const undo = actionActivities(slowHandlers(seen))['test.slow:undo']!;
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 300 });
    let beats = 0;
    env.on('heartbeat', () => beats++);
    await expect(env.run(undo, { ctx, effects: {}, input: {} })).resolves.toEqual({ undone: true });
    expect(beats).toBeGreaterThanOrEqual(3);
  });

  it('stops a long apply when its attempt is cancelled (timed out elsewhere), leaving the rest to the retry', async () => {
    const seen: Seen = { done: [] };
    const apply = actionActivities(slowHandlers(seen))['test.slow:apply']!;
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 300 });
    const running = env.run(apply, { ctx, plan, planHash: hashJson(plan) });
    await sleep(200);
    env.cancel('TIMED_OUT');
    await expect(running).rejects.toBeInstanceOf(CancelledFailure);
    expect(seen.signal?.aborted).toBe(true);
    await sleep(300);
    // The item under way when the cancellation came finished; no later one started.
    expect(seen.done).toEqual(['a', 'b']);
  });

  it('runs the handler without heartbeats outside an activity (direct calls, benchmarks)', async () => {
    const seen: Seen = { done: [] };
    const apply = actionActivities(slowHandlers(seen))['test.slow:apply']!;
    await expect(apply({ ctx, plan, planHash: hashJson(plan) })).resolves.toEqual({ done: 3 });
    expect(seen.signal).toBeUndefined();
  });
});

describe('heartbeatTimeoutFor', () => {
  it('gives apply and undo a heartbeat timeout of tens of seconds, and read-only modes none', () => {
    expect(heartbeatTimeoutFor('github.purgeRunArtifacts:apply')).toEqual({ heartbeatTimeout: 20_000 });
    expect(heartbeatTimeoutFor('aws.reactivateAccessKeys:undo')).toEqual({ heartbeatTimeout: 20_000 });
    expect(heartbeatTimeoutFor('github.purgeRunArtifacts:plan')).toEqual({});
    expect(heartbeatTimeoutFor('github.listRepos:run')).toEqual({});
  });
});
