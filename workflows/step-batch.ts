import { proxyActivities } from '@temporalio/workflow';
import type { ActionActivity } from '../activities/types';
import { heartbeatTimeoutFor } from './activity-options';

/** Input of one batch of a fanned-out step. */
export interface StepBatchInput {
  activity: string;
  arg: Parameters<ActionActivity>[0];
  timeoutMs: number;
  maxAttempts: number;
}

/**
 * Runs one batch of a fanned-out step as a child workflow, so the incident's own history holds one child per batch
 * rather than one activity per item (10,000 repos stay far below Temporal's history limits).
 */
export async function stepBatchWorkflow(input: StepBatchInput): Promise<unknown> {
  const acts = proxyActivities<Record<string, ActionActivity>>({
    startToCloseTimeout: input.timeoutMs,
    ...heartbeatTimeoutFor(input.activity),
    retry: { maximumAttempts: input.maxAttempts, initialInterval: '1s', maximumInterval: '1m' },
  });
  const fn = acts[input.activity];
  if (!fn) throw new Error(`no activity ${input.activity}`);
  return fn(input.arg);
}
