import { createHash } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { IncidentNotifier } from '../engine';
import type { ApprovalRequestNotice, TimelineNotice } from '../types';
import {
  approvalBlocks,
  approvalText,
  decidedBlocks,
  escapeMrkdwn,
  groupMention,
  supersededBlocks,
  type Block,
} from './blocks';
import type { SlackUserGroups } from './user-groups';

/** Slack message metadata event type of every message cordon posts; its payload carries the idempotency key. */
export const METADATA_EVENT = 'cordon_notice';

/** What the notifier needs: a Web API client with the bot token, the incident channel, user groups. */
export interface SlackNotifierDeps {
  web: webApi.WebClient;
  /** Thread mode: where each incident's root and thread go. Channel mode: where each incident's channel is announced. */
  channel: string;
  userGroups: SlackUserGroups;
  logger: Logger;
  /** Set for channel mode: each incident gets its own channel named `<prefix><incident id>`. */
  perIncidentChannel?: { prefix: string };
}

interface Posted {
  channel: string;
  ts: string;
  payload: Record<string, unknown>;
}

/** Where an incident's messages go: a thread of the incident channel, or top level in the incident's own channel. */
interface Place {
  channel: string;
  threadTs?: string;
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
  /** Channel mode: each incident's own channel id, once created or found. */
  private readonly incidentChannels = new Map<string, string>();
  /** Channel mode: users this process invited (or found already in) each incident channel. */
  private readonly invited = new Map<string, Set<string>>();

  constructor(private readonly deps: SlackNotifierDeps) {}

  async approvalRequested(n: ApprovalRequestNotice): Promise<void> {
    await this.serial(n.incidentId, async () => {
      const root = await this.root(n.incidentId, `Incident \`${escapeMrkdwn(n.incidentId)}\``);
      // The approvers must be able to see the request in the incident's own channel.
      if (!root.threadTs) await this.invite(root.channel, n.members);
      const key = approvalKey(n.incidentId, n.stepId, n.planHash, n.escalated);
      if (await this.find(key, root.channel)) return;
      const groupId = await this.deps.userGroups.idOf(n.group);
      await this.post(
        root.channel,
        key,
        { text: approvalText(n), blocks: approvalBlocks(n, groupId) },
        approvalPayload(n),
      );
      // Channel mode: the request itself is the channel's timeline entry.
      if (!root.threadTs) return;
      await this.reply(
        n.incidentId,
        root,
        `${key}/thread`,
        `${n.escalated ? 'Escalated to' : 'Approval requested from'} ${groupMention(n.group, groupId)}: *${escapeMrkdwn(n.stepId)}* — ${escapeMrkdwn(n.summary)}`,
      );
    });
  }

