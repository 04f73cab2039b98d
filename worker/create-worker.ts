import { NativeConnection, Worker } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createEngineActivities, staticGroups, type IncidentNotifier } from '../activities/engine';
import { actionActivities, reachOf, type ActionHandlers } from '../activities/registry';
import { dataConverterFor } from '../codec/codec';
import type { CordonConfig } from '../config/config';
import { workflowBundle } from '../workflows/bundle';

/** What a cordon worker runs: the playbook action handlers and where notices go. */
export interface WorkerParts {
  config: CordonConfig;
  handlers: ActionHandlers;
  notifiers?: IncidentNotifier[];
  logger: Logger;
  /** Overrides the configured approver groups lookup (Slack user groups). */
  resolveGroup?: (group: string) => Promise<string[] | undefined>;
  /** @default 'cordon' from config */
  taskQueue?: string;
}

/** Creates a worker polling cordon's task queue with the engine activities and the given action handlers. */
export async function createCordonWorker(
  parts: WorkerParts,
): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ address: parts.config.temporal.address });
  const engine = createEngineActivities({
    resolveGroup: parts.resolveGroup ?? staticGroups(parts.config.approverGroups),
    notifiers: parts.notifiers ?? [],
    logger: parts.logger,
    reachOf: (action) => reachOf(parts.handlers[action]),
    ...(parts.config.approvers ? { directory: parts.config.approvers } : {}),
    ...(parts.config.slackAttestationKey ? { slackAttestationKey: parts.config.slackAttestationKey } : {}),
  });
  const dataConverter = dataConverterFor(parts.config.codec);
  const worker = await Worker.create({
    connection,
    ...(dataConverter ? { dataConverter } : {}),
    namespace: parts.config.temporal.namespace,
    taskQueue: parts.taskQueue ?? parts.config.temporal.taskQueue,
    workflowBundle: await workflowBundle(dataConverter?.failureConverterPath),
    activities: { ...engine, ...actionActivities(parts.handlers) },
  });
  return { worker, connection };
}
