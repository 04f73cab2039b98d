// The Slack app over real HTTP, signed as Slack signs, against the sandbox Slack Web API and a real Temporal server:
// refusals of forged, stale and malformed requests; declare from a slash command, approve and reject with buttons.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { RecordingNotifier } from '../../activities/engine';
import { createIncidentActivities } from '../../activities/incident';
import { incidentIdFor, incidentStatus } from '../../client/incidents';
import { loadObligationsFile } from '../../client/obligations';
import { APPROVAL_ACTIONS } from '../../domain/approval-button';
import { buttonsOf, SlackDriver, startSlackSandbox, type SlackMessage, type SlackSandbox } from '../../sandbox/slack';
import { createSlackApp, type SlackApp } from '../../slack/app';
import { startLocalEngine, type LocalEngine } from '../../drill/local-engine';
import { DEFAULT_OBLIGATIONS_FILE } from '../../config/config';
import { createLogger } from '../../config/logger';
import type { SlackConfig } from '../../config/slack';
import { slackWorkerParts } from '../../worker/slack-wiring';
import { statusQuery } from '../../workflows/definitions';
import { eventually, testConfig } from '../harness/engine';
import { directoryFor, slackAttestationKeys } from '../harness/people';
import { newWorld, testActions, type World } from '../harness/test-actions';
import { playbookFixture } from '../harness/fixtures';

const ATTESTATION = slackAttestationKeys();

const BOT_TOKEN = 'xoxb-sandbox-bot-token';
const SIGNING_SECRET = 'sandbox-signing-secret-0123456789';
const CHANNEL = 'C0INCIDENTS';

// A playbook of real catalog actions; the test wires its own handler for the mutating one to see exactly what ran.
const PLAYBOOK = playbookFixture('slack-disable-workflows');

