import { App, HTTPReceiver, SocketModeReceiver, type Receiver } from '@slack/bolt';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { planModal } from '../activities/slack/blocks';
import { slackAttester } from '../client/attest';
import { castVote, declareIncident, incidentStatus, VoteRefused, type Declaration } from '../client/incidents';
import { APPROVAL_ACTIONS, decodeApprovalRef, type ApprovalRef } from '../domain/approval-button';
import { ORG, SEVERITY, STATUS } from '../domain/search-attributes';
import { asCordonError } from '../config/errors';
import type { SlackConfig } from '../config/slack';
import type { IncidentState } from '../workflows/definitions';
import type { CompiledObligations } from '../domain/notify';
import { boltLogger } from './bolt-logger';
import { declarationFrom, HELP, parseSlashCommand, SlackInputError } from './command';
import { declareModal, rejectModal, viewValues, VIEWS } from './views';

/** What the Slack app needs: Slack settings, a Temporal client, and how declarations run. */
export interface SlackAppOptions {
  slack: SlackConfig;
  temporal: { client: Client; taskQueue: string };
  logger: Logger;
  /** Playbook to declare with. @default cordon's supply-chain playbook */
  playbookFile?: string;
  /** Notice obligations whose clocks incidents declared here start, as `cordon declare` does. @default none */
  obligations?: CompiledObligations;
  /** Declarations from this app are drills (sandbox organisation). @default false */
  drill?: boolean;
  /** @default () => new Date() */
  now?: () => Date;
  /**
   * The app's attestation private key (raw Ed25519, base64; `CORDON_SLACK_ATTESTATION_KEY`): button votes carry
   * its signature that this Slack user pressed the button. Without it, button votes go unproven and only count on
   * requests opened before signed votes. @default none
   */
  attestationKey?: string;
}

/** The running app: `start` listens (HTTP) or connects (Socket Mode); `stop` closes it. */
export interface SlackApp {
  app: App;
  start(): Promise<{ port?: number }>;
  stop(): Promise<void>;
}

function receiverFor(slack: SlackConfig, logger: Logger): Receiver {
  if (slack.mode === 'socket') {
    return new SocketModeReceiver({
      appToken: slack.appToken!,
      logger: boltLogger(logger),
      // apps.connections.open goes to the same Web API as everything else (the sandbox in tests).
      ...(slack.apiUrl ? { installerOptions: { clientOptions: { slackApiUrl: slack.apiUrl } } } : {}),
    });
  }
  // Ack at once and keep working: Slack gives 3 seconds, a declaration or a vote can take longer.
  return new HTTPReceiver({
    signingSecret: slack.signingSecret!,
    endpoints: '/slack/events',
    processBeforeResponse: false,
    logger: boltLogger(logger),
  });
}

const stateLine = (s: IncidentState): string => {
  const waiting = s.steps.filter((x) => x.status === 'awaiting-approval').map((x) => `\`${x.id}\``);
  return `\`${s.incidentId}\` *${s.status}* · phase ${s.phase} · ${s.severity} · ${s.org}${s.drill ? ' · drill' : ''}${
    waiting.length ? ` · awaiting approval: ${waiting.join(', ')}` : ''
  }`;
};

function renderStatus(s: IncidentState): string {
  const steps = s.steps.map(
    (x) => `• \`${x.status}\` ${x.id}${x.error ? ` — ${x.error}` : x.note ? ` — ${x.note}` : ''}`,
  );
  return [stateLine(s), s.title, ...steps].join('\n');
}

/**
 * cordon's Slack app: `/cordon declare|status|list|help`, the declaration form, and the approval buttons. Every
 * request is acknowledged first; slow work then answers through `response_url` or an ephemeral message. Votes go to
 * the workflow's `vote` update with the Slack user id as the approver, so its validator decides, and its refusal is
 * shown to the clicker alone.
 */
