import type { webApi } from '@slack/bolt';
import type { PacketPoster } from '../notify/channels';
import { escapeMrkdwn } from './blocks';
import { METADATA_EVENT } from './notifier';

const MAX_TEXT = 39_000; // chat.postMessage truncates text past 40,000 characters.

/**
 * Posts notification packets to Slack (a channel id, or a user id for a DM) for notify.sendPackets. A delivery's
 * key travels in the message metadata and is looked up in the channel's recent history before posting, so a retried
 * apply — here or on another worker — never posts a packet twice.
 */
export function slackPacketPoster(web: webApi.WebClient): PacketPoster {
  const posted = new Map<string, string>();
  const channelOf = async (to: string): Promise<string> => {
    if (!/^[UW][A-Z0-9]+$/.test(to)) return to;
    const res = await web.conversations.open({ users: to });
    return res.channel?.id ?? to;
  };
  return {
    async post({ channel: to, text, key }) {
      const known = posted.get(key);
      if (known) return { ts: known };
      const channel = await channelOf(to);
      const history = await web.conversations.history({ channel, limit: 200, include_all_metadata: true });
      const found = history.messages?.find(
        (m) =>
          m.metadata?.event_type === METADATA_EVENT &&
          (m.metadata.event_payload as { key?: unknown } | undefined)?.key === key,
      );
      if (found?.ts) {
        posted.set(key, found.ts);
        return { ts: found.ts };
      }
      // A packet quotes the incident's facts (title, packages, org) as typed: inert, like every notice.
      const safe = escapeMrkdwn(text);
      const res = await web.chat.postMessage({
        channel,
        text:
          safe.length > MAX_TEXT
            ? `${safe.slice(0, MAX_TEXT)}\n…(cut: the full packet is attached to the e-mail)`
            : safe,
        mrkdwn: true,
        metadata: { event_type: METADATA_EVENT, event_payload: { kind: 'packet', key } },
      });
      posted.set(key, res.ts!);
      return { ts: res.ts! };
    },
  };
}
