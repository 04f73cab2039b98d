import { randomUUID } from 'node:crypto';
import { blockActionsBody, slashCommandBody, viewSubmissionBody } from './requests';
import type { SlackSandbox } from './server';
import { sendSignedRequest, type AppResponse } from './signing';
import type { SlackMessage } from './state';

/** Where Slack's side of the conversation goes: the app's events URL and the secret it verifies with. */
export interface SlackDriverOptions {
  sandbox: SlackSandbox;
  /** e.g. `http://127.0.0.1:3000/slack/events` */
  appUrl: string;
  signingSecret: string;
  channel: string;
}

/**
 * Plays Slack's servers towards an app: people type slash commands, click buttons and submit modals; each becomes
 * the signed request Slack would send, with a `response_url` the sandbox answers.
 */
export class SlackDriver {
  constructor(private readonly o: SlackDriverOptions) {}

  /** `/cordon <text>` typed by `userId`; `responseId` names the posts the app makes to this command's response_url. */
  async slash(userId: string, text: string, command = '/cordon'): Promise<AppResponse & { responseId: string }> {
    const responseUrl = this.o.sandbox.responseUrl();
    const body = slashCommandBody(
      { userId, channelId: this.o.channel },
      command,
      text,
      responseUrl,
      `trigger-${randomUUID()}`,
    );
    return { ...(await this.send(body)), responseId: responseUrl.slice(responseUrl.lastIndexOf('/') + 1) };
  }

  /** `userId` clicks the button `actionId` of a message the app posted. */
  click(userId: string, message: SlackMessage, actionId: string): Promise<AppResponse> {
    const button = buttonsOf(message).find((b) => b.action_id === actionId);
    if (!button) throw new Error(`message ${message.ts} has no button ${actionId}`);
    const body = blockActionsBody(
      { userId, channelId: message.channel },
      { ts: message.ts, ...(message.blocks ? { blocks: message.blocks } : {}) },
      { actionId, blockId: button.block_id, value: button.value },
      this.o.sandbox.responseUrl(),
      `trigger-${randomUUID()}`,
    );
    return this.send(body);
  }

  /** `userId` submits a modal the app opened, with `values[blockId] = text`. */
  submit(userId: string, view: Record<string, unknown>, values: Record<string, string>): Promise<AppResponse> {
    const state = Object.fromEntries(
      Object.entries(values).map(([block, value]) => [block, { value: { type: 'plain_text_input', value } }]),
    );
    const body = viewSubmissionBody(
      { userId, channelId: this.o.channel },
      {
        callbackId: String(view.callback_id),
        privateMetadata: String(view.private_metadata ?? ''),
        values: state,
      },
      `trigger-${randomUUID()}`,
    );
    return this.send(body);
  }

  /** Sends a raw, correctly signed body (for malformed-payload tests). */
  send(body: string, over: { timestamp?: number; signature?: string } = {}): Promise<AppResponse> {
    return sendSignedRequest(this.o.appUrl, {
      body,
      contentType: 'application/x-www-form-urlencoded',
      signingSecret: this.o.signingSecret,
      ...over,
    });
  }
}

/** The buttons of a message's `actions` blocks, with the block each sits in. */
export function buttonsOf(message: SlackMessage): { action_id: string; value: string; block_id: string }[] {
  const out: { action_id: string; value: string; block_id: string }[] = [];
  for (const b of (message.blocks ?? []) as { type?: string; block_id?: string; elements?: unknown[] }[]) {
    if (b.type !== 'actions') continue;
    for (const e of (b.elements ?? []) as { type?: string; action_id?: string; value?: string }[])
      if (e.type === 'button' && e.action_id)
        out.push({ action_id: e.action_id, value: e.value ?? '', block_id: b.block_id ?? '' });
  }
  return out;
}
