import { NativeConnection, Worker } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createEngineActivities, staticGroups, type IncidentNotifier } from '../activities/engine';
import { actionActivities, reachOf, type ActionHandlers } from '../activities/registry';
import { dataConverterFor } from '../codec/codec';
import { publishCodecMarker } from '../codec/marker';
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
  const { namespace, taskQueue: configuredQueue } = parts.config.temporal;
  const taskQueue = parts.taskQueue ?? configuredQueue;
  // Clients read this before writing, so a shell without keys cannot declare in clear into an encrypted namespace.
  await publishCodecMarker(connection.workflowService, namespace, taskQueue, parts.config.codec).catch((err: unknown) =>
    parts.logger.warn(
      { err, namespace, taskQueue },
      'cannot record the payload codec in the namespace data; clients without keys will not be refused at connect',
    ),
  );
  const worker = await Worker.create({
    connection,
    ...(dataConverter ? { dataConverter } : {}),
    namespace,
    taskQueue,
    workflowBundle: await workflowBundle(dataConverter?.failureConverterPath),
    activities: { ...engine, ...actionActivities(parts.handlers) },
  });
  return { worker, connection };
}
