import path from 'node:path';
import { loadConfig } from '../config/config';
import { runWorker } from '../worker/main';
import { startDevServer } from './dev-server';

/** Where `runLocalWorker` runs, and how it tells the user. */
export interface LocalWorkerOptions {
  env: NodeJS.ProcessEnv;
  /** Where relative configured paths (state directory, playbooks) resolve. */
  cwd: string;
  /**
   * Start a Temporal dev server first (SQLite file and log under the state directory) and stop it afterwards; without
   * it the worker polls the configured Temporal server.
   */
  devServer?: { port: number; uiPort: number };
  /** Lines for the person at the terminal (where the server and its UI listen). */
  tell(line: string): void;
}

/**
 * Runs a cordon worker in this process until SIGINT/SIGTERM (in-flight work finishes first): `cordon worker`, or with
 * `devServer` the persistent local stack of `cordon dev`, whose incidents survive restarts.
 */
export async function runLocalWorker(options: LocalWorkerOptions): Promise<void> {
  if (!options.devServer) return runWorker(options.env, options.cwd);
  const { port, uiPort } = options.devServer;
  const env = { ...options.env, TEMPORAL_ADDRESS: `127.0.0.1:${port}` };
  const config = loadConfig(env, options.cwd);
  const server = await startDevServer({
    port,
    uiPort,
    dbFile: path.join(config.stateDir, 'temporal.sqlite'),
    logFile: path.join(config.stateDir, 'temporal.log'),
    env: options.env,
  });
  options.tell(`cordon dev: Temporal at ${server.address}, Web UI at ${server.uiUrl}, state in ${config.stateDir}`);
  options.tell(`cordon dev: in another shell: TEMPORAL_ADDRESS=${server.address} npm run -s cordon -- declare …`);
  try {
    // The same worker as `cordon worker`: with SLACK_BOT_TOKEN and SLACK_INCIDENT_CHANNEL set, notices go to Slack.
    await runWorker(env, options.cwd);
  } finally {
    await server.stop();
  }
}