  async timeline(n: TimelineNotice): Promise<void> {
    await this.serial(n.incidentId, async () => {
      // The workflow's text carries titles, package names, orgs and reasons as typed: inert before it reaches Slack.
      const text = escapeMrkdwn(n.text);
      const declared =
        n.kind === 'declared' ? `:rotating_light: ${text}` : `Incident \`${escapeMrkdwn(n.incidentId)}\``;
      const root = await this.root(n.incidentId, declared);
      if (n.kind !== 'declared') {
        // An obligation's reminder or escalation names its owner and escalation group: Slack notifies them.
        const mentions = await Promise.all(
          (n.mention ?? []).map(async (g) => groupMention(g, await this.deps.userGroups.idOf(g))),
        );
        await this.reply(
          n.incidentId,
          root,
          `timeline/${n.incidentId}/${n.kind}/${n.stepId ?? ''}/${n.at}`,
          mentions.length > 0 ? `${mentions.join(' ')} ${text}` : text,
        );
      }
      if (n.stepId && n.approval && DECIDED.has(n.kind)) {
        for (const escalated of [false, true]) {
          const req = await this.find(
            approvalKey(n.incidentId, n.stepId, n.approval.planHash, escalated),
            root.channel,
          );
          if (req) await this.update(req, decidedBlocks(noticeOf(req.payload), n.approval), text);
        }
      }
      if (n.kind === 'closed') {
        // The root message says how the incident ended, so the channel reads right without opening the thread.
        const r = this.posted.get(`root/${n.incidentId}`);
        if (r) await this.update(r, undefined, `${String(r.payload.title)}\n${closedIcon(n.text)} ${text}`);
        // Channel mode: the announcement in the incident channel says it too (the root knows where it is).
        const a = r?.payload.announce as { channel: string; ts: string; title: string } | undefined;
        if (a) await this.update({ ...a, payload: {} }, undefined, `${a.title}\n${closedIcon(n.text)} ${text}`);
      }
      if (n.stepId && n.kind === 'plan-changed') {
        // The request being applied was superseded by a new plan: its buttons would vote on a stale hash.
        const approvals = [...this.posted.values()].filter(
          (p) =>
            p.payload.kind === 'approval' && p.payload.incidentId === n.incidentId && p.payload.stepId === n.stepId,
        );
        for (const p of approvals) await this.update(p, supersededBlocks(noticeOf(p.payload)), text);
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

  private async root(incidentId: string, text: string): Promise<Place> {
    const key = `root/${incidentId}`;
    if (this.deps.perIncidentChannel) {
      const channel = await this.incidentChannel(incidentId);
      // The channel's history was loaded when it was found, so memory knows whether its root was posted.
      if (this.posted.has(key)) return { channel };
      // Announced first, its ts kept in the root: once the root exists, nobody searches the busy incident channel.
      const title = `${text} — <#${channel}>`;
      const announce =
        (await this.find(`announce/${incidentId}`, this.deps.channel)) ??
        (await this.post(
          this.deps.channel,
          `announce/${incidentId}`,
          { text: title },
          { kind: 'announce', incidentId, title },
        ));
      await this.post(
        channel,
        key,
        { text },
        { kind: 'root', incidentId, title: text, announce: { channel: announce.channel, ts: announce.ts, title } },
      );
      return { channel };
    }
    const found = await this.find(key, this.deps.channel);
    if (found) {
      await this.loadThread(incidentId, found.ts);
      return { channel: this.deps.channel, threadTs: found.ts };
    }
    const posted = await this.post(this.deps.channel, key, { text }, { kind: 'root', incidentId, title: text });
    // Nothing else can be in a thread this process just started.
    this.threadsLoaded.add(incidentId);
    return { channel: this.deps.channel, threadTs: posted.ts };
  }

  /**
   * Channel mode: the incident's own channel. Created once; when its name is taken (another worker or an earlier
   * attempt created it) it is found by name and its history loaded, so nothing already posted there is posted again.
   */
  private async incidentChannel(incidentId: string): Promise<string> {
    const known = this.incidentChannels.get(incidentId);
    if (known) return known;
    const name = incidentChannelName(this.deps.perIncidentChannel!.prefix, incidentId);
    let id: string | undefined;
    try {
      const res = await this.deps.web.conversations.create({ name });
      id = res.channel?.id;
      // A channel this process just created holds nothing yet.
      this.threadsLoaded.add(incidentId);
    } catch (err) {
      if (slackError(err) !== 'name_taken') throw err;
      id = await this.findChannel(name);
    }
    if (!id) throw new Error(`Slack channel #${name} for incident ${incidentId}: created but not returned`);
    this.incidentChannels.set(incidentId, id);
    if (!this.threadsLoaded.has(incidentId)) {
      this.threadsLoaded.add(incidentId);
      const res = await this.deps.web.conversations.history({
        channel: id,
        limit: HISTORY_LOOKBACK,
        include_all_metadata: true,
      });
      for (const m of res.messages ?? []) this.remember(m, id);
    }
    return id;
  }

  /** A channel's id by name, through every page of conversations.list (archived ones included: they hold the name). */
  private async findChannel(name: string): Promise<string> {
    let cursor: string | undefined;
    do {
      const res = await this.deps.web.conversations.list({
        types: 'public_channel,private_channel',
        exclude_archived: false,
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      const c = (res.channels ?? []).find((x) => x.name === name);
      if (c?.is_archived)
        throw new Error(`Slack channel #${name} is archived: unarchive or rename it for the incident to continue`);
      if (c?.id) {
        if (c.is_member === false) await this.deps.web.conversations.join({ channel: c.id });
        return c.id;
      }
      cursor = res.response_metadata?.next_cursor || undefined;
    } while (cursor);
    // name_taken for a channel the bot cannot list (private, bot not a member): only a human can sort that out.
    throw new Error(`Slack channel #${name} exists but the bot cannot see it: invite the bot or remove the channel`);
  }

  /** Channel mode: invites approvers (Slack user ids) not yet in the incident channel; a failure only warns. */
  private async invite(channel: string, members: string[]): Promise<void> {
    const done = this.invited.get(channel) ?? new Set<string>();
    this.invited.set(channel, done);
    const users = members.filter((u) => /^[UW][A-Z0-9]+$/.test(u) && !done.has(u));
    if (users.length === 0) return;
    try {
      await this.deps.web.conversations.invite({ channel, users: users.join(','), force: true });
    } catch (err) {
      // Everyone already there is success; anything else must not keep the request from being posted.
      if (slackError(err) !== 'already_in_channel')
        this.deps.logger.warn({ channel, users, error: slackError(err) ?? String(err) }, 'slack invite failed');
    }
    for (const u of users) done.add(u);
  }

  private async reply(incidentId: string, root: Place, key: string, text: string): Promise<void> {
    if (this.posted.has(key)) return;
    await this.post(
      root.channel,
      key,
      { text, ...(root.threadTs ? { thread_ts: root.threadTs } : {}) },
      { kind: 'timeline', incidentId },
    );
  }

  private async post(
    channel: string,
    key: string,
    message: { text: string; blocks?: Block[]; thread_ts?: string },
    payload: Record<string, unknown>,
  ): Promise<Posted> {
    const full = { ...payload, key };
    const res = await this.deps.web.chat.postMessage({
      channel,
      ...message,
      metadata: { event_type: METADATA_EVENT, event_payload: full },
    } as Parameters<webApi.WebClient['chat']['postMessage']>[0]);
    const posted = { channel, ts: res.ts!, payload: full };
    this.posted.set(key, posted);
    return posted;
  }

  private async update(p: Posted, blocks: Block[] | undefined, text: string): Promise<void> {
    await this.deps.web.chat.update({
      channel: p.channel,
      ts: p.ts,
      text,
      ...(blocks ? { blocks } : {}),
    } as Parameters<webApi.WebClient['chat']['update']>[0]);
  }

  /** A message posted under `key`: from memory, else (once per key) from `channel`'s recent history. */
  private async find(key: string, channel: string): Promise<Posted | undefined> {
    const known = this.posted.get(key);
    // Another worker may have posted it (workers share incidents): look in Slack once per key, not once per process.
    if (known || this.searched.has(key)) return known;
    this.searched.add(key);
    const res = await this.deps.web.conversations.history({
      channel,
      limit: HISTORY_LOOKBACK,
      include_all_metadata: true,
    });
    for (const m of res.messages ?? []) this.remember(m, channel);
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
    for (const m of res.messages ?? []) this.remember(m, this.deps.channel);
  }

  private remember(
    m: { ts?: string; metadata?: { event_type?: string; event_payload?: unknown } },
    channel: string,
  ): void {
    const payload = m.metadata?.event_payload as Record<string, unknown> | undefined;
    if (m.ts && m.metadata?.event_type === METADATA_EVENT && typeof payload?.key === 'string')
      this.posted.set(payload.key, { channel, ts: m.ts, payload });
  }
}

/**
 * The incident's channel name under Slack's rules (lowercase `[a-z0-9_-]`, at most 80 characters). When the id had to
 * be changed to fit, a hash of the id is appended, so two incidents never share a channel.
 */
export function incidentChannelName(prefix: string, incidentId: string): string {
  const raw = `${prefix}${incidentId}`;
  const slug = raw.toLowerCase().replace(/[^a-z0-9_-]/g, '-');
  if (slug === raw && slug.length <= 80) return slug;
  const hash = createHash('sha256').update(incidentId).digest('hex').slice(0, 8);
  return `${slug.slice(0, 80 - hash.length - 1)}-${hash}`;
}

/** The Slack error code of a failed Web API call (`name_taken`…), if it is one. */
function slackError(err: unknown): string | undefined {
  const data = (err as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
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
