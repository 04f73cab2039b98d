import type { Logger } from 'pino';
import type { IncidentNotifier } from '../activities/engine';
import { startSlackSandbox, type SlackMessage } from '../sandbox/slack';
import type { CordonConfig } from './config';
import { slackWorkerParts } from './slack-wiring';

const DRILL_TOKEN = 'xoxb-cordon-drill-sandbox';
const DRILL_CHANNEL = 'C0DRILLINCIDENTS';

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
  conversation(): { channel: string; messages: DrillSlackMessage[]; apiCalls: number; failedCalls: number };
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
 * Slack conversation a real incident would have had. Approver groups stay the configured static ones.
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
  return {
    notifier: parts.notifier,
    conversation: () => ({
      channel: DRILL_CHANNEL,
      messages: sandbox.workspace.messages.filter((m) => m.channel === DRILL_CHANNEL).map(shown),
      apiCalls: sandbox.calls.length,
      failedCalls: sandbox.calls.filter((c) => !c.ok).length,
    }),
    stop: () => sandbox.stop(),
  };
}
