import { webApi } from '@slack/bolt';
import type { SlackConfig } from '../../config/slack';

/**
 * A Web API client with the bot token. Few retries: notices run inside Temporal activities, whose own retry policy
 * decides; 429s still wait out Slack's Retry-After inside the client.
 */
export function slackWebClient(config: Pick<SlackConfig, 'botToken' | 'apiUrl'>): webApi.WebClient {
  return new webApi.WebClient(config.botToken, {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    retryConfig: { retries: 2, factor: 1.5, minTimeout: 200, maxTimeout: 2000 },
    logLevel: webApi.LogLevel.WARN,
  });
}
