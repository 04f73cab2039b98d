import { webApi } from '@slack/bolt';

import { startSlackSandbox, signSlackRequest, type SlackSandbox } from '../../../../sandbox/slack';

// Bolt re-exports the Web API client it uses itself; cordon takes it from there rather than a second dependency.
const { WebClient } = webApi;
const TOKEN = 'xoxb-sandbox-token';

describe('sandbox Slack Web API', () => {
  let slack: SlackSandbox;
  let web: webApi.WebClient;
  beforeAll(async () => {
    slack = await startSlackSandbox({
      botToken: TOKEN,
      channels: ['C0INCIDENTS'],
      userGroups: [{ id: 'S0SEC', handle: 'security-oncall', users: ['U0ALICE', 'U0BOB'] }],
    });
    web = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl });
  });
  afterAll(() => slack.stop());

  it('refuses a wrong bot token with invalid_auth, as Slack does, and records the call without the token', async () => {
    const bad = new WebClient('xoxb-wrong', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    await expect(bad.auth.test()).rejects.toMatchObject({ data: { ok: false, error: 'invalid_auth' } });
    const last = slack.calls.at(-1)!;
    expect(last).toMatchObject({ method: 'auth.test', ok: false, error: 'invalid_auth' });
    expect(JSON.stringify(last)).not.toContain('xoxb-wrong');
  });

  it('posts, threads and edits messages in place, keeping their metadata', async () => {
    const root = await web.chat.postMessage({
      channel: 'C0INCIDENTS',
      text: 'incident declared',
      metadata: { event_type: 'cordon_incident', event_payload: { key: 'incident-a' } },
    });
    await web.chat.postMessage({ channel: 'C0INCIDENTS', thread_ts: root.ts!, text: 'step started' });
    await web.chat.update({ channel: 'C0INCIDENTS', ts: root.ts!, text: 'incident closed', blocks: [] });
    const history = await web.conversations.history({ channel: 'C0INCIDENTS', include_all_metadata: true });
    expect(history.messages?.[0]).toMatchObject({
      text: 'incident closed',
      metadata: { event_type: 'cordon_incident', event_payload: { key: 'incident-a' } },
    });
    const replies = await web.conversations.replies({ channel: 'C0INCIDENTS', ts: root.ts! });
    expect(replies.messages?.map((m) => m.text)).toEqual(['incident closed', 'step started']);
  });

  it("answers Slack's errors for unknown channels and user groups", async () => {
    const noRetry = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    await expect(noRetry.chat.postMessage({ channel: 'C0NOPE', text: 'x' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
    await expect(noRetry.usergroups.users.list({ usergroup: 'S0NOPE' })).rejects.toMatchObject({
      data: { error: 'no_such_subteam' },
    });
    expect((await web.usergroups.users.list({ usergroup: 'S0SEC' })).users).toEqual(['U0ALICE', 'U0BOB']);
  });

  it('signs a body as Slack does: v0= HMAC-SHA256 over v0:timestamp:body', () => {
    // The worked example of https://api.slack.com/authentication/verifying-requests-from-slack
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(signSlackRequest('8f742231b10e8888abcd99yyyzzz85a5', body, 1531420618)).toEqual({
      'x-slack-request-timestamp': '1531420618',
      'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    });
  });
});
