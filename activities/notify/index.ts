import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { loadObligations, type PacketSource } from '../../domain/notify';
import { formatProblem } from '../../domain/playbook';
import type { ActionHandlers } from '../registry';
import type { ActionContext } from '../types';
import { createSmtpMailer } from './channels';
import { SentLedger } from './sent-ledger';
import { sendPacketsAction, type NoticeSent, type NotifyDeps } from './send-packets';

export { createSmtpMailer } from './channels';
export type { PacketMail, PacketMailer, PacketPoster, SmtpOptions } from './channels';
export { SentLedger } from './sent-ledger';
export type { SentEntry } from './sent-ledger';
export { PACKET_NOTICE, sendPacketsAction } from './send-packets';
export type { Delivery, NoticeSent, NotifyDeps, PacketItem } from './send-packets';

/**
 * Reads the incident's state by querying its workflow with the worker's own client: the packet is built from
 * what the incident knows at plan time (steps, outputs, facts, obligations), not from anything typed in.
 */
export async function queryIncident(ctx: ActionContext): Promise<PacketSource> {
  const workflowId = ctx.idempotencyKey.split('/')[0]!;
  return Context.current().client.workflow.getHandle(workflowId).query<PacketSource>('status');
}

/**
 * Signals an obligation's workflow that its notice went out. An obligation already acknowledged has closed: nothing
 * is left to tell it, so that is not an error.
 */
export async function signalNoticeSent(obligationWorkflowId: string, notice: NoticeSent): Promise<void> {
  try {
    await Context.current().client.workflow.getHandle(obligationWorkflowId).signal('noticeSent', notice);
  } catch (err) {
    if ((err as { name?: string }).name !== 'WorkflowNotFoundError') throw err;
  }
}

/** Where the worker's notify action finds its parties and writes its packets. */
export interface NotifyConfig {
  obligationsFile: string;
  stateDir: string;
  smtp?: { url: string; from: string };
}

/**
 * What the notify activities need: the configuration, plus the channels and incident access to use instead of the
 * defaults (an SMTP mailer when `smtp` is set, the worker's own Temporal client).
 */
export type NotifyActivityDeps = NotifyConfig &
  Partial<Pick<NotifyDeps, 'mailer' | 'slack' | 'readIncident' | 'noticeSent'>>;

/**
 * The notify actions wired to configuration: parties from the obligations file (refused with every problem if
 * invalid), SMTP when configured, and a Slack poster when the Slack app supplies one.
 */
export function createNotifyActivities(config: NotifyActivityDeps) {
  const loaded = loadObligations(readFileSync(config.obligationsFile, 'utf8'), config.obligationsFile);
  if (!loaded.ok) throw new Error(`invalid obligations file:\n${loaded.problems.map(formatProblem).join('\n')}`);
  const mailer = config.mailer ?? (config.smtp ? createSmtpMailer(config.smtp) : undefined);
  const deps: NotifyDeps = {
    parties: loaded.obligations.parties,
    packetDir: path.join(config.stateDir, 'packets'),
    sent: new SentLedger(path.join(config.stateDir, 'notify-sent.jsonl')),
    readIncident: config.readIncident ?? queryIncident,
    noticeSent: config.noticeSent ?? signalNoticeSent,
    ...(mailer ? { mailer } : {}),
    ...(config.slack ? { slack: config.slack } : {}),
  };
  return { 'notify.sendPackets': sendPacketsAction(deps) } satisfies ActionHandlers;
}

/** The handlers `createNotifyActivities` returns. */
export type NotifyActivities = ReturnType<typeof createNotifyActivities>;
