// The SlackNotifier in channel mode (one Slack channel per incident) against the sandbox Slack Web API over real HTTP.
import type { ApprovalRequestNotice, TimelineNotice } from '../../../../activities/types';
import { SlackNotifier, SlackUserGroups, slackWebClient } from '../../../../activities/slack';
import { incidentChannelName } from '../../../../activities/slack/notifier';
import { buttonsOf, startSlackSandbox, type SlackSandbox } from '../../../../sandbox/slack';
import { createLogger } from '../../../../config/logger';

const TOKEN = 'xoxb-notifier-channel-test';
const MAIN = 'C0INCIDENTS';
// Enough other channels that finding one by name takes more than one conversations.list page (200).
const OTHERS = Array.from({ length: 230 }, (_, i) => `C0OTHER${String(i).padStart(3, '0')}`);
let sandbox: SlackSandbox;

beforeAll(async () => {
  sandbox = await startSlackSandbox({
    botToken: TOKEN,
    channels: [MAIN, ...OTHERS],
    userGroups: [
      { id: 'S0SEC', handle: 'security-oncall', users: ['U0BOB', 'U0ALICE'] },
      { id: 'S0CISO', handle: 'ciso', users: ['U0CAROL'] },
    ],
  });
});
afterAll(() => sandbox.stop());

/** A channel-mode notifier as a fresh worker process would build it (nothing in memory). */
const freshNotifier = (): SlackNotifier => {
  const web = slackWebClient({ botToken: TOKEN, apiUrl: sandbox.apiUrl });
  return new SlackNotifier({
    web,
    channel: MAIN,
    userGroups: new SlackUserGroups(web, { 'oncall-security': '@security-oncall', ciso: 'S0CISO' }),
    logger: createLogger('silent'),
    perIncidentChannel: { prefix: 'inc-' },
  });
};

const request = (incidentId: string, over: Partial<ApprovalRequestNotice> = {}): ApprovalRequestNotice => ({
  incidentId,
  stepId: 'disable-workflows',
  stepName: 'Disable exposed workflows',
  action: 'github.disableWorkflows',
  planHash: 'b'.repeat(64),
  summary: 'disable 12 workflows in 7 repos',
  itemCount: 12,
  irreversible: true,
  group: 'oncall-security',
  members: ['U0ALICE', 'U0BOB'],
  quorum: 2,
  deadline: '2026-06-17T05:00:00.000Z',
  escalated: false,
  ...over,
});

const event = (incidentId: string, kind: string, text: string, over: Partial<TimelineNotice> = {}): TimelineNotice => ({
  incidentId,
  at: '2026-06-17T04:00:00.000Z',
  kind,
  text,
  ...over,
});

