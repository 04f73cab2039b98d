import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { IncidentNotifier } from '../activities/engine';
import { APPROVAL_ACTIONS } from '../domain/approval-button';
import { SlackDriver, startSlackSandbox, type SlackMessage } from '../sandbox/slack';
import { createSlackApp, type SlackApp } from '../slack/app';
import type { CordonConfig } from '../config/config';
import { slackWorkerParts } from '../worker/slack-wiring';

const DRILL_TOKEN = 'xoxb-cordon-drill-sandbox';
const DRILL_CHANNEL = 'C0DRILLINCIDENTS';
const DRILL_SIGNING_SECRET = 'cordon-drill-signing-secret';

/** One message of the drill's Slack conversation, as a reader of the channel would see it now. */
export interface DrillSlackMessage {
  ts: string;
  /** Set on timeline replies: the incident's root message they thread under. */
  thread?: string;
  kind: string;
  text: string;
  /** Approval requests: what the message says now (decided ones say who decided and when). */
  shows?: string[];
  buttons?: string[];
  edited?: number;
}

/** The Slack side of a drill: a notifier posting to a sandbox workspace, and the conversation it recorded. */
export interface SlackDrill {
  notifier: IncidentNotifier;
  /** Starts the Bolt app on loopback against the sandbox, so approvals can be clicked through it. */
  /** Starts the Bolt app; with `attestationKey` (private, base64) its button votes carry the app's attestation. */
  startApp(client: Client, taskQueue: string, attestationKey?: string): Promise<void>;
  /**
   * Clicks Approve on a step's request as `approver`, as Slack would send the click (signed `block_actions`), and
   * waits for the app's ephemeral answer. @throws Error with the app's answer when the vote was refused.
   */
  approve(approver: string, incidentId: string, stepId: string, planHash: string): Promise<void>;
  conversation(): {
    channel: string;
    messages: DrillSlackMessage[];
    /** What the app told clickers privately (vote recorded, or refused and why). */
    ephemerals: { user: string; text: string }[];
    apiCalls: number;
    failedCalls: number;
  };
  stop(): Promise<void>;
}

const textsOf = (blocks: unknown[] | undefined): string[] =>
  (blocks ?? []).flatMap((b) => {
    const block = b as { text?: { text?: string }; elements?: { text?: string | { text?: string } }[] };
    if (block.text?.text) return [block.text.text];
    return (block.elements ?? [])
      .map((e) => (typeof e.text === 'string' ? e.text : (e.text?.text ?? '')))
      .filter(Boolean);
  });

function shown(m: SlackMessage): DrillSlackMessage {
  const kind = String(m.metadata?.event_payload.kind ?? 'message');
  const buttons = textsOf((m.blocks ?? []).filter((b) => (b as { type?: string }).type === 'actions'));
  return {
    ts: m.ts,
    ...(m.thread_ts ? { thread: m.thread_ts } : {}),
    kind,
    text: m.text,
    ...(kind === 'approval'
      ? { shows: textsOf((m.blocks ?? []).filter((b) => (b as { type?: string }).type !== 'actions')), buttons }
      : {}),
    ...(m.edited ? { edited: m.edited } : {}),
  };
}

/**
 * Starts a sandbox Slack workspace and the worker's Slack notifier pointed at it, so a drill (the demo) has the
 * Slack conversation a real incident would have had, and the drill on-call can approve by clicking through the Bolt
 * app. Approver groups stay the configured static ones (the drill's identities act as Slack user ids).
 */
export async function startSlackDrill(config: CordonConfig, logger: Logger): Promise<SlackDrill> {
  const sandbox = await startSlackSandbox({ botToken: DRILL_TOKEN, channels: [DRILL_CHANNEL], userGroups: [] });
  const parts = slackWorkerParts(
    {
      mode: 'http',
      botToken: DRILL_TOKEN,
      apiUrl: sandbox.apiUrl,
      incidentChannel: DRILL_CHANNEL,
      userGroups: {},
      port: 0,
    },
    config,
    logger,
  );
  let app: SlackApp | undefined;
  let driver: SlackDriver | undefined;
  const wait = async <T>(fn: () => T | undefined, what: string): Promise<T> => {
    for (let i = 0; i < 300; i++) {
      const v = fn();
      if (v !== undefined) return v;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`slack drill: timed out waiting for ${what}`);
  };
  return {
    notifier: parts.notifier,
    async startApp(client, taskQueue, attestationKey) {
      app = createSlackApp({
        ...(attestationKey ? { attestationKey } : {}),
        slack: {
          mode: 'http',
          botToken: DRILL_TOKEN,
          signingSecret: DRILL_SIGNING_SECRET,
          apiUrl: sandbox.apiUrl,
          incidentChannel: DRILL_CHANNEL,
          userGroups: {},
          port: 0,
        },
        temporal: { client, taskQueue },
        logger,
        drill: true,
      });
      const { port } = await app.start();
      driver = new SlackDriver({
        sandbox,
        appUrl: `http://127.0.0.1:${port}/slack/events`,
        signingSecret: DRILL_SIGNING_SECRET,
        channel: DRILL_CHANNEL,
      });
    },
    async approve(approver, incidentId, stepId, planHash) {
      if (!driver) throw new Error('slack drill: startApp first');
      // The workflow shows the step awaiting approval a moment before the request is posted.
      const request = await wait(
        () =>
          sandbox.workspace.messages.findLast((m) => {
            const p = m.metadata?.event_payload;
            return (
              p?.kind === 'approval' && p.incidentId === incidentId && p.stepId === stepId && p.planHash === planHash
            );
          }),
        `approval request of ${stepId}`,
      );
      const before = sandbox.workspace.ephemerals.length;
      await driver.click(approver, request, APPROVAL_ACTIONS.approve);
      const answer = await wait(
        () => sandbox.workspace.ephemerals.slice(before).find((e) => e.user === approver),
        `the app's answer to ${approver}`,
      );
      if (answer.text.includes('refused')) throw new Error(answer.text);
    },
    conversation: () => ({
      channel: DRILL_CHANNEL,
      messages: sandbox.workspace.messages.filter((m) => m.channel === DRILL_CHANNEL).map(shown),
      ephemerals: sandbox.workspace.ephemerals.map((e) => ({ user: e.user, text: e.text })),
      apiCalls: sandbox.calls.length,
      failedCalls: sandbox.calls.filter((c) => !c.ok).length,
    }),
    async stop() {
      await app?.stop();
      await sandbox.stop();
    },
  };
}
