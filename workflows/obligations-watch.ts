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
  return {
    // Not cancellable: a stand-down must not stop a legal clock from starting.
    check: () =>
      CancellationScope.nonCancellable(async () => {
        for (const o of newlyTriggered(config.obligations, incidentFacts(state), started)) {
          // Marked before the first await, so a check running alongside never starts it twice.
          started.add(o.id);
          const triggeredAt = new Date().toISOString();
          const clockStartedAt = o.clockStart === 'discovery' ? state.startedAt : triggeredAt;
          const deadline = new Date(deadlineFor(o.deadline, Date.parse(clockStartedAt), config.calendar)).toISOString();
          const workflowId = obligationWorkflowId(info.workflowId, info.runId, o.id);
          await startChild(obligationWorkflow, {
            workflowId,
            parentClosePolicy: ParentClosePolicy.ABANDON,
            args: [
              {
                incidentId: state.incidentId,
                obligation: o,
                triggeredAt,
                clockStartedAt,
                deadline,
                drill: state.drill,
              },
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
        }
      }),
  };
}
