export { startSlackSandbox } from './server';
export type { RecordedCall, ResponsePost, SlackSandbox, SlackSandboxOptions } from './server';
export { SlackWorkspace } from './state';
export type {
  SlackChannel,
  SlackEphemeral,
  SlackMessage,
  SlackUserGroup,
  SlackView,
  SlackWorkspaceSpec,
} from './state';
export { sendSignedRequest, signSlackRequest } from './signing';
export type { AppResponse, SignedRequest, SlackSignatureHeaders } from './signing';
export { blockActionsBody, slashCommandBody, viewSubmissionBody } from './requests';
export type { SlackActor } from './requests';
export { SlackDriver, buttonsOf } from './driver';
export type { SlackDriverOptions } from './driver';
export { SocketModeServer } from './socket-mode';
export type { SocketAck } from './socket-mode';
