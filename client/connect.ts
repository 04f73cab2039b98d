import { Client, Connection } from '@temporalio/client';
import { dataConverterFor } from '../codec/codec';
import type { CordonConfig } from '../config/config';
import { ErrorCode, OperationalError } from '../config/errors';

/** A Temporal client for the CLI and the Slack app; `close()` releases the connection. */
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
  // With keys configured the client encrypts what it sends (incident input, votes) and decrypts what it reads.
  const dataConverter = dataConverterFor(config.codec);
  const client = new Client({
    connection,
    namespace: config.temporal.namespace,
    ...(dataConverter ? { dataConverter } : {}),
  });
  return { client, close: () => connection.close() };
}
