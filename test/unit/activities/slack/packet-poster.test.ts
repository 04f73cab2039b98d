// notify.sendPackets' Slack delivery against the sandbox Slack Web API over real HTTP.
import { slackPacketPoster, slackWebClient } from '../../../../activities/slack';
import { startSlackSandbox, type SlackSandbox } from '../../../../sandbox/slack';

const TOKEN = 'xoxb-packets';
let sandbox: SlackSandbox;

beforeAll(async () => {
  sandbox = await startSlackSandbox({ botToken: TOKEN, channels: ['C0COUNSEL'], userGroups: [] });
});
afterAll(() => sandbox.stop());

const web = () => slackWebClient({ botToken: TOKEN, apiUrl: sandbox.apiUrl });

describe('slackPacketPoster', () => {
  it('posts a packet once per delivery key, even when retried from another worker', async () => {
    const packet = {
      channel: 'C0COUNSEL',
      text: '# Notice to counsel\n12 repositories exposed',
      key: 'incident-a/notify/counsel',
    };
    const first = await slackPacketPoster(web()).post(packet);
    const again = await slackPacketPoster(web()).post(packet);
    expect(again.ts).toBe(first.ts);
    const posted = sandbox.workspace.messages.filter((m) => m.metadata?.event_payload.key === packet.key);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.text).toContain('Notice to counsel');
  });

  it('sends to a person as a direct message', async () => {
    await slackPacketPoster(web()).post({ channel: 'U0COUNSEL', text: 'packet', key: 'incident-a/notify/dm' });
    expect(sandbox.workspace.messages.at(-1)).toMatchObject({ channel: 'D0COUNSEL', text: 'packet' });
  });
});
