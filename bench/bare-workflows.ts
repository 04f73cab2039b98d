// The bench's workflow bundle: cordon's workflows plus a bare baseline that makes the same activity calls directly.
import { proxyActivities } from '@temporalio/workflow';

export { incidentWorkflow, stepBatchWorkflow } from '../workflows';

type Act = (arg: unknown) => Promise<unknown>;

/** Calls the given activities in sequence with no interpreter, approvals or state: the baseline. */
export async function bareWorkflow(calls: string[]): Promise<number> {
  const acts = proxyActivities<Record<string, Act>>({ startToCloseTimeout: '1m' });
  for (const name of calls) await acts[name]!({ input: {} });
  return calls.length;
}
