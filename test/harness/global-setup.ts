// One Temporal dev server for the whole test run; tests find it through TEMPORAL_ADDRESS.
import { startDevServer, type DevServer } from '../../devserver/dev-server';

declare global {
  var __CORDON_DEV_SERVER__: DevServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.CORDON_TEST_TEMPORAL_ADDRESS) {
    process.env.TEMPORAL_ADDRESS = process.env.CORDON_TEST_TEMPORAL_ADDRESS;
    return;
  }
  const server = await startDevServer({ startTimeoutMs: 120_000 });
  globalThis.__CORDON_DEV_SERVER__ = server;
  process.env.TEMPORAL_ADDRESS = server.address;
}
