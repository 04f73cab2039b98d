// The SlackNotifier against the sandbox Slack Web API over real HTTP.
import type { ApprovalRequestNotice, TimelineNotice } from '../../../../activities/types';
import { SlackNotifier, SlackUserGroups, slackWebClient } from '../../../../activities/slack';
import { buttonsOf, startSlackSandbox, type SlackSandbox } from '../../../../sandbox/slack';
import { createLogger } from '../../../../config/logger';

const TOKEN = 'xoxb-notifier-test';
const CHANNEL = 'C0INCIDENTS';
let sandbox: SlackSandbox;

beforeAll(async () => {
  sandbox = await startSlackSandbox({
    botToken: TOKEN,
    channels: [CHANNEL],
    userGroups: [
      { id: 'S0SEC', handle: 'security-oncall', users: ['U0BOB', 'U0ALICE'] },
      { id: 'S0CISO', handle: 'ciso', users: ['U0CAROL'] },
    ],
  });
});
afterAll(() => sandbox.stop());

/** A notifier as a fresh worker process would build it (nothing in memory). */
const freshNotifier = (): SlackNotifier => {
  const web = slackWebClient({ botToken: TOKEN, apiUrl: sandbox.apiUrl });
  return new SlackNotifier({
    web,
    channel: CHANNEL,
    userGroups: new SlackUserGroups(web, { 'oncall-security': '@security-oncall', ciso: 'S0CISO' }),
    logger: createLogger('silent'),
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
  firstItems: ['acme/api:.github/workflows/ci.yml', 'acme/web:.github/workflows/release.yml'],
  ...over,
});

const event = (incidentId: string, kind: string, text: string, over: Partial<TimelineNotice> = {}): TimelineNotice => ({
  incidentId,
  at: '2026-06-17T04:00:00.000Z',
  kind,
  text,
  ...over,
});

const messagesOf = (incidentId: string) =>
  sandbox.workspace.messages.filter((m) => m.metadata?.event_payload.incidentId === incidentId);

describe('SlackNotifier', () => {
  it('resolves approver groups from Slack user groups by id, mapped handle or the same handle', async () => {
    const web = slackWebClient({ botToken: TOKEN, apiUrl: sandbox.apiUrl });
    const groups = new SlackUserGroups(web, {
      'oncall-security': '@security-oncall',
      ciso: 'S0CISO',
      ghost: '@nobody',
    });
    expect(await groups.members('oncall-security')).toEqual(['U0ALICE', 'U0BOB']);
    expect(await groups.members('ciso')).toEqual(['U0CAROL']);
    expect(await groups.members('ghost')).toBeUndefined();
    // Unmapped: a user group of the same handle, else nothing (the worker then uses its static groups).
    expect(await groups.members('security-oncall')).toEqual(['U0ALICE', 'U0BOB']);
    expect(await groups.members('counsel')).toBeUndefined();
  });

  it('posts the request with its plan, group, quorum, deadline and irreversible warning', async () => {
    const id = 'incident-acme-blocks';
    await freshNotifier().approvalRequested(request(id));
    const msg = messagesOf(id).find((m) => m.metadata?.event_payload.kind === 'approval')!;
    const text = JSON.stringify(msg.blocks);
    for (const part of [
      'Disable exposed workflows',
      'disable 12 workflows in 7 repos',
      '*12* changes',
      'acme/api:.github/workflows/ci.yml',
      'and 10 more',
      '<!subteam^S0SEC>',
      'quorum 2',
      '<!date^1781672400^',
      'Irreversible',
    ])
      expect(text).toContain(part);
  });

  it('never posts twice for a retried notice, even from a restarted worker', async () => {
    const id = 'incident-acme-retry';
    const first = freshNotifier();
    await first.timeline(event(id, 'declared', `incident ${id} declared by U0ALICE: axios in acme`));
    await first.timeline(event(id, 'step-started', 'declare started', { stepId: 'declare' }));
    await first.approvalRequested(request(id));
    const count = messagesOf(id).length;
    // The same activity retried in this process, then on another worker after a crash.
    await first.timeline(event(id, 'step-started', 'declare started', { stepId: 'declare' }));
    await first.approvalRequested(request(id));
    const restarted = freshNotifier();
    await restarted.timeline(event(id, 'step-started', 'declare started', { stepId: 'declare' }));
    await restarted.approvalRequested(request(id));
    expect(messagesOf(id)).toHaveLength(count);
    expect(messagesOf(id).filter((m) => !m.thread_ts)).toHaveLength(2); // root + request
  });

  it('does not post a second root when an incident moves to another worker that already looked at the channel', async () => {
    const id = 'incident-acme-two-workers';
    const a = freshNotifier();
    const b = freshNotifier();
    await b.timeline(event('incident-acme-other', 'declared', 'another incident on worker B'));
    await a.timeline(event(id, 'declared', `incident ${id} declared`));
    await b.timeline(event(id, 'step-started', 'declare started', { stepId: 'declare' }));
    expect(messagesOf(id).filter((m) => !m.thread_ts)).toHaveLength(1);
    expect(messagesOf(id).filter((m) => m.thread_ts)).toHaveLength(1);
  });

  it('re-posts an escalation to the escalation group, and edits both requests in place once decided', async () => {
    const id = 'incident-acme-escalate';
    const n = freshNotifier();
    await n.approvalRequested(request(id));
    await n.approvalRequested(
      request(id, { escalated: true, group: 'ciso', members: ['U0ALICE', 'U0BOB', 'U0CAROL'] }),
    );
    const requests = messagesOf(id).filter((m) => m.metadata?.event_payload.kind === 'approval');
    expect(requests).toHaveLength(2);
    expect(JSON.stringify(requests[1]!.blocks)).toContain('<!subteam^S0CISO>');
    // A restarted worker still finds both requests to edit.
    await freshNotifier().timeline(
      event(id, 'approved', 'disable-workflows approved by U0CAROL', {
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
      }),
    );
    for (const r of requests) {
      expect(r.edited).toBe(1);
      expect(buttonsOf(r)).toEqual([]);
      expect(JSON.stringify(r.blocks)).toMatch(/Approved.*<@U0CAROL>/);
    }
  });

  it('mentions the owner and escalation group of an obligation reminder, so Slack notifies them', async () => {
    const id = 'incident-acme-reminder';
    await freshNotifier().timeline(
      event(id, 'obligation-overdue', 'insurer-notice is overdue: notify the insurer within 72h', {
        mention: ['ciso', 'legal'],
      }),
    );
    const line = messagesOf(id).find((m) => String(m.text).includes('overdue'))!;
    // A group with a Slack user group is mentioned as one; one without is named, not silently dropped.
    expect(line.text).toBe('<!subteam^S0CISO> `legal` insurer-notice is overdue: notify the insurer within 72h');
  });

  it('marks a request superseded when its plan changed before it was applied', async () => {
    const id = 'incident-acme-superseded';
    const n = freshNotifier();
    await n.approvalRequested(request(id));
    await n.timeline(event(id, 'plan-changed', 'disable-workflows: plan changed', { stepId: 'disable-workflows' }));
    const req = messagesOf(id).find((m) => m.metadata?.event_payload.kind === 'approval')!;
    expect(buttonsOf(req)).toEqual([]);
    expect(JSON.stringify(req.blocks)).toContain('Superseded');
  });
});
