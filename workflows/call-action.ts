import { ApplicationFailure, executeChild, proxyActivities } from '@temporalio/workflow';
import type { ActionActivity, ActionContext } from '../activities/types';
import type { CompiledStep } from '../domain/playbook/compiled';
import { resolveExpressions, type ExpressionScope } from '../domain/playbook/expressions';
import { batches, mergeBatchResults } from './merge';
import { heartbeatTimeoutFor } from './activity-options';
import { stepBatchWorkflow } from './step-batch';

/** How many batch child workflows of one fan-out run at once. */
const FAN_OUT_CONCURRENCY = 8;

/** Which activity of an action: `run` (read-only), `plan`, `apply`, `undo`. */
export type ActionMode = 'run' | 'plan' | 'apply' | 'undo';

/** A fan-out: the list split into batches, whether it replaces the input's or the plan's items, and a tag for ids. */
export interface FanOut {
  items: unknown[];
  field: 'input' | 'plan';
  tag: string;
}

/** The incident an action call belongs to. */
export interface CallerIdentity {
  workflowId: string;
  incidentId: string;
  drill: boolean;
}

/**
 * Returns the function the interpreter calls actions with: `<action>:<mode>` as an activity with the step's timeout
 * and retries, or, for a fan-out, one child workflow per batch (ids and idempotency keys carry the batch) with the
 * batches' results merged.
 */
export function actionCaller(who: CallerIdentity) {
  const ctxFor = (step: CompiledStep, suffix = ''): ActionContext => ({
    incidentId: who.incidentId,
    stepId: step.id,
    idempotencyKey: `${who.workflowId}/${step.id}${suffix}`,
    drill: who.drill,
  });
  // Activity options are not commands: adding a heartbeat timeout leaves recorded histories replaying.
  const activitiesFor = (step: CompiledStep, activity: string): Record<string, ActionActivity> =>
    proxyActivities<Record<string, ActionActivity>>({
      startToCloseTimeout: step.timeoutMs,
      ...heartbeatTimeoutFor(activity),
      retry: { maximumAttempts: step.maxAttempts, initialInterval: '1s', maximumInterval: '1m', backoffCoefficient: 2 },
    });

  return async function call(
    step: CompiledStep,
    action: string,
    mode: ActionMode,
    arg: Record<string, unknown>,
    fanOut?: FanOut,
  ): Promise<unknown> {
    const activity = `${action}:${mode}`;
    if (!fanOut)
      return activitiesFor(step, activity)[activity]!({ ctx: ctxFor(step), ...arg } as Parameters<ActionActivity>[0]);
    const parts = batches(fanOut.items, step.forEach!.batchSize);
    const results: unknown[] = new Array(parts.length);
    let next = 0;
    const runBatches = async (): Promise<void> => {
      while (next < parts.length) {
        const i = next++;
        const batchArg: Record<string, unknown> = { ...arg, batch: { index: i, of: parts.length } };
        batchArg[fanOut.field] = { ...(arg[fanOut.field] as object), items: parts[i] };
        results[i] = await executeChild(stepBatchWorkflow, {
          workflowId: `${who.workflowId}/${step.id}/${fanOut.tag}/${i}`,
          args: [
            {
              activity,
              arg: { ctx: ctxFor(step, `/${fanOut.tag}/${i}`), ...batchArg } as Parameters<ActionActivity>[0],
              timeoutMs: step.timeoutMs,
              maxAttempts: step.maxAttempts,
            },
          ],
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(FAN_OUT_CONCURRENCY, parts.length) }, runBatches));
    return mergeBatchResults(results);
  };
}

/** The list a `forEach` step fans out over, or undefined for a step without one. */
export function fanOutItems(step: CompiledStep, scope: ExpressionScope): unknown[] | undefined {
  if (!step.forEach) return undefined;
  const items = resolveExpressions(step.forEach.items, scope);
  if (!Array.isArray(items)) {
    throw ApplicationFailure.nonRetryable(`forEach.items of step ${step.id} resolved to ${typeof items}, not a list`);
  }
  return items;
}
