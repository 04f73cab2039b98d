// The cordon worker process: `npm run worker` or `cordon worker`. Shuts down gracefully on SIGINT/SIGTERM
// (the Temporal runtime's default shutdown signals): in-flight activities finish, then the process exits.
import { CordonError } from '../config/errors';
import { loadConfig } from '../config/config';
import { createCordonWorker } from './create-worker';
import { defaultHandlers } from './handlers';
import { createLogger } from '../config/logger';
import { loadSlackConfig } from '../config/slack';
import { slackWorkerParts } from './slack-wiring';

/** Runs a worker until a shutdown signal; `cwd` is where relative configured paths resolve. */
export async function runWorker(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<void> {
  const config = loadConfig(env, cwd);
  const logger = createLogger(config.logLevel);
  // With Slack configured, approval requests and the timeline go to the incident channel.
  const slackConfig = loadSlackConfig(env, 'worker');
  const slack = slackConfig && slackWorkerParts(slackConfig, config, logger);
  const { worker, connection } = await createCordonWorker({
    config,
    handlers: defaultHandlers(config, logger, slack ? { packetPoster: slack.packetPoster } : {}),
    logger,
    ...(slack ? { notifiers: [slack.notifier], resolveGroup: slack.resolveGroup } : {}),
  });
  logger.info({ address: config.temporal.address, taskQueue: config.temporal.taskQueue }, 'cordon worker polling');
  try {
    await worker.run();
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  runWorker().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(
        `cordon worker: ${err instanceof CordonError ? err.message : ((err as Error).stack ?? String(err))}\n`,
      );
      process.exit(err instanceof CordonError && err.category === 'user' ? 2 : 1);
    },
  );
}
