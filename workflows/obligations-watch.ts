import { condition, ParentClosePolicy, startChild, workflowInfo } from '@temporalio/workflow';
import { deadlineFor } from '../domain/notify/business-days';
import { incidentFacts, newlyTriggered } from '../domain/notify/facts';
import type { CompiledObligations } from '../domain/notify/schema';
import { obligationWorkflowId, type IncidentState } from './definitions';
import { obligationWorkflow } from './obligation';

/** Watches an incident's facts and starts each obligation's clock when its trigger first holds. */
export interface ObligationWatcher {
  /** Resolves once `close` was called and every obligation due by then has started. */
  done: Promise<void>;
  close(): void;
}

/**
 * Starts watching: whenever a step's result or a recorded fact makes an obligation's trigger true, starts its
 * workflow (abandoned on close, so the clock outlives the incident) and records it in the incident state.
 */
export function watchObligations(
  config: CompiledObligations,
  state: IncidentState,
  timeline: (kind: string, text: string) => Promise<void>,
): ObligationWatcher {
  const info = workflowInfo();
  const refs = (state.obligations ??= []);
  const started = new Set<string>(refs.map((r) => r.id));
  let closing = false;
  const due = () => newlyTriggered(config.obligations, incidentFacts(state), started);
  const done = (async () => {
    for (;;) {
      await condition(() => closing || due().length > 0);
      for (const o of due()) {
        started.add(o.id);
        const triggeredAt = new Date().toISOString();
        const clockStartedAt = o.clockStart === 'discovery' ? state.startedAt : triggeredAt;
        const deadline = new Date(deadlineFor(o.deadline, Date.parse(clockStartedAt), config.calendar)).toISOString();
        const workflowId = obligationWorkflowId(info.workflowId, o.id);
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
      }
      if (closing && due().length === 0) return;
    }
  })();
  return {
    done,
    close: () => {
      closing = true;
    },
  };
}
