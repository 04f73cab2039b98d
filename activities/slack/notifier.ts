import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { IncidentNotifier } from '../engine';
import type { ApprovalRequestNotice, TimelineNotice } from '../types';
import { approvalBlocks, approvalText, decidedBlocks, groupMention, supersededBlocks, type Block } from './blocks';
import type { SlackUserGroups } from './user-groups';

/** Slack message metadata event type of every message cordon posts; its payload carries the idempotency key. */
export const METADATA_EVENT = 'cordon_notice';

/** What the notifier needs: a Web API client with the bot token, the incident channel, user groups. */
export interface SlackNotifierDeps {
  web: webApi.WebClient;
  channel: string;
  userGroups: SlackUserGroups;
  logger: Logger;
}

interface Posted {
  ts: string;
  payload: Record<string, unknown>;
}

const DECIDED = new Set(['approved', 'rejected', 'expired']);
// How far back a worker looks for messages it or another worker posted (top-level messages: roots and requests).
const HISTORY_LOOKBACK = 200;

/**
 * Posts each incident's root message, threads its timeline under it, posts approval requests with buttons and edits
 * them in place once decided. Idempotent: every message carries its key in Slack message metadata, and a key is
 * looked up (in memory, else in the channel's recent history) before posting, so a retried activity — even on another
 * worker after a crash — never posts twice.
 */
