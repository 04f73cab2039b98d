// Slack app benchmarks over real HTTP with Slack's signatures, on a real Temporal dev server: how fast a slash
// command is acknowledged (Slack allows 3 s) against a bare Bolt app that acks and does nothing, and how long from an
// Approve click to the approved step's apply running, against sending the vote update directly.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, HTTPReceiver } from '@slack/bolt';
import { createIncidentActivities } from '../activities/incident';
import type { ActionHandlers } from '../activities/registry';
import { castVote, declareIncident } from '../client/incidents';
import { APPROVAL_ACTIONS } from '../domain/approval-button';
import { SlackDriver, startSlackSandbox, type SlackMessage, type SlackSandbox } from '../sandbox/slack';
import { boltLogger } from '../slack/bolt-logger';
import { createSlackApp } from '../slack/app';
import { startDevServer } from '../devserver/dev-server';
import { startLocalEngine } from '../drill/local-engine';
import { createLogger } from '../config/logger';
import type { SlackConfig } from '../config/slack';
import { slackWorkerParts } from '../worker/slack-wiring';
import { summary } from './stats';

const ACK_RUNS = Number(process.env.BENCH_RUNS ?? 200);
const CLICK_RUNS = Number(process.env.BENCH_SLACK_CLICKS ?? 40);
const BOT_TOKEN = 'xoxb-bench';
const SECRET = 'bench-signing-secret';
const CHANNEL = 'C0BENCH';

const PLAYBOOK = `apiVersion: cordon/v1
kind: Playbook
name: slack-bench
version: 1
phases: [declare, contain]
steps:
  - id: declare
    phase: declare
    action: incident.declare
    mutates: false
    inputs:
      org: \${incident.org}
      packages: \${incident.packages}
      since: \${incident.since}
  - id: disable-workflows
    phase: contain
    action: github.disableWorkflows
    needs: [declare]
    mutates: true
    inputs: { targets: [ci.yml] }
    undo: { action: github.enableWorkflows }
    approval: { group: oncall-security, quorum: 1, timeout: 10m, onExpiry: reject }
`;

