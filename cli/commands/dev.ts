import path from 'node:path';
import { loadConfig } from '../../config/config';
import { createCordonWorker } from '../../worker/create-worker';
import { startDevServer } from '../../devserver/dev-server';
import { defaultHandlers } from '../../worker/handlers';
import { createLogger } from '../../config/logger';
import { runWorker } from '../../worker/main';
import { slackPartsFromEnv } from '../../worker/slack-wiring';
import { parseFlags } from '../../client/args';
import type { Command } from '../io';

/**
 * `cordon dev`: a persistent local stack — the Temporal dev server with its SQLite file under `.cordon/`, the Web UI,
 * and a worker — until Ctrl-C. Incidents survive restarts of this command.
 */
export const devCommand: Command = async (args, io) => {
  const { values } = parseFlags(args, { port: { type: 'string' }, 'ui-port': { type: 'string' } }, false);
  const port = Number(values.port ?? 7233);
  const uiPort = Number(values['ui-port'] ?? port + 1000);
  const env = { ...io.env, TEMPORAL_ADDRESS: `127.0.0.1:${port}` };
  const config = loadConfig(env, io.cwd);
  const logger = createLogger(config.logLevel);
  const server = await startDevServer({
    port,
    uiPort,
    dbFile: path.join(config.stateDir, 'temporal.sqlite'),
    logFile: path.join(config.stateDir, 'temporal.log'),
    env: io.env,
  });
  io.stderr.write(
    `cordon dev: Temporal at ${server.address}, Web UI at ${server.uiUrl}, state in ${config.stateDir}\n`,
  );
  io.stderr.write(`cordon dev: in another shell: TEMPORAL_ADDRESS=${server.address} npm run -s cordon -- declare …\n`);
  // Same as `cordon worker`: with SLACK_BOT_TOKEN and SLACK_INCIDENT_CHANNEL set, notices go to Slack.
  const { packetPoster, ...slack } = slackPartsFromEnv(io.env, config, logger);
  const { worker, connection } = await createCordonWorker({
    config,
    handlers: defaultHandlers(config, logger, packetPoster ? { packetPoster } : {}),
    logger,
    ...slack,
  });
  try {
    await worker.run(); // returns after SIGINT/SIGTERM once in-flight work has finished
  } finally {
    await connection.close();
    await server.stop();
  }
  return 0;
};

/** `cordon worker`: a worker against the configured Temporal server. */
export const workerCommand: Command = async (_args, io) => {
  await runWorker(io.env);
  return 0;
};