let sandbox: SlackSandbox;
let engine: LocalEngine;
let app: SlackApp;
let slack: SlackDriver;
let world: World;
const recorder = new RecordingNotifier();
let logged = '';
const org = `acme-${randomUUID().slice(0, 6)}`;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-slack-'));
  writeFileSync(path.join(dir, 'playbook.yaml'), PLAYBOOK);
  sandbox = await startSlackSandbox({
    botToken: BOT_TOKEN,
    channels: [CHANNEL],
    userGroups: [{ id: 'S0SEC', handle: 'security-oncall', users: ['U0ALICE', 'U0BOB'] }],
  });
  const slackConfig: SlackConfig = {
    mode: 'http',
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    apiUrl: sandbox.apiUrl,
    incidentChannel: CHANNEL,
    userGroups: { 'oncall-security': '@security-oncall' },
    port: 0,
  };
  world = newWorld(['ci.yml', 'release.yml']);
  const change = testActions(world)['test.change']!;
  // Slack user group members are people through the approvers file; button votes carry the app's attestation.
  const config = {
    ...testConfig({}, `test-${randomUUID()}`),
    approvers: directoryFor({ 'oncall-security': ['U0ALICE', 'U0BOB'] }),
    slackAttestationKey: ATTESTATION.publicKey,
  };
  // Every log line of the worker's notifier and the app, at debug, to check no credential reaches them.
  const logger = createLogger(
    'debug',
    new Writable({
      write(chunk: Buffer, _enc, done) {
        logged += chunk.toString();
        done();
      },
    }),
  );
  const parts = slackWorkerParts(slackConfig, config, logger);
  engine = await startLocalEngine({
    config,
    handlers: { ...createIncidentActivities(), 'github.disableWorkflows': change },
    notifiers: [parts.notifier, recorder],
    resolveGroup: parts.resolveGroup,
    logger,
  });
  app = createSlackApp({
    attestationKey: ATTESTATION.privateKey,
    slack: slackConfig,
    temporal: { client: engine.client, taskQueue: config.temporal.taskQueue },
    logger,
    playbookFile: path.join(dir, 'playbook.yaml'),
    obligations: loadObligationsFile(DEFAULT_OBLIGATIONS_FILE),
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

const approvalMessage = (incidentId: string, stepId: string): Promise<SlackMessage> =>
  eventually(
    async () =>
      sandbox.workspace.messages.find(
        (m) =>
          m.metadata?.event_payload.kind === 'approval' &&
          m.metadata.event_payload.incidentId === incidentId &&
          m.metadata.event_payload.stepId === stepId,
      ),
    20_000,
    `approval message of ${stepId}`,
  );

const ephemeralTo = (user: string, contains: string): Promise<string> =>
  eventually(
    async () => sandbox.workspace.ephemerals.find((e) => e.user === user && e.text.includes(contains))?.text,
    20_000,
    `ephemeral to ${user} containing ${contains}`,
  );

const responseTo = (responseId: string): Promise<string> =>
  eventually(
    async () => sandbox.responses.find((r) => r.id === responseId)?.body.text as string | undefined,
    20_000,
    `response ${responseId}`,
  );

describe('Slack requests that must be refused', () => {
  const declareText = (o: string): string => `declare npm:left-pad@1.3.0 --org ${o} --since 2026-06-17T00:00:00Z`;

  it('refuses a forged signature, a stale timestamp and a malformed payload, with no side effect', async () => {
    const callsBefore = sandbox.calls.length;
    const responsesBefore = sandbox.responses.length;
    const forgedOrg = `forged-${randomUUID().slice(0, 6)}`;
    const body = new URLSearchParams({
      command: '/cordon',
      text: declareText(forgedOrg),
      user_id: 'U0MALLORY',
      channel_id: CHANNEL,
      response_url: sandbox.responseUrl(),
      trigger_id: 't',
      team_id: 'T0CORDON',
    }).toString();

    const forged = await slack.send(body, { signature: `v0=${'0'.repeat(64)}` });
    // Slack's rule: refuse a request whose timestamp is more than five minutes from now (replay protection).
    const stale = await slack.send(body, { timestamp: Date.now() / 1000 - 6 * 60 });
    const malformed = await slack.send('payload=%7Bnot-json');

    expect(forged.status).toBe(401);
    expect(stale.status).toBe(401);
    expect(malformed.status).toBe(400);
    expect(sandbox.calls.slice(callsBefore).filter((c) => c.method !== 'auth.test')).toEqual([]);
    expect(sandbox.responses.length).toBe(responsesBefore);
    const id = incidentIdFor({
      org: forgedOrg,
      packages: [{ ecosystem: 'npm', name: 'left-pad', versions: ['1.3.0'], ranges: [] }],
    });
    await expect(engine.client.workflow.getHandle(id).describe()).rejects.toThrow(/not found/i);
  });

  it('answers bad command input with one precise ephemeral line, and opens the form for a bare declare', async () => {
    const bad = await slack.slash('U0ALICE', `declare npm:left-pad --org ${org}`);
    expect(bad.status).toBe(200);
    expect(JSON.parse(bad.body)).toEqual({
      response_type: 'ephemeral',
      text: expect.stringMatching(/^"npm:left-pad": expected ECOSYSTEM:name@version/),
    });

    const viewsBefore = sandbox.workspace.views.length;
    const bare = await slack.slash('U0ALICE', 'declare');
    expect(bare.status).toBe(200);
    const opened = await eventually(async () => sandbox.workspace.views[viewsBefore], 10_000, 'declare modal');
    expect(opened.view.callback_id).toBe('cordon_declare');
    // A bad field in the form is shown under that field and the form stays open.
    const submitted = await slack.submit('U0ALICE', opened.view, { packages: 'npm:left-pad', org });
    expect(JSON.parse(submitted.body)).toEqual({
      response_action: 'errors',
      errors: { packages: expect.stringContaining('expected ECOSYSTEM:name@version') },
    });
  });
});

describe('declare, approve and reject from Slack on a real Temporal server', () => {
  it('declares from a slash command, refuses unauthorised clicks privately, and applies on an authorised click', async () => {
    const text = `declare npm:@mastra/core@1.42.1 --org ${org} --since 2026-06-17T00:00:00Z --severity critical`;
    const ack = await slack.slash('U0ALICE', text);
    expect(ack.status).toBe(200);
    expect(JSON.parse(ack.body)).toMatchObject({ response_type: 'ephemeral', text: 'Declaring…' });
    const declared = await eventually(
      async () => sandbox.responses.find((r) => String(r.body.text).includes('declared')),
      20_000,
      'declaration response',
    );
    const incidentId = /`(incident-[^`]+)`/.exec(String(declared.body.text))![1]!;
    // Declared from Slack, the incident starts the legal clocks its facts trigger, as `cordon declare` does.
    const clocks = await eventually(
      async () => {
        const started = (await engine.client.workflow.getHandle(incidentId).query(statusQuery)).obligations;
        return started?.length ? started : undefined;
      },
      20_000,
      'the obligation clocks',
    );
    expect(clocks.map((o) => o.id)).toContain('counsel-engaged');

    // Declaring the same advisory for the same org again joins the open incident.
    await slack.slash('U0BOB', text);
    const joined = await eventually(
      async () => sandbox.responses.find((r) => String(r.body.text).includes('joined')),
      20_000,
      'join response',
    );
    expect(String(joined.body.text)).toContain(incidentId);

    const request = await approvalMessage(incidentId, 'disable-workflows');
    expect(buttonsOf(request).map((b) => b.action_id)).toEqual([
      APPROVAL_ACTIONS.approve,
      APPROVAL_ACTIONS.reject,
      APPROVAL_ACTIONS.viewPlan,
    ]);
    const shown = JSON.stringify(request.blocks);
    expect(shown).toContain('<!subteam^S0SEC>'); // the approver group as its Slack user group
    expect(shown).toContain('quorum 1');
    expect(shown).toContain('ci.yml'); // the first planned items

    // Not in the group: refused, to the clicker alone; nothing applied, the request untouched.
    await slack.click('U0MALLORY', request, APPROVAL_ACTIONS.approve);
    expect(await ephemeralTo('U0MALLORY', 'refused')).toContain('NOT_IN_GROUP');
    // The initiator under separation of duties: refused too.
    await slack.click('U0ALICE', request, APPROVAL_ACTIONS.approve);
    expect(await ephemeralTo('U0ALICE', 'refused')).toContain('SEPARATION_OF_DUTIES');
    expect(world.applied).toEqual([]);
    expect(request.edited).toBeUndefined();
    expect((await incidentStatus(engine.client, incidentId)).steps[1]!.status).toBe('awaiting-approval');

    await slack.click('U0BOB', request, APPROVAL_ACTIONS.approve);
    const state = await eventually(
      async () => {
        const s = await incidentStatus(engine.client, incidentId);
        return s.steps[1]!.status === 'succeeded' && s;
      },
      20_000,
      'step applied',
    );
    expect(world.applied.map((a) => a.items)).toEqual([['ci.yml', 'release.yml']]);
    // The Slack user id is the approver identity history records.
    expect(state.steps[1]!.approvals[0]!.votes).toEqual([
      expect.objectContaining({ approver: 'U0BOB', decision: 'approve', channel: 'slack' }),
    ]);
    await eventually(async () => request.edited, 20_000, 'request edited in place');
    expect(buttonsOf(request)).toEqual([]);
    expect(JSON.stringify(request.blocks)).toMatch(/Approved.*<@U0BOB>/);

    // The incident's thread carries the timeline.
    const root = sandbox.workspace.messages.find((m) => m.metadata?.event_payload.key === `root/${incidentId}`)!;
    const thread = sandbox.workspace.messages.filter((m) => m.thread_ts === root.ts).map((m) => m.text);
    expect(thread).toEqual(
      expect.arrayContaining([
        'declare started (incident.declare)',
        'disable-workflows approved by U0BOB',
        'disable-workflows succeeded',
      ]),
    );
    // Each notice posted once, even though notices for one incident arrive concurrently.
    expect(new Set(thread).size).toBe(thread.length);

    // Once the incident closes, its root message says how it ended.
    await eventually(async () => root.edited, 20_000, 'root message edited on close');
    expect(root.text).toMatch(/declared by U0ALICE.*\n:white_check_mark: incident .* completed$/s);

    // `/cordon status INCIDENT` and `/cordon list` answer through the response_url after the ack.
    const status = await slack.slash('U0CAROL', `status ${incidentId}`);
    const statusText = await responseTo(status.responseId);
    expect(statusText).toContain(`\`${incidentId}\``);
    expect(statusText).toContain('`succeeded` disable-workflows');
    // Visibility is eventually consistent: ask again until the list shows the incident.
    await eventually(
      async () => (await responseTo((await slack.slash('U0CAROL', 'list')).responseId)).includes(incidentId),
      20_000,
      'incident in /cordon list',
    );
  });

  it('rejects with a reason asked in a modal, and edits the request to say who and why', async () => {
    const rejectOrg = `${org}-r`;
    await slack.slash('U0ALICE', `declare npm:axios@1.14.1 --org ${rejectOrg} --since 2026-03-31T00:00:00Z`);
    const id = incidentIdFor({
      org: rejectOrg,
      packages: [{ ecosystem: 'npm', name: 'axios', versions: ['1.14.1'], ranges: [] }],
    });
    const request = await approvalMessage(id, 'disable-workflows');
    const viewsBefore = sandbox.workspace.views.length;
    await slack.click('U0BOB', request, APPROVAL_ACTIONS.reject);
    const modal = await eventually(async () => sandbox.workspace.views[viewsBefore], 10_000, 'reason modal');
    expect(modal.view.callback_id).toBe('cordon_reject_reason');
    await slack.submit('U0BOB', modal.view, { reason: 'the workflows are our release path' });
    await eventually(async () => request.edited, 20_000, 'request edited');
    expect(JSON.stringify(request.blocks)).toMatch(/Rejected.*<@U0BOB>.*the workflows are our release path/);
    const s = await incidentStatus(engine.client, id);
    expect(s.steps[1]!.status).toBe('rejected');
    expect(world.applied).toHaveLength(1); // only the first incident's apply
  });
});

// Last in the file (Jest runs a file's tests in order): every request above has been served and logged by now.
describe('credentials', () => {
  it('never logs the bot token or the signing secret, even at debug', () => {
    expect(logged).toContain('"level":20');
    expect(logged).not.toContain(BOT_TOKEN);
    expect(logged).not.toContain(SIGNING_SECRET);
  });
});
