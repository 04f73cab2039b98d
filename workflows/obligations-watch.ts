import { CancellationScope, ParentClosePolicy, startChild, workflowInfo } from '@temporalio/workflow';
import { deadlineFor } from '../domain/notify/business-days';
import { incidentFacts, newlyTriggered } from '../domain/notify/facts';
import type { CompiledObligations } from '../domain/notify/schema';
import { obligationWorkflowId, type IncidentState } from './definitions';
import { obligationWorkflow } from './obligation';

/** Starts each obligation's clock when its trigger first holds. */
export interface ObligationWatcher {
  /**
   * Starts the obligations whose triggers hold now and have not started. The interpreter calls it at fixed points
   * (declared, a step succeeded, a fact recorded, closing) rather than from a `condition`, so the child workflow
   * commands come at the same place in the code on every replay.
   */
  check(): Promise<void>;
}

/**
 * Watches an incident's facts: each obligation starts as its own workflow (abandoned on close, so the clock outlives
 * the incident) and is recorded in the incident state.
 */
export function watchObligations(
  config: CompiledObligations,
  state: IncidentState,
  timeline: (kind: string, text: string) => Promise<void>,
): ObligationWatcher {
  const info = workflowInfo();
  const refs = (state.obligations ??= []);
  const started = new Set<string>(refs.map((r) => r.id));
  const start = async (o: CompiledObligations['obligations'][number]): Promise<void> => {
    const triggeredAt = new Date().toISOString();
    const clockStartedAt = o.clockStart === 'discovery' ? state.startedAt : triggeredAt;
    const deadline = new Date(deadlineFor(o.deadline, Date.parse(clockStartedAt), config.calendar)).toISOString();
    const workflowId = obligationWorkflowId(info.workflowId, info.runId, o.id);
    await startChild(obligationWorkflow, {
      workflowId,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [
        { incidentId: state.incidentId, obligation: o, triggeredAt, clockStartedAt, deadline, drill: state.drill },
      ],
    });
    refs.push({
      id: o.id,
      who: o.who,
      description: o.description,
      trigger: o.trigger,
      triggeredAt,
      clockStartedAt,
      deadline,
      workflowId,
    });
    await timeline(
      'obligation-started',
      `${o.id}: notify ${o.partyName} by ${deadline} (${o.trigger}); owner ${o.owner}`,
    );
  };
  // Starts run one after another, in the order their triggers were seen, whichever check saw them.
  let queue: Promise<void> = Promise.resolve();
  return {
    // Not cancellable: a stand-down must not stop a legal clock from starting.
    check: () =>
      CancellationScope.nonCancellable(async () => {
        for (const o of newlyTriggered(config.obligations, incidentFacts(state), started)) {
          // A check running alongside (a fact recorded while a step finishes) may have queued it since this list
          // was made: each obligation is queued once.
          if (started.has(o.id)) continue;
          started.add(o.id);
          // After the previous start, whether it succeeded or failed (its own check reports that failure).
          const run = (): Promise<void> => start(o);
          queue = queue.then(run, run);
        }
        // Returns when every queued start is recorded, including those a concurrent check queued: the closing check
        // then sees every clock in the state it returns.
        await queue;
      }),
  };
}
