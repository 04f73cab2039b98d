// Nothing user-supplied pings a channel or renders a link: every field of a notice and of an approval request reaches
// the sandbox Slack Web API with `&`, `<` and `>` escaped, as Slack asks
// (https://api.slack.com/reference/surfaces/formatting#escaping).
import type { ApprovalRequestNotice, TimelineNotice } from '../../../../activities/types';
import {
  SlackNotifier,
  SlackUserGroups,
  escapeMrkdwn,
  planModal,
  slackPacketPoster,
  slackWebClient,
} from '../../../../activities/slack';
import { startSlackSandbox, type SlackSandbox } from '../../../../sandbox/slack';
import { createLogger } from '../../../../config/logger';

const TOKEN = 'xoxb-escaping-test';
const CHANNEL = 'C0INCIDENTS';
let sandbox: SlackSandbox;

beforeAll(async () => {
  sandbox = await startSlackSandbox({
    botToken: TOKEN,
    channels: [CHANNEL, 'C0COUNSEL'],
    userGroups: [{ id: 'S0SEC', handle: 'security-oncall', users: ['U0BOB', 'U0ALICE'] }],
  });
});
afterAll(() => sandbox.stop());

const notifier = (): SlackNotifier => {
  const web = slackWebClient({ botToken: TOKEN, apiUrl: sandbox.apiUrl });
  return new SlackNotifier({
    web,
    channel: CHANNEL,
    userGroups: new SlackUserGroups(web, { 'oncall-security': '@security-oncall' }),
    logger: createLogger('silent'),
  });
};

// What an attacker controls: a package name, the org, a title, a reason, a note, plan items, a step name.
const PKG = '<!channel>';
const ORG = 'acme <!here>';
const TITLE = 'axios & friends <!everyone>';
const REASON = 'see <https://evil.example/approve|Approve>';
const NOTE = 'skipped: <@U0CEO> said so';
const ITEM = '<https://evil.example/approve|Approve> pin axios';
/** Control sequences that must never reach Slack unescaped. */
const FORBIDDEN = ['<!channel>', '<!here>', '<!everyone>', '<https://evil', '<@U0CEO>'];

const request = (incidentId: string, over: Partial<ApprovalRequestNotice> = {}): ApprovalRequestNotice => ({
  incidentId,
  stepId: 'pin',
  stepName: `Pin ${PKG}`,
  action: 'github.openPinPullRequests',
  planHash: 'c'.repeat(64),
  summary: `pin npm:${PKG} in ${ORG}`,
  itemCount: 3,
  irreversible: false,
  group: 'oncall-security',
  members: ['U0ALICE', 'U0BOB'],
  quorum: 1,
  deadline: '2026-06-17T05:00:00.000Z',
  escalated: false,
  firstItems: [ITEM, { repo: `${ORG}/api`, package: PKG }],
  ...over,
});

const event = (incidentId: string, kind: string, text: string, over: Partial<TimelineNotice> = {}): TimelineNotice => ({
  incidentId,
  at: '2026-06-17T04:00:00.000Z',
  kind,
  text,
  ...over,
});

const posted = (incidentId: string): string =>
  JSON.stringify(
    sandbox.workspace.messages
      .filter((m) => m.metadata?.event_payload.incidentId === incidentId)
      .map((m) => ({ text: m.text, blocks: m.blocks })),
  );

describe('escapeMrkdwn', () => {
  it('replaces &, < and > only, & first so nothing is escaped twice', () => {
    expect(escapeMrkdwn('a & <!channel> > *b* _c_ `d` &amp;')).toBe(
      'a &amp; &lt;!channel&gt; &gt; *b* _c_ `d` &amp;amp;',
    );
  });
});

describe('SlackNotifier escaping', () => {
  it('posts every user-supplied field of notices and approval requests escaped', async () => {
    const id = 'incident-acme-escape';
    const n = notifier();
    await n.timeline(event(id, 'declared', `incident ${id} declared by U0ALICE: ${TITLE} (npm:${PKG}, org ${ORG})`));
    await n.approvalRequested(request(id));
    await n.approvalRequested(request(id, { escalated: true, group: `ciso ${PKG}` }));
    await n.timeline(event(id, 'step-skipped', `pin ${NOTE}`, { stepId: 'pin' }));
    await n.timeline(
      event(id, 'rejected', `pin rejected by U0BOB: ${REASON}`, {
        stepId: 'pin',
        approval: {
          round: 1,
          planHash: 'c'.repeat(64),
          decision: 'rejected',
          decidedBy: 'U0BOB',
          decidedAt: '2026-06-17T04:30:00.000Z',
          expired: false,
          votes: [{ approver: 'U0BOB', decision: 'reject', reason: REASON }],
        },
      }),
    );
    await n.timeline(event(id, 'closed', `incident ${id} stood-down`));
    const all = posted(id);
    for (const bad of FORBIDDEN) expect(all).not.toContain(bad);
    for (const shown of ['&lt;!channel&gt;', '&lt;!here&gt;', '&lt;!everyone&gt;', 'axios &amp; friends'])
      expect(all).toContain(shown);
    expect(all).toContain('&lt;https://evil.example/approve|Approve&gt;');
    expect(all).toContain('&lt;@U0CEO&gt;');
    // cordon's own control sequences still work: the group mention and the localised date.
    expect(all).toContain('<!subteam^S0SEC>');
    expect(all).toContain('<!date^');
    // The request edited in place on rejection shows the reason escaped, and the decider still as a mention.
    const req = sandbox.workspace.messages.find(
      (m) => m.metadata?.event_payload.incidentId === id && m.metadata.event_payload.kind === 'approval',
    )!;
    expect(req.edited).toBe(1);
    expect(JSON.stringify(req.blocks)).toContain('<@U0BOB>');
    expect(JSON.stringify(req.blocks)).toContain('&lt;https://evil.example/approve|Approve&gt;');
  });

  it('escapes the full plan modal and notification packets too', async () => {
    const modal = JSON.stringify(planModal('plan', `pin ${PKG}`, [ITEM, { org: ORG }]));
    for (const bad of FORBIDDEN) expect(modal).not.toContain(bad);
    expect(modal).toContain('&lt;!channel&gt;');
    const web = slackWebClient({ botToken: TOKEN, apiUrl: sandbox.apiUrl });
    await slackPacketPoster(web).post({
      channel: 'C0COUNSEL',
      text: `# Notice\n${TITLE} in ${ORG}`,
      key: 'esc/packet',
    });
    const packet = sandbox.workspace.messages.find((m) => m.metadata?.event_payload.key === 'esc/packet')!;
    expect(packet.text).toBe('# Notice\naxios &amp; friends &lt;!everyone&gt; in acme &lt;!here&gt;');
  });
});
