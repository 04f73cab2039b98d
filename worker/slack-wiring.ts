import type { Logger } from 'pino';
import { staticGroups, type IncidentNotifier } from '../activities/engine';
import type { PacketPoster } from '../activities/notify/channels';
import { SlackNotifier, SlackUserGroups, slackPacketPoster, slackWebClient } from '../activities/slack';
import type { CordonConfig } from '../config/config';
import type { SlackConfig } from '../config/slack';

/** What Slack adds to a worker: its notifier, and approver groups resolved from Slack user groups. */
export interface SlackWorkerParts {
  notifier: IncidentNotifier;
  /** Slack user groups (mapped, or of the same handle), the configured static groups for the rest. */
  resolveGroup(group: string): Promise<string[] | undefined>;
  /** Delivers notification packets whose recipient is a Slack channel or user (notify.sendPackets). */
  packetPoster: PacketPoster;
}

/** Builds the worker's Slack parts from validated configuration. */
export function slackWorkerParts(slack: SlackConfig, config: CordonConfig, logger: Logger): SlackWorkerParts {
  const web = slackWebClient(slack);
  const userGroups = new SlackUserGroups(web, slack.userGroups);
  const fallback = staticGroups(config.approverGroups);
  return {
    notifier: new SlackNotifier({
      web,
      channel: slack.incidentChannel,
      userGroups,
      logger,
      ...(slack.perIncidentChannel ? { perIncidentChannel: slack.perIncidentChannel } : {}),
    }),
    packetPoster: slackPacketPoster(web),
    resolveGroup: async (group) => (await userGroups.members(group)) ?? fallback(group),
  };
}
