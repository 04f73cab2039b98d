import { ApplicationFailure } from '@temporalio/common';
import type { Logger } from 'pino';
import type { ApprovalRequestNotice, EngineActivities, TimelineNotice } from '../types';
import { FailureType } from '../../domain/failures';
import { checkPreflight, type ActionReach } from '../../domain/preflight';

/** Where approval requests and timeline events go (Slack, a test recorder, the demo transcript). */
export interface IncidentNotifier {
  approvalRequested(notice: ApprovalRequestNotice): Promise<void>;
  timeline(notice: TimelineNotice): Promise<void>;
}

/** Dependencies of the engine's own activities. */
export interface EngineDeps {
  /** Members of an approver group, looked up when a request is made. */
  resolveGroup(group: string): Promise<string[] | undefined>;
  notifiers: IncidentNotifier[];
  logger: Logger;
  /** What the handler of an action calls outside cordon (activities/registry `reachOf`); none when absent. */
  reachOf?: (action: string) => ActionReach | undefined;
}

/** Approver groups from configuration (group → member ids), for when no directory (Slack) is wired in. */
export function staticGroups(groups: Record<string, string[]>): EngineDeps['resolveGroup'] {
  return async (group) => groups[group];
}

/** The engine's activities: pre-flight, resolve approvers, announce approval requests, post timeline events. */
export function createEngineActivities(deps: EngineDeps): EngineActivities {
  return {
    async 'cordon.preflight'(req) {
      const groups = [...new Set(req.steps.flatMap((s) => s.groups))];
      const unknown = new Set<string>();
      for (const g of groups) if ((await deps.resolveGroup(g)) === undefined) unknown.add(g);
      const result = checkPreflight(req, (action) => deps.reachOf?.(action), unknown);
      if (result.problems.length > 0)
        deps.logger.warn({ problems: result.problems.map((p) => p.piece) }, 'pre-flight found missing pieces');
      return result;
    },
    async 'cordon.resolveApprovers'({ group }) {
      const members = await deps.resolveGroup(group);
      if (!members) {
        // Nobody could ever approve: fail loudly instead of waiting for a timeout.
        throw ApplicationFailure.create({
          type: FailureType.UnknownApproverGroup,
          message: `unknown approver group "${group}"`,
          nonRetryable: true,
        });
      }
      return [...members].sort();
    },
    async 'cordon.requestApproval'(notice) {
      deps.logger.info(
        { incident: notice.incidentId, step: notice.stepId, group: notice.group, planHash: notice.planHash },
        'approval requested',
      );
      for (const n of deps.notifiers) await n.approvalRequested(notice);
    },
    async 'cordon.timeline'(notice) {
      deps.logger.info({ incident: notice.incidentId, step: notice.stepId, kind: notice.kind }, notice.text);
      for (const n of deps.notifiers) await n.timeline(notice);
    },
  };
}

/** A notifier that keeps everything in memory: tests and the demo read it back. */
export class RecordingNotifier implements IncidentNotifier {
  readonly approvals: ApprovalRequestNotice[] = [];
  readonly events: TimelineNotice[] = [];
  async approvalRequested(notice: ApprovalRequestNotice): Promise<void> {
    this.approvals.push(notice);
  }
  async timeline(notice: TimelineNotice): Promise<void> {
    this.events.push(notice);
  }
}
