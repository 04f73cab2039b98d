// Bodies of the requests Slack sends an app, shaped as Slack documents them, for tests, the demo and benches.

/** Who sends a request, and where. */
export interface SlackActor {
  userId: string;
  userName?: string;
  channelId: string;
  teamId?: string;
}

/**
 * A slash command as Slack posts it: form-encoded fields
 * (https://api.slack.com/interactivity/slash-commands#app_command_handling).
 */
export function slashCommandBody(
  actor: SlackActor,
  command: string,
  text: string,
  responseUrl: string,
  triggerId: string,
): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: actor.teamId ?? 'T0CORDON',
    team_domain: 'cordon-sandbox',
    channel_id: actor.channelId,
    channel_name: 'incidents',
    user_id: actor.userId,
    user_name: actor.userName ?? actor.userId.toLowerCase(),
    command,
    text,
    api_app_id: 'A0CORDON',
    response_url: responseUrl,
    trigger_id: triggerId,
  }).toString();
}

/** A button click: `block_actions` JSON in a form field named `payload` (https://api.slack.com/reference/interaction-payloads/block-actions). */
export function blockActionsBody(
  actor: SlackActor,
  message: { ts: string; blocks?: unknown[] },
  action: { actionId: string; blockId: string; value: string },
  responseUrl: string,
  triggerId: string,
): string {
  const payload = {
    type: 'block_actions',
    user: {
      id: actor.userId,
      username: actor.userName ?? actor.userId.toLowerCase(),
      team_id: actor.teamId ?? 'T0CORDON',
    },
    api_app_id: 'A0CORDON',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: message.ts, channel_id: actor.channelId, is_ephemeral: false },
    trigger_id: triggerId,
    team: { id: actor.teamId ?? 'T0CORDON', domain: 'cordon-sandbox' },
    channel: { id: actor.channelId, name: 'incidents' },
    message: { type: 'message', ts: message.ts, text: '', blocks: message.blocks ?? [] },
    response_url: responseUrl,
    actions: [
      {
        type: 'button',
        action_id: action.actionId,
        block_id: action.blockId,
        value: action.value,
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A modal submission: `view_submission` JSON in a form field named `payload`. */
export function viewSubmissionBody(
  actor: SlackActor,
  view: { callbackId: string; privateMetadata: string; values: Record<string, Record<string, unknown>> },
  triggerId: string,
): string {
  const payload = {
    type: 'view_submission',
    user: {
      id: actor.userId,
      username: actor.userName ?? actor.userId.toLowerCase(),
      team_id: actor.teamId ?? 'T0CORDON',
    },
    api_app_id: 'A0CORDON',
    token: 'deprecated-verification-token',
    trigger_id: triggerId,
    team: { id: actor.teamId ?? 'T0CORDON', domain: 'cordon-sandbox' },
    view: {
      id: 'V0SUBMIT',
      type: 'modal',
      callback_id: view.callbackId,
      private_metadata: view.privateMetadata,
      state: { values: view.values },
    },
    response_urls: [],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
