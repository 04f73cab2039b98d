import { Client, Connection } from '@temporalio/client';
import { dataConverterFor } from '../codec/codec';
import type { CordonConfig } from '../config/config';
import { readCodecMarker } from '../codec/marker';
import { ErrorCode, OperationalError, UserError } from '../config/errors';

/**
 * A Temporal client for the CLI and the Slack app; `close()` releases the connection.
 * @throws UserError E_CODEC_KEYS_MISSING when the configuration has no codec keys but the task queue's worker encrypts.
 */
export async function connectClient(config: CordonConfig): Promise<{ client: Client; close: () => Promise<void> }> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: config.temporal.address, connectTimeout: 5000 });
  } catch (err) {
    throw new OperationalError(
      `cannot reach Temporal at ${config.temporal.address} (start one with \`cordon dev\`, or set TEMPORAL_ADDRESS)`,
      ErrorCode.TemporalUnreachable,
      { cause: err },
    );
  }
  // Without keys this shell would write incident input and votes in clear, and could not read what the worker wrote:
  // refuse here, before any command sends anything. A server that will not describe its namespace is not checked.
  if (!config.codec) {
    const marker = await readCodecMarker(
      connection.workflowService,
      config.temporal.namespace,
      config.temporal.taskQueue,
    ).catch(() => 'none' as const);
    if (marker !== 'none') {
      await connection.close();
      throw new UserError(
        `the cordon worker on task queue ${config.temporal.taskQueue} encrypts payloads (${marker}) and this shell has no key: set CORDON_CODEC_KEYS (and CORDON_CODEC_ACTIVE_KEY) as the worker has them`,
        ErrorCode.CodecKeysMissing,
      );
    }
  }
  // With keys configured the client encrypts what it sends (incident input, votes) and decrypts what it reads.
  const dataConverter = dataConverterFor(config.codec);
  const client = new Client({
    connection,
    namespace: config.temporal.namespace,
    ...(dataConverter ? { dataConverter } : {}),
  });
  return { client, close: () => connection.close() };
}