export class SlackNotifier implements IncidentNotifier {
  private readonly posted = new Map<string, Posted>();
  /** Incidents whose thread replies were loaded from Slack (roots found there rather than posted by this process). */
  private readonly threadsLoaded = new Set<string>();
  /** Keys already looked up in Slack and not found there: this process posts them itself. */
  private readonly searched = new Set<string>();
  /** One chain per incident: concurrent steps must not race to create the root message. */
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: SlackNotifierDeps) {}

  async approvalRequested(n: ApprovalRequestNotice): Promise<void> {
    await this.serial(n.incidentId, async () => {
      const root = await this.root(n.incidentId, `Incident \`${n.incidentId}\``);
      const key = approvalKey(n.incidentId, n.stepId, n.planHash, n.escalated);
      if (await this.find(key)) return;
      const groupId = await this.deps.userGroups.idOf(n.group);
      await this.post(key, { text: approvalText(n), blocks: approvalBlocks(n, groupId) }, approvalPayload(n));
      await this.reply(
        n.incidentId,
        root,
        `${key}/thread`,
        `${n.escalated ? 'Escalated to' : 'Approval requested from'} ${groupMention(n.group, groupId)}: *${n.stepId}* — ${n.summary}`,
      );
    });
  }

  async timeline(n: TimelineNotice): Promise<void> {
    await this.serial(n.incidentId, async () => {
      const declared = n.kind === 'declared' ? `:rotating_light: ${n.text}` : `Incident \`${n.incidentId}\``;
      const root = await this.root(n.incidentId, declared);
      if (n.kind !== 'declared')
        await this.reply(n.incidentId, root, `timeline/${n.incidentId}/${n.kind}/${n.stepId ?? ''}/${n.at}`, n.text);
      if (n.stepId && n.approval && DECIDED.has(n.kind)) {
        for (const escalated of [false, true]) {
          const req = await this.find(approvalKey(n.incidentId, n.stepId, n.approval.planHash, escalated));
          if (req) await this.update(req, decidedBlocks(noticeOf(req.payload), n.approval), n.text);
        }
      }
      if (n.kind === 'closed') {
        // The root message says how the incident ended, so the channel reads right without opening the thread.
        const r = this.posted.get(`root/${n.incidentId}`);
        if (r) await this.update(r, undefined, `${String(r.payload.title)}\n${closedIcon(n.text)} ${n.text}`);
      }
      if (n.stepId && n.kind === 'plan-changed') {
        // The request being applied was superseded by a new plan: its buttons would vote on a stale hash.
        const approvals = [...this.posted.values()].filter(
          (p) =>
            p.payload.kind === 'approval' && p.payload.incidentId === n.incidentId && p.payload.stepId === n.stepId,
        );
        for (const p of approvals) await this.update(p, supersededBlocks(noticeOf(p.payload)), n.text);
      }
    });
  }

  private serial<T>(incidentId: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(incidentId) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    this.chains.set(
      incidentId,
      next.catch(() => undefined),
    );
    return next;
  }

  private async root(incidentId: string, text: string): Promise<string> {
    const key = `root/${incidentId}`;
    const found = await this.find(key);
    if (found) {
      await this.loadThread(incidentId, found.ts);
      return found.ts;
    }
    const posted = await this.post(key, { text }, { kind: 'root', incidentId, title: text });
    // Nothing else can be in a thread this process just started.
    this.threadsLoaded.add(incidentId);
    return posted.ts;
  }

  private async reply(incidentId: string, rootTs: string, key: string, text: string): Promise<void> {
    if (this.posted.has(key)) return;
    await this.post(key, { text, thread_ts: rootTs }, { kind: 'timeline', incidentId });
  }

  private async post(
    key: string,
    message: { text: string; blocks?: Block[]; thread_ts?: string },
    payload: Record<string, unknown>,
  ): Promise<Posted> {
    const full = { ...payload, key };
    const res = await this.deps.web.chat.postMessage({
      channel: this.deps.channel,
      ...message,
      metadata: { event_type: METADATA_EVENT, event_payload: full },
    } as Parameters<webApi.WebClient['chat']['postMessage']>[0]);
    const posted = { ts: res.ts!, payload: full };
    this.posted.set(key, posted);
    return posted;
  }

  private async update(p: Posted, blocks: Block[] | undefined, text: string): Promise<void> {
    await this.deps.web.chat.update({
      channel: this.deps.channel,
      ts: p.ts,
      text,
      ...(blocks ? { blocks } : {}),
    } as Parameters<webApi.WebClient['chat']['update']>[0]);
  }

  /** A message posted under `key`: from memory, else (once per key) from the channel's recent history. */
  private async find(key: string): Promise<Posted | undefined> {
    const known = this.posted.get(key);
    // Another worker may have posted it (workers share incidents): look in Slack once per key, not once per process.
    if (known || this.searched.has(key)) return known;
    this.searched.add(key);
    const res = await this.deps.web.conversations.history({
      channel: this.deps.channel,
      limit: HISTORY_LOOKBACK,
      include_all_metadata: true,
    });
    for (const m of res.messages ?? []) this.remember(m);
    return this.posted.get(key);
  }

  /** After a restart, the keys already posted in an incident's thread. */
  private async loadThread(incidentId: string, rootTs: string): Promise<void> {
    if (this.threadsLoaded.has(incidentId)) return;
    this.threadsLoaded.add(incidentId);
    const res = await this.deps.web.conversations.replies({
      channel: this.deps.channel,
      ts: rootTs,
      include_all_metadata: true,
    } as Parameters<webApi.WebClient['conversations']['replies']>[0]);
    for (const m of res.messages ?? []) this.remember(m);
  }

  private remember(m: { ts?: string; metadata?: { event_type?: string; event_payload?: unknown } }): void {
    const payload = m.metadata?.event_payload as Record<string, unknown> | undefined;
    if (m.ts && m.metadata?.event_type === METADATA_EVENT && typeof payload?.key === 'string')
      this.posted.set(payload.key, { ts: m.ts, payload });
  }
}

const closedIcon = (text: string): string =>
  text.endsWith('completed')
    ? ':white_check_mark:'
    : text.endsWith('stood-down')
      ? ':leftwards_arrow_with_hook:'
      : ':x:';

function approvalKey(incidentId: string, stepId: string, planHash: string, escalated: boolean): string {
  return `approval/${incidentId}/${stepId}/${planHash}/${escalated ? 'escalation' : 'request'}`;
}

// The request's own facts travel in its metadata, so a restarted worker can still edit it when it is decided.
function approvalPayload(n: ApprovalRequestNotice): Record<string, unknown> {
  return {
    kind: 'approval',
    incidentId: n.incidentId,
    stepId: n.stepId,
    stepName: n.stepName,
    action: n.action,
    planHash: n.planHash,
    summary: n.summary,
    itemCount: n.itemCount,
  };
}

function noticeOf(p: Record<string, unknown>): ApprovalRequestNotice {
  return {
    incidentId: String(p.incidentId),
    stepId: String(p.stepId),
    stepName: String(p.stepName),
    action: String(p.action),
    planHash: String(p.planHash),
    summary: String(p.summary),
    itemCount: Number(p.itemCount),
    irreversible: false,
    group: '',
    members: [],
    quorum: 0,
    deadline: '',
    escalated: false,
  };
}
