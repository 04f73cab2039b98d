import { Writable } from 'node:stream';
import { createLogger } from '../../../config/logger';
import { loadSlackConfig } from '../../../config/slack';

const base = {
  SLACK_BOT_TOKEN: 'xoxb-1-secret-bot-token',
  SLACK_SIGNING_SECRET: 'signing-secret-value',
  SLACK_INCIDENT_CHANNEL: 'C0INCIDENTS',
};

describe('Slack configuration', () => {
  it('is absent without a bot token, and reads http mode with a signing secret', () => {
    expect(loadSlackConfig({})).toBeUndefined();
    expect(loadSlackConfig({ SLACK_BOT_TOKEN: '', SLACK_APPROVER_USERGROUPS: '' }, 'worker')).toBeUndefined();
    expect(
      loadSlackConfig({
        ...base,
        SLACK_APPROVER_USERGROUPS: '{"oncall-security":"@security-oncall"}',
        SLACK_PORT: '3100',
      }),
    ).toEqual({
      mode: 'http',
      botToken: base.SLACK_BOT_TOKEN,
      signingSecret: base.SLACK_SIGNING_SECRET,
      incidentChannel: 'C0INCIDENTS',
      userGroups: { 'oncall-security': '@security-oncall' },
      port: 3100,
    });
  });

  it('lets a worker post with the bot token alone: it receives nothing, so needs no signing secret', () => {
    const { SLACK_SIGNING_SECRET: _, ...rest } = base;
    expect(loadSlackConfig(rest, 'worker')).toMatchObject({ botToken: base.SLACK_BOT_TOKEN });
  });

  it('gives each incident its own channel in channel mode (prefix inc- unless set); thread mode by default', () => {
    expect(loadSlackConfig(base)?.perIncidentChannel).toBeUndefined();
    expect(loadSlackConfig({ ...base, SLACK_INCIDENT_MODE: 'thread' })?.perIncidentChannel).toBeUndefined();
    expect(loadSlackConfig({ ...base, SLACK_INCIDENT_MODE: 'channel' })?.perIncidentChannel).toEqual({
      prefix: 'inc-',
    });
    expect(
      loadSlackConfig({ ...base, SLACK_INCIDENT_MODE: 'channel', SLACK_INCIDENT_CHANNEL_PREFIX: 'sec_inc-' })
        ?.perIncidentChannel,
    ).toEqual({ prefix: 'sec_inc-' });
  });

  it('chooses socket mode with an app token and no signing secret', () => {
    const { SLACK_SIGNING_SECRET: _, ...rest } = base;
    expect(loadSlackConfig({ ...rest, SLACK_APP_TOKEN: 'xapp-1-app-token' })).toMatchObject({ mode: 'socket' });
  });

  it.each([
    [{ SLACK_BOT_TOKEN: 'xoxp-user-token' }, /SLACK_BOT_TOKEN: expected a bot token/],
    [{ SLACK_SIGNING_SECRET: undefined }, /SLACK_SIGNING_SECRET is required in http mode/],
    [{ SLACK_MODE: 'socket' }, /SLACK_APP_TOKEN is required in socket mode/],
    [{ SLACK_INCIDENT_CHANNEL: '#incidents' }, /SLACK_INCIDENT_CHANNEL: expected a channel id/],
    [{ SLACK_APPROVER_USERGROUPS: '{oops' }, /SLACK_APPROVER_USERGROUPS: not valid JSON/],
    [{ SLACK_INCIDENT_MODE: 'channels' }, /SLACK_INCIDENT_MODE: expected thread or channel/],
    [
      { SLACK_INCIDENT_MODE: 'channel', SLACK_INCIDENT_CHANNEL_PREFIX: 'Inc ' },
      /SLACK_INCIDENT_CHANNEL_PREFIX: expected at most 30 characters of a-z, 0-9, - or _/,
    ],
    [
      { SLACK_INCIDENT_CHANNEL_PREFIX: 'inc-' },
      /SLACK_INCIDENT_CHANNEL_PREFIX: only used with SLACK_INCIDENT_MODE=channel/,
    ],
    [
      { SLACK_APPROVER_USERGROUPS: '{"oncall":"security"}' },
      /SLACK_APPROVER_USERGROUPS: oncall: expected a user group id/,
    ],
  ])('refuses %p with one message that names the variable and never a token', (over, message) => {
    let thrown: Error | undefined;
    try {
      loadSlackConfig({ ...base, ...over });
    } catch (err) {
      thrown = err as Error;
    }
    expect(thrown?.message).toMatch(message);
    expect(thrown?.message).not.toContain('secret-bot-token');
    expect(thrown?.message).not.toContain('signing-secret-value');
  });

  it('never reaches a log line: bot token, signing secret and app token are redacted', () => {
    const config = loadSlackConfig({ ...base, SLACK_APP_TOKEN: 'xapp-1-app-token' })!;
    let out = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        out += chunk.toString();
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.info({ slack: config }, 'nested');
    logger.info(config, 'top level');
    logger.info({ env: { ...base, SLACK_APP_TOKEN: 'xapp-1-app-token' } }, 'environment');
    expect(out).toContain('[redacted]');
    for (const secret of ['secret-bot-token', 'signing-secret-value', 'xapp-1-app-token'])
      expect(out).not.toContain(secret);
  });
});
