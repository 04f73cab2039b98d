// Slack channel mode end to end: the worker gives each incident its own channel (announced in the incident channel),
// approvers click Approve there, and the Slack app applies the vote, against the sandbox Slack and real Temporal.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createIncidentActivities } from '../../activities/incident';
import { incidentStatus } from '../../client/incidents';
import { APPROVAL_ACTIONS } from '../../domain/approval-button';
import { SlackDriver, startSlackSandbox, type SlackMessage, type SlackSandbox } from '../../sandbox/slack';
import { createSlackApp, type SlackApp } from '../../slack/app';
import { startLocalEngine, type LocalEngine } from '../../drill/local-engine';
import { createLogger } from '../../config/logger';
import { loadSlackConfig } from '../../config/slack';
import { slackWorkerParts } from '../../worker/slack-wiring';
import { eventually, testConfig } from '../harness/engine';
import { directoryFor, slackAttestationKeys } from '../harness/people';
import { newWorld, testActions, type World } from '../harness/test-actions';
import { playbookFixture } from '../harness/fixtures';

const ATTESTATION = slackAttestationKeys();

const BOT_TOKEN = 'xoxb-sandbox-channel-mode-token';
const SIGNING_SECRET = 'sandbox-signing-secret-channel-mode';
const CHANNEL = 'C0INCIDENTS';

const PLAYBOOK = playbookFixture('slack-channel-disable-workflows');

let sandbox: SlackSandbox;
let engine: LocalEngine;
let app: SlackApp;
let slack: SlackDriver;
let world: World;
const org = `acme-${randomUUID().slice(0, 6)}`;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-slack-channel-'));
  writeFileSync(path.join(dir, 'playbook.yaml'), PLAYBOOK);
  sandbox = await startSlackSandbox({
    botToken: BOT_TOKEN,
    channels: [CHANNEL],
    userGroups: [{ id: 'S0SEC', handle: 'security-oncall', users: ['U0ALICE', 'U0BOB'] }],
  });
  // Configured as an operator would: from the environment.
  const slackConfig = loadSlackConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: sandbox.apiUrl,
    SLACK_INCIDENT_CHANNEL: CHANNEL,
    SLACK_INCIDENT_MODE: 'channel',
    SLACK_APPROVER_USERGROUPS: '{"oncall-security":"@security-oncall"}',
    SLACK_PORT: '0',
  })!;
  world = newWorld(['ci.yml']);
  // Slack user group members are people through the approvers file; button votes carry the app's attestation.
  const config = {
    ...testConfig({}, `test-${randomUUID()}`),
    approvers: directoryFor({ 'oncall-security': ['U0ALICE', 'U0BOB'] }),
    slackAttestationKey: ATTESTATION.publicKey,
  };
  const logger = createLogger('silent');
  const parts = slackWorkerParts(slackConfig, config, logger);
  engine = await startLocalEngine({
    config,
    handlers: { ...createIncidentActivities(), 'github.disableWorkflows': testActions(world)['test.change']! },
    notifiers: [parts.notifier],
    resolveGroup: parts.resolveGroup,
    logger,
  });
  app = createSlackApp({
    attestationKey: ATTESTATION.privateKey,
    slack: slackConfig,
    temporal: { client: engine.client, taskQueue: config.temporal.taskQueue },
    logger,
    playbookFile: path.join(dir, 'playbook.yaml'),
    drill: true,
  });
  const { port } = await app.start();
  slack = new SlackDriver({
    sandbox,
    appUrl: `http://127.0.0.1:${port}/slack/events`,
    signingSecret: SIGNING_SECRET,
    channel: CHANNEL,
  });
});

afterAll(async () => {
  await app?.stop();
  await engine?.stop();
  await sandbox?.stop();
});

const keyed = (key: string): SlackMessage | undefined =>
  sandbox.workspace.messages.find((m) => m.metadata?.event_payload.key === key);

describe('Slack channel mode', () => {
  it('runs an incident in its own channel: announced, approved there by a click, closed in both places', async () => {
    await slack.slash('U0ALICE', `declare npm:left-pad@1.3.0 --org ${org} --since 2026-06-17T00:00:00Z`);
    const declared = await eventually(
      async () => sandbox.responses.find((r) => String(r.body.text).includes('declared')),
      20_000,
      'declaration response',
    );
    const incidentId = /`(incident-[^`]+)`/.exec(String(declared.body.text))![1]!;
    const request = await eventually(
      async () => sandbox.workspace.messages.find((m) => m.metadata?.event_payload.kind === 'approval'),
      20_000,
      'approval request',
    );
    const channels = [...sandbox.workspace.channelInfo.values()].filter((c) => c.name.startsWith('inc-'));
    expect(channels.map((c) => c.name)).toEqual([`inc-${incidentId}`]);
    const own = channels[0]!;
    expect(request.channel).toBe(own.id);
    expect(own.members).toEqual(expect.arrayContaining(['U0ALICE', 'U0BOB']));

    await slack.click('U0BOB', request, APPROVAL_ACTIONS.approve);
    await eventually(
      async () => (await incidentStatus(engine.client, incidentId)).status === 'completed',
      20_000,
      'incident completed',
    );
    expect(world.applied.map((a) => a.items)).toEqual([['ci.yml']]);
    const root = keyed(`root/${incidentId}`)!;
    const announce = keyed(`announce/${incidentId}`)!;
    expect(root.channel).toBe(own.id);
    expect(announce.channel).toBe(CHANNEL);
    expect(announce.text).toContain(`<#${own.id}>`);
    await eventually(async () => root.edited && announce.edited, 20_000, 'root and announcement closed');
    expect(announce.text).toMatch(/:white_check_mark: incident .* completed$/);
    // The timeline is in the incident's channel, top-level; the incident channel holds only the announcement.
    const timeline = sandbox.workspace.messages.filter((m) => m.channel === own.id && !m.thread_ts).map((m) => m.text);
    expect(timeline).toEqual(
      expect.arrayContaining(['disable-workflows approved by U0BOB', 'disable-workflows succeeded']),
    );
    // Each notice posted once (the request's own text is edited to the decision, hence keys, not texts).
    const keys = sandbox.workspace.messages
      .filter((m) => m.channel === own.id)
      .map((m) => m.metadata?.event_payload.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(
      sandbox.workspace.messages.filter((m) => m.channel === CHANNEL).map((m) => m.metadata?.event_payload.kind),
    ).toEqual(['announce']);
  });
});
