// How a client learns that the namespace's workers encrypt payloads before it writes any. A client has no way to see a
// worker's data converter, so each worker records it where every client can read it without a key: the namespace's
// own `data` map (UpdateNamespace merges keys into it; DescribeNamespace returns it), one entry per task queue, since a
// namespace may hold several cordon deployments on their own queues. A `cordon declare` from a shell without
// CORDON_CODEC_KEYS then refuses instead of writing the incident input in clear into an encrypted namespace.
import type { temporal } from '@temporalio/proto';
import type { CodecConfig } from '../config/codec';

/** The namespace data key a worker on `taskQueue` records its payload encoding under. */
export const codecMarkerKey = (taskQueue: string): string => `cordon.codec/${taskQueue}`;

/** What the marker says: `aes-256-gcm` when the worker encrypts; `none` (or no entry) when it does not. */
export type CodecMarker = 'aes-256-gcm' | 'none';

/** The marker a worker with this codec configuration records. */
export const codecMarkerFor = (codec: CodecConfig | undefined): CodecMarker => (codec ? 'aes-256-gcm' : 'none');

type WorkflowService = temporal.api.workflowservice.v1.WorkflowService;

/** The marker recorded for `taskQueue` in `namespace`: `none` when no worker recorded one. */
export async function readCodecMarker(
  service: WorkflowService,
  namespace: string,
  taskQueue: string,
): Promise<CodecMarker> {
  const res = await service.describeNamespace({ namespace });
  return res.namespaceInfo?.data?.[codecMarkerKey(taskQueue)] === 'aes-256-gcm' ? 'aes-256-gcm' : 'none';
}

/**
 * Records this worker's encoding for `taskQueue`, unless the namespace already says so (so a fleet of unencrypted
 * workers writes nothing). Concurrent namespace updates conflict on the server's version check: tried three times.
 */
export async function publishCodecMarker(
  service: WorkflowService,
  namespace: string,
  taskQueue: string,
  codec: CodecConfig | undefined,
): Promise<void> {
  const marker = codecMarkerFor(codec);
  for (let attempt = 1; ; attempt++) {
    try {
      if ((await readCodecMarker(service, namespace, taskQueue)) === marker) return;
      await service.updateNamespace({ namespace, updateInfo: { data: { [codecMarkerKey(taskQueue)]: marker } } });
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
}
