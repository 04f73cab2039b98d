// Provisions the tools the tests run (Temporal CLI, moto, Poetry, pipenv, uv: cached per user, so this costs nothing
// after the first run), then starts one Temporal dev server for the whole run; tests find it through TEMPORAL_ADDRESS.
import { startDevServer, type DevServer } from '../../devserver/dev-server';
import { provision } from '../../devserver/tools';

declare global {
  var __CORDON_DEV_SERVER__: DevServer | undefined;
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);

export default async function globalSetup(): Promise<void> {
  try {
    await provision(undefined, { log });
  } catch (err) {
    // One line saying what is missing, not a stack through the provisioning code.
    const line = `cordon: ${(err as Error).message}`;
    throw Object.assign(new Error(line), { stack: line });
  }
  if (process.env.CORDON_TEST_TEMPORAL_ADDRESS) {
    process.env.TEMPORAL_ADDRESS = process.env.CORDON_TEST_TEMPORAL_ADDRESS;
    return;
  }
  const server = await startDevServer({ startTimeoutMs: 120_000, log });
  globalThis.__CORDON_DEV_SERVER__ = server;
  process.env.TEMPORAL_ADDRESS = server.address;
}