const channelsNamed = (name: string) => [...sandbox.workspace.channelInfo.values()].filter((c) => c.name === name);
const channelOf = (incidentId: string) => {
  const found = channelsNamed(`inc-${incidentId}`);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const messagesIn = (channel: string, incidentId: string) =>
  sandbox.workspace.messages.filter(
    (m) => m.channel === channel && m.metadata?.event_payload.incidentId === incidentId,
  );
const kindsIn = (channel: string, incidentId: string) =>
  messagesIn(channel, incidentId).map((m) => m.metadata?.event_payload.kind);

const approved = (over: Partial<TimelineNotice> = {}): TimelineNotice => ({
  incidentId: '',
  at: '2026-06-17T06:00:00.000Z',
  kind: 'approved',
  text: 'disable-workflows approved by U0CAROL',
  stepId: 'disable-workflows',
  approval: {
    round: 1,
    planHash: 'b'.repeat(64),
    decision: 'approved',
    decidedBy: 'U0CAROL',
    decidedAt: '2026-06-17T06:00:00.000Z',
    expired: false,
    votes: [{ approver: 'U0CAROL', decision: 'approve' }],
  },
  ...over,
});

describe('SlackNotifier, one channel per incident', () => {
  it('creates the incident channel, announces it in the incident channel, and posts timeline and requests there', async () => {
    const id = 'incident-acme-channel';
    const n = freshNotifier();
    await n.timeline(event(id, 'declared', `incident ${id} declared by U0ALICE`));
    await n.timeline(event(id, 'step-started', 'declare started', { stepId: 'declare' }));
    await n.approvalRequested(request(id));
    const ch = channelOf(id);
    expect(ch.creator).toBe(sandbox.workspace.botUserId);
    // The approvers resolved for the request were invited.
    expect(ch.members).toEqual(expect.arrayContaining(['U0ALICE', 'U0BOB']));
    // Main channel: one announcement linking the new channel, nothing else.
    const main = messagesIn(MAIN, id);
    expect(main.map((m) => m.metadata?.event_payload.kind)).toEqual(['announce']);
    expect(main[0]!.text).toContain(`<#${ch.id}>`);
    expect(main[0]!.text).toContain('declared by U0ALICE');
    // Incident channel: root, timeline and the request, all top-level.
    expect(kindsIn(ch.id, id)).toEqual(['root', 'timeline', 'approval']);
    expect(messagesIn(ch.id, id).every((m) => !m.thread_ts)).toBe(true);
    expect(buttonsOf(messagesIn(ch.id, id)[2]!).length).toBeGreaterThan(0);
  });

  it('creates exactly one channel per incident across a restart, and posts nothing twice', async () => {
    const id = 'incident-acme-restart';
    const first = freshNotifier();
    await first.timeline(event(id, 'declared', `incident ${id} declared`));
    await first.timeline(event(id, 'step-started', 'declare started', { stepId: 'declare' }));
    await first.approvalRequested(request(id));
    const ch = channelOf(id);
    const before = { main: messagesIn(MAIN, id).length, channel: messagesIn(ch.id, id).length };
    // The same activities retried on a restarted worker, then the incident goes on there.
    const callsBefore = sandbox.calls.length;
    const restarted = freshNotifier();
    await restarted.timeline(event(id, 'step-started', 'declare started', { stepId: 'declare' }));
    await restarted.approvalRequested(request(id));
    expect(channelOf(id).id).toBe(ch.id);
    expect(messagesIn(MAIN, id)).toHaveLength(before.main);
    expect(messagesIn(ch.id, id)).toHaveLength(before.channel);
    const creates = sandbox.calls.filter((c) => c.method === 'conversations.create' && c.args.name === `inc-${id}`);
    expect(creates.map((c) => c.error ?? 'ok')).toEqual(['ok', 'name_taken']);
    // The restarted worker read the incident's own channel, never the busy main channel.
    const read = sandbox.calls.slice(callsBefore).filter((c) => c.method === 'conversations.history');
    expect(read.map((c) => c.args.channel)).toEqual([ch.id]);
    await restarted.timeline(event(id, 'step-completed', 'declare completed', { stepId: 'declare' }));
    expect(kindsIn(ch.id, id)).toEqual(['root', 'timeline', 'approval', 'timeline']);
  });

  it('uses one channel when two workers race to create it (name_taken), finding it past the first list page', async () => {
    const id = 'incident-acme-race';
    const listsBefore = sandbox.calls.filter((c) => c.method === 'conversations.list').length;
    await Promise.all([
      freshNotifier().timeline(event(id, 'declared', `incident ${id} declared`)),
      freshNotifier().timeline(event(id, 'declared', `incident ${id} declared`)),
    ]);
    const ch = channelOf(id);
    const creates = sandbox.calls.filter((c) => c.method === 'conversations.create' && c.args.name === `inc-${id}`);
    expect(creates.map((c) => c.error ?? 'ok').sort()).toEqual(['name_taken', 'ok']);
    // The loser paged through conversations.list (230 other channels) to the winner's channel.
    const lists = sandbox.calls.filter((c) => c.method === 'conversations.list').slice(listsBefore);
    expect(lists.length).toBeGreaterThan(1);
    expect(lists.some((c) => typeof c.args.cursor === 'string')).toBe(true);
    expect(messagesIn(ch.id, id).length).toBeGreaterThan(0);
  });

  it('takes over a channel of the incident name it is not in (another worker created it and crashed) by joining it', async () => {
    const id = 'incident-acme-orphan';
    sandbox.workspace.channelInfo.set('C0ORPHAN', {
      id: 'C0ORPHAN',
      name: `inc-${id}`,
      is_private: false,
      is_archived: false,
      created: 0,
      creator: 'U0ALICE',
      members: ['U0ALICE'],
    });
    sandbox.workspace.channels.add('C0ORPHAN');
    await freshNotifier().approvalRequested(request(id));
    expect(channelOf(id).id).toBe('C0ORPHAN');
    expect(channelOf(id).members).toEqual(expect.arrayContaining(['U0ALICE', 'U0BOB', sandbox.workspace.botUserId]));
    expect(kindsIn('C0ORPHAN', id)).toEqual(['root', 'approval']);
    // Alice was already there: the invite still succeeded for Bob.
    const invite = sandbox.calls.filter((c) => c.method === 'conversations.invite' && c.args.channel === 'C0ORPHAN');
    expect(invite.map((c) => c.ok)).toEqual([true]);
  });

  it('re-posts an escalation in the incident channel, edits requests in place, and marks root and announcement closed', async () => {
    const id = 'incident-acme-close';
    const n = freshNotifier();
    await n.timeline(event(id, 'declared', `incident ${id} declared`));
    await n.approvalRequested(request(id));
    await n.approvalRequested(
      request(id, { escalated: true, group: 'ciso', members: ['U0ALICE', 'U0BOB', 'U0CAROL'] }),
    );
    const ch = channelOf(id);
    expect(ch.members).toContain('U0CAROL');
    const requests = messagesIn(ch.id, id).filter((m) => m.metadata?.event_payload.kind === 'approval');
    expect(requests).toHaveLength(2);
    expect(JSON.stringify(requests[1]!.blocks)).toContain('<!subteam^S0CISO>');
    // A restarted worker finds the requests in the incident channel to edit them.
    const restarted = freshNotifier();
    await restarted.timeline(approved({ incidentId: id }));
    for (const r of requests) {
      expect(r.edited).toBe(1);
      expect(buttonsOf(r)).toEqual([]);
      expect(JSON.stringify(r.blocks)).toMatch(/Approved.*<@U0CAROL>/);
    }
    await restarted.timeline(event(id, 'closed', `incident ${id} completed`));
    const root = messagesIn(ch.id, id).find((m) => m.metadata?.event_payload.kind === 'root')!;
    const announce = messagesIn(MAIN, id).find((m) => m.metadata?.event_payload.kind === 'announce')!;
    for (const m of [root, announce]) expect(m.text).toContain(':white_check_mark:');
    expect(announce.text).toContain(`<#${ch.id}>`);
  });

  it('names channels under Slack rules, never giving two incidents the same channel', async () => {
    expect(incidentChannelName('inc-', 'incident-acme-1')).toBe('inc-incident-acme-1');
    const a = incidentChannelName('inc-', 'Incident_Acme 1');
    const b = incidentChannelName('inc-', 'incident_acme-1');
    expect(a).toMatch(/^inc-incident_acme-1-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    const long = incidentChannelName('inc-', 'x'.repeat(100));
    expect(long).toHaveLength(80);
    expect(long).toMatch(/^[a-z0-9_-]+$/);
    // The sandbox refuses what Slack refuses.
    const web = slackWebClient({ botToken: TOKEN, apiUrl: sandbox.apiUrl });
    await expect(web.conversations.create({ name: 'Inc Bad' })).rejects.toMatchObject({
      data: { error: 'invalid_name_specials' },
    });
    await expect(web.conversations.create({ name: 'x'.repeat(81) })).rejects.toMatchObject({
      data: { error: 'invalid_name_maxlength' },
    });
    // An incident id that needed changing gets the hashed name, and a channel of it.
    const id = 'Incident Acme/2';
    await freshNotifier().timeline(event(id, 'declared', 'declared'));
    expect(channelsNamed(incidentChannelName('inc-', id))).toHaveLength(1);
  });
});
