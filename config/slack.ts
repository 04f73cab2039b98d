import { z } from 'zod';
import { ErrorCode, UserError } from './errors';

/** How the Slack app receives Slack's requests: signed HTTP posts, or a Socket Mode websocket (no public URL). */
export type SlackMode = 'http' | 'socket';

/** Slack settings shared by the Bolt app (slack/) and the worker's notifier. Never log this object. */
export interface SlackConfig {
  /** `SLACK_MODE`. @default 'socket' when only SLACK_APP_TOKEN is set, 'http' otherwise */
  mode: SlackMode;
  /** `SLACK_BOT_TOKEN`: `xoxb-…` bot token (redacted in logs as `botToken`). No default: without it Slack is off. */
  botToken: string;
  /** `SLACK_SIGNING_SECRET`: verifies HTTP requests (v0 HMAC-SHA256); required in http mode. @default undefined */
  signingSecret?: string;
  /** `SLACK_APP_TOKEN`: `xapp-…` app-level token; required in socket mode. @default undefined */
  appToken?: string;
  /** `SLACK_API_URL`: Web API base (the sandbox's in tests). @default undefined (https://slack.com/api/) */
  apiUrl?: string;
  /**
   * `SLACK_INCIDENT_CHANNEL`: channel id where each incident gets its root message and timeline thread; with
   * `perIncidentChannel`, where each incident's own channel is announced. Required when Slack is on.
   */
  incidentChannel: string;
  /**
   * Set when `SLACK_INCIDENT_MODE=channel`: each incident gets its own channel named `<prefix><incident id>`
   * (`SLACK_INCIDENT_CHANNEL_PREFIX`). @default undefined (threads); `prefix` @default 'inc-'
   */
  perIncidentChannel?: { prefix: string };
  /**
   * `SLACK_APPROVER_USERGROUPS` (JSON): approver group → Slack user group id (`S…`) or handle (`@security-oncall`);
   * unmapped groups try the same handle. @default {}
   */
  userGroups: Record<string, string>;
  /** `SLACK_PORT`: HTTP mode's listening port. @default 3000 */
  port: number;
  /** `SLACK_DEFAULT_ORG`: organisation `/cordon declare` uses when `--org` is not given. @default undefined */
  defaultOrg?: string;
}

const Env = z.object({
  SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'expected a bot token (xoxb-…)').optional(),
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'expected an app-level token (xapp-…)').optional(),
  SLACK_MODE: z.enum(['http', 'socket']).optional(),
  SLACK_API_URL: z.url().optional(),
  SLACK_INCIDENT_CHANNEL: z
    .string()
    .regex(/^[CG][A-Z0-9]+$/, 'expected a channel id (C…)')
    .optional(),
  SLACK_INCIDENT_MODE: z.enum(['thread', 'channel'], 'expected thread or channel').optional(),
  // Room left for the incident id within Slack's 80 characters.
  SLACK_INCIDENT_CHANNEL_PREFIX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,29}$/, 'expected at most 30 characters of a-z, 0-9, - or _ (e.g. inc-)')
    .optional(),
  SLACK_APPROVER_USERGROUPS: z.string().optional(),
  SLACK_DEFAULT_ORG: z.string().min(1).optional(),
  SLACK_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
});

const UserGroups = z.record(
  z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected an approver group name'),
  z.string().regex(/^(S[A-Z0-9]+|@[a-z0-9._-]+)$/, 'expected a user group id (S…) or @handle'),
);

const fail = (message: string): never => {
  throw new UserError(`configuration: ${message}`, ErrorCode.Config);
};

/**
 * Reads Slack settings from an environment map; undefined when SLACK_BOT_TOKEN is unset (Slack not configured).
 * The `worker` role needs no signing secret or app token (it only posts).
 * Errors name the variable and what was expected, never a token's value.
 * @throws UserError on a malformed or incomplete configuration.
 */
export function loadSlackConfig(
  env: NodeJS.ProcessEnv = process.env,
  role: 'app' | 'worker' = 'app',
): SlackConfig | undefined {
  // An empty variable is an unset one (compose passes `${SLACK_BOT_TOKEN:-}` through as '').
  const set = Object.fromEntries(Object.entries(env).filter(([k, v]) => !k.startsWith('SLACK_') || v !== ''));
  const parsed = Env.safeParse(set);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    return fail(`${String(i.path[0])}: ${i.message}`);
  }
  const e = parsed.data;
  if (!e.SLACK_BOT_TOKEN) return undefined;
  const mode: SlackMode = e.SLACK_MODE ?? (e.SLACK_APP_TOKEN && !e.SLACK_SIGNING_SECRET ? 'socket' : 'http');
  // Only the app receives Slack's requests; a worker posts with the bot token alone.
  if (role === 'app' && mode === 'http' && !e.SLACK_SIGNING_SECRET)
    fail('SLACK_SIGNING_SECRET is required in http mode');
  if (role === 'app' && mode === 'socket' && !e.SLACK_APP_TOKEN) fail('SLACK_APP_TOKEN is required in socket mode');
  if (!e.SLACK_INCIDENT_CHANNEL) return fail('SLACK_INCIDENT_CHANNEL: required when SLACK_BOT_TOKEN is set');
  if (e.SLACK_INCIDENT_CHANNEL_PREFIX && e.SLACK_INCIDENT_MODE !== 'channel')
    fail('SLACK_INCIDENT_CHANNEL_PREFIX: only used with SLACK_INCIDENT_MODE=channel');
  let groups: unknown = {};
  try {
    if (e.SLACK_APPROVER_USERGROUPS) groups = JSON.parse(e.SLACK_APPROVER_USERGROUPS);
  } catch {
    fail('SLACK_APPROVER_USERGROUPS: not valid JSON (expected {"<approver group>": "S…" or "@handle"})');
  }
  const g = UserGroups.safeParse(groups);
  if (!g.success) {
    const i = g.error.issues[0]!;
    fail(`SLACK_APPROVER_USERGROUPS: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  return {
    mode,
    botToken: e.SLACK_BOT_TOKEN,
    incidentChannel: e.SLACK_INCIDENT_CHANNEL,
    userGroups: g.data ?? {},
    port: e.SLACK_PORT,
    ...(e.SLACK_INCIDENT_MODE === 'channel'
      ? { perIncidentChannel: { prefix: e.SLACK_INCIDENT_CHANNEL_PREFIX ?? 'inc-' } }
      : {}),
    ...(e.SLACK_SIGNING_SECRET ? { signingSecret: e.SLACK_SIGNING_SECRET } : {}),
    ...(e.SLACK_DEFAULT_ORG ? { defaultOrg: e.SLACK_DEFAULT_ORG } : {}),
    ...(e.SLACK_APP_TOKEN ? { appToken: e.SLACK_APP_TOKEN } : {}),
    ...(e.SLACK_API_URL ? { apiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/` } : {}),
  };
}
