// The Slack app in Socket Mode against the sandbox's Socket Mode server (a real WebSocket on loopback) and a real
// Temporal server: connect with the app token, answer a command in the ack, declare through the envelope.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createIncidentActivities } from '../../activities/incident';
import { incidentStatus } from '../../client/incidents';
import { slashCommandBody, startSlackSandbox, type SlackSandbox } from '../../sandbox/slack';
import { createSlackApp, type SlackApp } from '../../slack/app';
import { startLocalEngine, type LocalEngine } from '../../drill/local-engine';
import { createLogger } from '../../config/logger';
import { eventually, testConfig } from '../harness/engine';
import { playbookFixture } from '../harness/fixtures';

const BOT_TOKEN = 'xoxb-socket-bot';
const APP_TOKEN = 'xapp-1-socket-app';
const CHANNEL = 'C0INCIDENTS';
const PLAYBOOK = playbookFixture('declare-only');

let sandbox: SlackSandbox;
let engine: LocalEngine;
let app: SlackApp;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-slack-socket-'));
  writeFileSync(path.join(dir, 'playbook.yaml'), PLAYBOOK);
  sandbox = await startSlackSandbox({ botToken: BOT_TOKEN, appToken: APP_TOKEN, channels: [CHANNEL], userGroups: [] });
  const config = testConfig({}, `test-${randomUUID()}`);
  const logger = createLogger('silent');
  engine = await startLocalEngine({ config, handlers: createIncidentActivities(), logger });
  app = createSlackApp({
    slack: {
      mode: 'socket',
      botToken: BOT_TOKEN,
      appToken: APP_TOKEN,
      apiUrl: sandbox.apiUrl,
      incidentChannel: CHANNEL,
      userGroups: {},
      port: 0,
    },
    temporal: { client: engine.client, taskQueue: config.temporal.taskQueue },
    logger,
    playbookFile: path.join(dir, 'playbook.yaml'),
  });
  await app.start();
  await sandbox.socketMode!.whenConnected();
});

afterAll(async () => {
  await app?.stop();
  await engine?.stop();
  await sandbox?.stop();
});

// Socket Mode carries the same fields as the HTTP form, as a JSON object.
const command = (text: string, responseUrl: string): Record<string, string> =>
  Object.fromEntries(
    new URLSearchParams(slashCommandBody({ userId: 'U0ALICE', channelId: CHANNEL }, '/cordon', text, responseUrl, 't')),
  );

describe('Slack app in Socket Mode', () => {
  it('connects with the app token, never the bot token, and answers /cordon help in its ack', async () => {
    expect(sandbox.calls.find((c) => c.method === 'apps.connections.open')).toMatchObject({ ok: true });
    const ack = await sandbox.socketMode!.send('slash_commands', command('help', sandbox.responseUrl()));
    expect(ack.payload).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('/cordon declare') });
  });

  it('declares an incident from a command envelope, answering through the response_url', async () => {
    const org = `sock-${randomUUID().slice(0, 6)}`;
    const responseUrl = sandbox.responseUrl();
    const ack = await sandbox.socketMode!.send(
      'slash_commands',
      command(`declare npm:axios@1.14.1 --org ${org} --since 2026-03-31T00:00:00Z`, responseUrl),
    );
    expect(ack.payload).toMatchObject({ text: 'Declaring…' });
    const id = responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
    const answer = await eventually(async () => sandbox.responses.find((r) => r.id === id), 20_000, 'declaration');
    const incidentId = /`(incident-[^`]+)`/.exec(String(answer.body.text))![1]!;
    const state = await incidentStatus(engine.client, incidentId);
    expect(state).toMatchObject({ org, initiator: 'U0ALICE' });
  });
});