export function createSlackApp(opts: SlackAppOptions): SlackApp {
  const { slack, logger } = opts;
  const { client, taskQueue } = opts.temporal;
  const now = opts.now ?? (() => new Date());
  const receiver = receiverFor(slack, logger);
  const app = new App({
    token: slack.botToken,
    receiver,
    logger: boltLogger(logger),
    // auth.test runs in start(), where a bad token fails the start instead of the first request.
    deferInitialization: true,
    ...(slack.apiUrl ? { clientOptions: { slackApiUrl: slack.apiUrl } } : {}),
  });
  const defaults = (): { now: Date; defaultOrg?: string } => ({
    now: now(),
    ...(slack.defaultOrg ? { defaultOrg: slack.defaultOrg } : {}),
  });

  const declare = async (d: Omit<Declaration, 'initiator'>, user: string): Promise<string> => {
    const res = await declareIncident(client, taskQueue, {
      ...d,
      initiator: user,
      drill: opts.drill ?? false,
      ...(opts.playbookFile ? { playbookFile: opts.playbookFile } : {}),
      ...(opts.obligations ? { obligations: opts.obligations } : {}),
    });
    return res.joined
      ? `<@${user}> joined the open incident \`${res.incidentId}\` (same packages and org)`
      : `<@${user}> declared \`${res.incidentId}\`: ${d.packages.map((p) => `${p.name}@${p.versions.join('|')}`).join(', ')} in ${d.org} — ${slack.perIncidentChannel ? 'its own channel is announced in' : 'timeline in'} <#${slack.incidentChannel}>`;
  };

  /** A failure of slow work, as one line for the user; bugs are logged, not shown. */
  const explain = (err: unknown, what: string): string => {
    const e = asCordonError(err);
    if (e.category !== 'bug') return `${what}: ${e.message}`;
    logger.error({ err }, `${what} failed`);
    return `${what} failed; the cordon operators have the details in the app's log`;
  };

  app.command('/cordon', async ({ command, ack, respond, client: web }) => {
    const cmd = parseSlashCommand(command.text, defaults());
    switch (cmd.kind) {
      case 'error':
        await ack({ response_type: 'ephemeral', text: cmd.message });
        return;
      case 'help':
        await ack({ response_type: 'ephemeral', text: HELP });
        return;
      case 'declare-modal':
        await ack();
        // The trigger id expires 3 seconds after the click: open the form before anything else.
        await web.views.open({
          trigger_id: command.trigger_id,
          view: declareModal(command.channel_id) as never,
        });
        return;
      case 'declare':
        await ack({ response_type: 'ephemeral', text: 'Declaring…' });
        try {
          await respond({ response_type: 'in_channel', text: await declare(cmd.declaration, command.user_id) });
        } catch (err) {
          await respond({ response_type: 'ephemeral', text: explain(err, 'declare') });
        }
        return;
      case 'status':
      case 'list':
        await ack();
        try {
          await respond({
            response_type: 'ephemeral',
            text: await statusText(cmd.kind === 'status' ? cmd.incidentId : undefined, cmd.kind),
          });
        } catch (err) {
          await respond({ response_type: 'ephemeral', text: explain(err, cmd.kind) });
        }
    }
  });

  const statusText = async (incidentId: string | undefined, kind: 'status' | 'list'): Promise<string> => {
    if (incidentId) return renderStatus(await incidentStatus(client, incidentId));
    const clauses = [`WorkflowType = 'incidentWorkflow'`];
    if (kind === 'status') clauses.push(`ExecutionStatus = 'Running'`);
    const lines: string[] = [];
    for await (const wf of client.workflow.list({ query: clauses.join(' AND '), pageSize: 20 })) {
      const sa = wf.typedSearchAttributes;
      lines.push(
        `\`${wf.workflowId}\` *${sa.get(STATUS) ?? wf.status.name}* · ${sa.get(SEVERITY) ?? '?'} · ${sa.get(ORG) ?? '?'} · since ${wf.startTime.toISOString()}`,
      );
      if (lines.length >= 20) break;
    }
    if (lines.length === 0) return kind === 'status' ? 'No open incidents.' : 'No incidents.';
    return lines.join('\n');
  };

  app.view(VIEWS.declare, async ({ ack, view, body, client: web }) => {
    const v = viewValues(view.state);
    let d: Omit<Declaration, 'initiator'>;
    try {
      d = declarationFrom(
        {
          packages: (v.packages ?? '').split(/[\s]+/).filter(Boolean),
          ...(v.since ? { since: v.since } : {}),
          ...(v.org ? { org: v.org } : {}),
          ...(v.severity ? { severity: v.severity } : {}),
        },
        defaults(),
      );
    } catch (err) {
      if (!(err instanceof SlackInputError)) throw err;
      // The form shows the message under the field it is about and stays open.
      await ack({ response_action: 'errors', errors: { [err.field]: err.message } });
      return;
    }
    await ack();
    const channel = view.private_metadata || slack.incidentChannel;
    let text: string;
    try {
      text = await declare(d, body.user.id);
    } catch (err) {
      text = explain(err, 'declare');
    }
    await web.chat.postEphemeral({ channel, user: body.user.id, text });
  });

  /** Votes for the clicker; the validator's refusal goes to the clicker alone. */
  const vote = async (
    web: App['client'],
    ref: ApprovalRef,
    user: string,
    channel: string,
    decision: 'approve' | 'reject',
    reason?: string,
  ): Promise<void> => {
    let text: string;
    try {
      const res = await castVote(
        client,
        ref.incidentId,
        {
          stepId: ref.stepId,
          planHash: ref.planHash,
          approver: user,
          decision,
          channel: 'slack',
          ...(reason ? { reason } : {}),
        },
        opts.attestationKey ? slackAttester(opts.attestationKey, user) : undefined,
      );
      text = res.decision
        ? `Your ${decision === 'approve' ? 'approval' : 'rejection'} decided *${ref.stepId}*: ${res.decision}.`
        : `Your approval of *${ref.stepId}* is recorded: ${res.approvals} of ${res.quorum} needed.`;
    } catch (err) {
      text =
        err instanceof VoteRefused
          ? `:no_entry_sign: Your vote on *${ref.stepId}* was refused — ${err.message}`
          : explain(err, 'vote');
    }
    await web.chat.postEphemeral({ channel, user, text });
  };

  const clicked = (body: unknown): { ref?: ApprovalRef; user: string; channel: string; triggerId: string } => {
    const b = body as {
      user: { id: string };
      channel?: { id: string };
      trigger_id: string;
      actions?: { value?: unknown }[];
    };
    const ref = decodeApprovalRef(b.actions?.[0]?.value);
    return {
      user: b.user.id,
      channel: b.channel?.id ?? slack.incidentChannel,
      triggerId: b.trigger_id,
      ...(ref ? { ref } : {}),
    };
  };

  app.action(APPROVAL_ACTIONS.approve, async ({ ack, body, client: web }) => {
    await ack();
    const c = clicked(body);
    if (!c.ref) return void (await refuseForeign(web, c));
    await vote(web, c.ref, c.user, c.channel, 'approve');
  });

  app.action(APPROVAL_ACTIONS.reject, async ({ ack, body, client: web }) => {
    await ack();
    const c = clicked(body);
    if (!c.ref) return void (await refuseForeign(web, c));
    // A rejection needs a reason: ask for it in a modal (the trigger id lives 3 seconds, so open it first).
    await web.views.open({ trigger_id: c.triggerId, view: rejectModal(c.ref, c.channel) as never });
  });

  app.action(APPROVAL_ACTIONS.viewPlan, async ({ ack, body, client: web }) => {
    await ack();
    const c = clicked(body);
    if (!c.ref) return void (await refuseForeign(web, c));
    try {
      const state = await incidentStatus(client, c.ref.incidentId);
      const step = state.steps.find((s) => s.id === c.ref!.stepId);
      const plan = step?.plan;
      if (!plan || plan.hash !== c.ref.planHash) {
        await web.chat.postEphemeral({
          channel: c.channel,
          user: c.user,
          text: `The plan \`${c.ref.planHash.slice(0, 12)}\` of *${c.ref.stepId}* is no longer current.`,
        });
        return;
      }
      await web.views.open({
        trigger_id: c.triggerId,
        view: planModal(`Plan: ${c.ref.stepId}`, plan.summary, plan.items) as never,
      });
    } catch (err) {
      await web.chat.postEphemeral({ channel: c.channel, user: c.user, text: explain(err, 'view plan') });
    }
  });

  app.view(VIEWS.reject, async ({ ack, view, body, client: web }) => {
    const reason = viewValues(view.state).reason;
    if (!reason) {
      await ack({ response_action: 'errors', errors: { reason: 'A rejection needs a reason' } });
      return;
    }
    let meta: { ref?: unknown; channel?: unknown } = {};
    try {
      meta = JSON.parse(view.private_metadata) as typeof meta;
    } catch {
      // A modal we did not build: refused below.
    }
    const ref = decodeApprovalRef(meta.ref);
    await ack();
    const channel = typeof meta.channel === 'string' ? meta.channel : slack.incidentChannel;
    if (!ref) return void (await refuseForeign(web, { user: body.user.id, channel }));
    await vote(web, ref, body.user.id, channel, 'reject', reason);
  });

  const refuseForeign = async (web: App['client'], c: { user: string; channel: string }): Promise<void> => {
    await web.chat.postEphemeral({
      channel: c.channel,
      user: c.user,
      text: 'This button does not carry a cordon approval.',
    });
  };

  app.error(async (err) => {
    logger.error({ code: (err as { code?: string }).code, message: err.message }, 'slack app error');
  });

  return {
    app,
    async start() {
      await app.init();
      if (slack.mode === 'socket') {
        await app.start();
        return {};
      }
      const server = (await app.start(slack.port)) as { address(): { port: number } | string | null };
      const addr = server.address();
      return typeof addr === 'object' && addr ? { port: addr.port } : {};
    },
    stop: () => app.stop() as Promise<void>,
  };
}
