export { SlackNotifier, METADATA_EVENT } from './notifier';
export type { SlackNotifierDeps } from './notifier';
export { SlackUserGroups } from './user-groups';
export {
  approvalBlocks,
  approvalText,
  decidedBlocks,
  escapeMrkdwn,
  planModal,
  supersededBlocks,
  slackDate,
} from './blocks';
export type { Block } from './blocks';
export { slackWebClient } from './client';
export { slackPacketPoster } from './packet-poster';
