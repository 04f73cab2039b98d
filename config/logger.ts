import pino, { type Logger } from 'pino';

/** Field paths whose values never reach a log line. */
export const REDACTED_PATHS = [
  'token',
  '*.token',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'config.github.token',
  'github.token',
  // Payload encryption keys, as config and as the environment they come from.
  'codec.keys',
  'config.codec.keys',
  'CORDON_CODEC_KEYS',
  '*.CORDON_CODEC_KEYS',
  'CORDON_CODEC_SERVER_TOKEN',
  '*.CORDON_CODEC_SERVER_TOKEN',
  // Slack credentials, as config (config/slack.ts) and as the environment they come from.
  'botToken',
  '*.botToken',
  'signingSecret',
  '*.signingSecret',
  'appToken',
  '*.appToken',
  'SLACK_BOT_TOKEN',
  '*.SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  '*.SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  '*.SLACK_APP_TOKEN',
];

/** cordon's logger: JSON lines on stderr, secrets redacted. */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino(
    { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    destination as pino.DestinationStream,
  );
}