async function waitFor<T>(fn: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const requestOf = (sandbox: SlackSandbox, incidentId: string): SlackMessage | undefined =>
  sandbox.workspace.messages.find(
    (m) => m.metadata?.event_payload.kind === 'approval' && m.metadata.event_payload.incidentId === incidentId,
  );

export default async function slackBench(): Promise<Record<string, unknown>> {
  const server = process.env.TEMPORAL_ADDRESS ? undefined : await startDevServer();
  const address = process.env.TEMPORAL_ADDRESS ?? server!.address;
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-slack-bench-'));
  const playbookFile = path.join(dir, 'playbook.yaml');
  writeFileSync(playbookFile, PLAYBOOK);
  const sandbox = await startSlackSandbox({
    botToken: BOT_TOKEN,
    channels: [CHANNEL],
    userGroups: [{ id: 'S0SEC', handle: 'security-oncall', users: ['U0BOB'] }],
  });
  const slack: SlackConfig = {
    mode: 'http',
    botToken: BOT_TOKEN,
    signingSecret: SECRET,
    apiUrl: sandbox.apiUrl,
    incidentChannel: CHANNEL,
    userGroups: { 'oncall-security': 'S0SEC' },
    port: 0,
  };
  const logger = createLogger('silent');
  const taskQueue = `bench-slack-${randomUUID()}`;
  const config = {
    temporal: { address, namespace: 'default', taskQueue },
    approverGroups: {},
    stateDir: dir,
    drillLedger: path.join(dir, 'ledger.jsonl'),
    logLevel: 'silent' as const,
  };
  const applyAt = new Map<string, number>();
  const handlers = {
    ...createIncidentActivities(),
    'github.disableWorkflows': {
      plan: async () => ({ summary: 'disable 1 workflow', items: ['ci.yml'], irreversible: false }),
      apply: async (_plan: unknown, ctx: { incidentId: string }) => {
        applyAt.set(ctx.incidentId, performance.now());
        return { disabled: 1 };
      },
    },
  } satisfies ActionHandlers;
  const parts = slackWorkerParts(slack, config, logger);
  const engine = await startLocalEngine({
    config,
    handlers,
    notifiers: [parts.notifier],
    resolveGroup: parts.resolveGroup,
    logger,
  });
  const app = createSlackApp({ slack, temporal: { client: engine.client, taskQueue }, logger, playbookFile });
  const { port } = await app.start();
  // Baseline: a bare Bolt app on the same receiver that acknowledges the command and does nothing else.
  const bare = new App({
    token: BOT_TOKEN,
    receiver: new HTTPReceiver({ signingSecret: SECRET, processBeforeResponse: false, logger: boltLogger(logger) }),
    logger: boltLogger(logger),
    clientOptions: { slackApiUrl: sandbox.apiUrl },
    deferInitialization: true,
  });
  bare.command('/cordon', async ({ ack }) => ack());
  await bare.init();
  const bareServer = (await bare.start(0)) as { address(): { port: number } };
  const driver = new SlackDriver({
    sandbox,
    appUrl: `http://127.0.0.1:${port}/slack/events`,
    signingSecret: SECRET,
    channel: CHANNEL,
  });
  const bareDriver = new SlackDriver({
    sandbox,
    appUrl: `http://127.0.0.1:${bareServer.address().port}/slack/events`,
    signingSecret: SECRET,
    channel: CHANNEL,
  });
  try {
    const declareText = (org: string): string => `declare npm:axios@1.14.1 --org ${org} --since 2026-03-31T00:00:00Z`;
    // Warm-up: connections, the workflow bundle's cache, Bolt's auth.test.
    for (let i = 0; i < 5; i++) {
      await driver.slash('U0BENCH', 'help');
      await bareDriver.slash('U0BENCH', 'help');
    }

    // Ack latency, interleaved so both see the same load. `declare` acks before it starts the workflow.
    const ackHelp: number[] = [];
    const ackDeclare: number[] = [];
    const ackBare: number[] = [];
    for (let i = 0; i < ACK_RUNS; i++) {
      ackHelp.push((await driver.slash('U0BENCH', 'help')).elapsedMs);
      ackBare.push((await bareDriver.slash('U0BENCH', 'help')).elapsedMs);
      if (i < CLICK_RUNS) ackDeclare.push((await driver.slash('U0BENCH', declareText(`ack-${i}`))).elapsedMs);
    }

    // Click → step resumed (apply running), against the vote update sent directly.
    const clickToApply: number[] = [];
    const clickAck: number[] = [];
    const updateToApply: number[] = [];
    for (let i = 0; i < CLICK_RUNS; i++) {
      for (const via of ['slack', 'update'] as const) {
        const { incidentId } = await declareIncident(engine.client, taskQueue, {
          packages: [{ ecosystem: 'npm', name: 'axios', versions: ['1.14.1'], ranges: [] }],
          org: `click-${via}-${i}-${randomUUID().slice(0, 4)}`,
          since: '2026-03-31T00:00:00Z',
          severity: 'high',
          initiator: 'U0ALICE',
          playbookFile,
        });
        const request = await waitFor(() => requestOf(sandbox, incidentId), 'approval request');
        const t0 = performance.now();
        if (via === 'slack') clickAck.push((await driver.click('U0BOB', request, APPROVAL_ACTIONS.approve)).elapsedMs);
        else
          await castVote(engine.client, incidentId, {
            stepId: 'disable-workflows',
            approver: 'U0BOB',
            decision: 'approve',
            channel: 'api',
            planHash: String(request.metadata!.event_payload.planHash),
          });
        const applied = await waitFor(() => applyAt.get(incidentId), 'apply');
        (via === 'slack' ? clickToApply : updateToApply).push(applied - t0);
      }
    }
    const c = summary(clickToApply);
    const u = summary(updateToApply);
    return {
      ackRuns: ACK_RUNS,
      clickRuns: CLICK_RUNS,
      slashCommandAckMs: {
        help: summary(ackHelp),
        declare: summary(ackDeclare),
        bareBoltAck: summary(ackBare),
        slackLimitMs: 3000,
      },
      clickToStepResumedMs: {
        viaSlackButton: c,
        clickAckMs: summary(clickAck),
        voteUpdateDirect: u,
        slackOverheadP50Ms: Math.round((c.p50 - u.p50) * 10) / 10,
      },
      slackApiCalls: sandbox.calls.length,
    };
  } finally {
    await bare.stop();
    await app.stop();
    await engine.stop();
    await sandbox.stop();
    await server?.stop();
  }
}
