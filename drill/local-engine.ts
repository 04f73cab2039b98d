import { Client, Connection } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { dataConverterFor } from '../codec/codec';
import { createCordonWorker, type WorkerParts } from '../worker/create-worker';

/** A worker running in this process and a client on the same server: the demo, benches and tests use one. */
export interface LocalEngine {
  client: Client;
  worker: Worker;
  /** Shuts the worker down (in-flight activities finish) and closes both connections. */
  stop(): Promise<void>;
}

/** Starts a cordon worker in this process and connects a client to the same Temporal server. */
export async function startLocalEngine(parts: WorkerParts): Promise<LocalEngine> {
  const { worker, connection } = await createCordonWorker(parts);
  const running = worker.run();
  const clientConnection = await Connection.connect({ address: parts.config.temporal.address });
  // Same codec as the worker: the client must read what the worker's codec wrote.
  const dataConverter = dataConverterFor(parts.config.codec);
  const client = new Client({
    connection: clientConnection,
    namespace: parts.config.temporal.namespace,
    ...(dataConverter ? { dataConverter } : {}),
  });
  return {
    client,
    worker,
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
      await clientConnection.close();
    },
  };
}
