// The Slack app process: `npm run slack`. Reads configuration once, connects to Temporal through the same client as
// the CLI, and serves Slack over HTTP (/slack/events) or Socket Mode until SIGINT/SIGTERM.
import { connectClient } from '../client/connect';
import { loadObligationsFile } from '../client/obligations';
import { loadConfig } from '../config/config';
import { asCordonError, ErrorCode, UserError } from '../config/errors';
import { createLogger } from '../config/logger';
import { loadSlackConfig } from '../config/slack';
import { createSlackApp } from './app';

/** Runs the Slack app until a shutdown signal. */
export async function runSlackApp(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = loadConfig(env);
  const slack = loadSlackConfig(env);
  if (!slack)
    throw new UserError(
      'configuration: SLACK_BOT_TOKEN is not set: the Slack app has nothing to run',
      ErrorCode.Config,
    );
  const logger = createLogger(config.logLevel);
  // Like `cordon declare`: incidents declared from Slack start the configured legal clocks. Read (and validated)
  // once, before connecting: a bad file stops the app with its file:line:col problems.
  const obligations = config.obligationsFile ? loadObligationsFile(config.obligationsFile) : undefined;
  const { client, close } = await connectClient(config);
  const app = createSlackApp({
    slack,
    temporal: { client, taskQueue: config.temporal.taskQueue },
    logger,
    drill: env.CORDON_SLACK_DRILL === 'true',
    ...(config.slackAttestationKey ? { attestationKey: config.slackAttestationKey } : {}),
    ...(obligations ? { obligations } : {}),
  });
  const { port } = await app.start();
  // Never the config object itself: it holds the tokens (the logger redacts them, this line does not need them).
  logger.info({ mode: slack.mode, port, channel: slack.incidentChannel }, 'cordon slack app running');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await app.stop();
  await close();
}

if (require.main === module) {
  runSlackApp().then(
    () => process.exit(0),
    (err: unknown) => {
      const e = asCordonError(err);
      const stack = e.cause instanceof Error ? e.cause.stack : undefined;
      process.stderr.write(`cordon slack: ${e.category === 'bug' ? (stack ?? String(e.cause)) : e.message}\n`);
      process.exit(e.category === 'user' ? 2 : 1);
    },
  );
}
