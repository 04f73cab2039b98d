// Block Kit for cordon's Slack messages (https://api.slack.com/reference/block-kit/blocks). Pure functions: the
// notifier posts them and tests read them back from the sandbox.
import { APPROVAL_ACTIONS, encodeApprovalRef } from '../../domain/approval-button';
import type { ApprovalDecisionNotice, ApprovalRequestNotice } from '../types';

/** A Block Kit block, loosely typed: Slack validates the shape, the sandbox keeps it as sent. */
export type Block = Record<string, unknown>;

const MAX_SECTION = 2900; // Slack refuses section text over 3,000 characters.

/**
 * A user-supplied string made inert for Slack's mrkdwn: `&`, `<` and `>` become entities, so `<!channel>`, `<@U…>` or
 * `<https://…|Approve>` in a package name, org, title, reason or plan item shows as typed instead of pinging a
 * channel or rendering a link. Only these three: Slack's rule
 * (https://api.slack.com/reference/surfaces/formatting#escaping) says not to escape anything else.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
const esc = escapeMrkdwn;

const clip = (text: string, max = MAX_SECTION): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const mrkdwn = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text: clip(text) } });
/** A step as people read it: its name, with its id when the name differs. */
const stepLabel = (name: string, id: string): string =>
  name === id ? `*${esc(id)}*` : `*${esc(name)}* (\`${esc(id)}\`)`;
const context = (text: string): Block => ({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(text) }] });

/** Slack renders `<!date^…>` in each reader's time zone; the fallback text shows the ISO time. */
export function slackDate(iso: string): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  return `<!date^${seconds}^{date_short_pretty} {time}|${iso}>`;
}

function itemLine(item: unknown): string {
  if (typeof item === 'string') return esc(item);
  const text = JSON.stringify(item);
  return `\`${esc(clip(text, 200))}\``;
}

/** Who may approve: the Slack user group when the group maps to one, else its name. */
export function groupMention(group: string, userGroupId: string | undefined): string {
  return userGroupId ? `<!subteam^${esc(userGroupId)}>` : `\`${esc(group)}\``;
}

/** The approval request: step, plan (counts and first items), group, quorum, deadline, and the buttons. */
export function approvalBlocks(n: ApprovalRequestNotice, userGroupId: string | undefined): Block[] {
  const ref = encodeApprovalRef({ incidentId: n.incidentId, stepId: n.stepId, planHash: n.planHash });
  const first = n.firstItems ?? [];
  const blocks: Block[] = [
    mrkdwn(
      `${n.escalated ? ':rotating_light: *Escalated approval*' : ':raised_hand: *Approval needed*'} — ${stepLabel(n.stepName, n.stepId)}, action \`${esc(n.action)}\`\n` +
        `Incident \`${esc(n.incidentId)}\``,
    ),
    mrkdwn(`*Plan:* ${esc(n.summary)}\n*${n.itemCount}* change${n.itemCount === 1 ? '' : 's'}`),
  ];
  if (first.length > 0) {
    const more = n.itemCount > first.length ? `\n…and ${n.itemCount - first.length} more (View full plan)` : '';
    blocks.push(mrkdwn(`${first.map((i) => `• ${itemLine(i)}`).join('\n')}${more}`));
  }
  if (n.irreversible)
    blocks.push(mrkdwn(':warning: *Irreversible:* at least one change cannot be undone by a stand-down.'));
  blocks.push(
    context(
      `Approvers: ${groupMention(n.group, userGroupId)} · quorum ${n.quorum} · deadline ${slackDate(n.deadline)} · plan \`${n.planHash.slice(0, 12)}\``,
    ),
    {
      type: 'actions',
      block_id: `approval:${n.stepId}`,
      elements: [
        {
          type: 'button',
          action_id: APPROVAL_ACTIONS.approve,
          text: { type: 'plain_text', text: 'Approve' },
          style: 'primary',
          value: ref,
        },
        {
          type: 'button',
          action_id: APPROVAL_ACTIONS.reject,
          text: { type: 'plain_text', text: 'Reject' },
          style: 'danger',
          value: ref,
        },
        {
          type: 'button',
          action_id: APPROVAL_ACTIONS.viewPlan,
          text: { type: 'plain_text', text: 'View full plan' },
          value: ref,
        },
      ],
    },
  );
  return blocks;
}

/** Plain-text fallback of an approval request (notifications, screen readers). */
export function approvalText(n: ApprovalRequestNotice): string {
  return escapeMrkdwn(
    `${n.escalated ? 'Escalated approval' : 'Approval needed'}: ${n.stepName} (${n.stepId}) — ${n.summary}`,
  );
}

/** The request once decided: the same summary, no buttons, who decided and when. */
export function decidedBlocks(n: ApprovalRequestNotice, d: ApprovalDecisionNotice): Block[] {
  const icon = d.decision === 'approved' ? ':white_check_mark:' : ':no_entry:';
  const who = d.expired
    ? `by the playbook's default on expiry`
    : `by ${d.votes
        .filter((v) => v.decision === (d.decision === 'approved' ? 'approve' : 'reject'))
        .map((v) => `<@${esc(v.approver)}>`)
        .join(', ')}`;
  const reason = d.votes.find((v) => v.decision === 'reject' && v.reason)?.reason;
  return [
    mrkdwn(`${icon} *${d.decision === 'approved' ? 'Approved' : 'Rejected'}* — ${stepLabel(n.stepName, n.stepId)}`),
    mrkdwn(`*Plan:* ${esc(n.summary)}\n*${n.itemCount}* change${n.itemCount === 1 ? '' : 's'}`),
    context(
      `${d.decision} ${who} at ${slackDate(d.decidedAt)}${reason ? ` — “${esc(reason)}”` : ''} · plan \`${d.planHash.slice(0, 12)}\``,
    ),
  ];
}

/** The request when a newer plan replaced it before it was applied. */
export function supersededBlocks(n: ApprovalRequestNotice): Block[] {
  return [
    mrkdwn(`:arrows_counterclockwise: *Superseded* — ${stepLabel(n.stepName, n.stepId)}`),
    context(`plan \`${n.planHash.slice(0, 12)}\` changed before it was applied; a new request follows`),
  ];
}

/** A full plan as a modal (opened from "View full plan"): every item, clipped to Slack's limits. */
export function planModal(title: string, summary: string, items: unknown[]): Record<string, unknown> {
  const lines = items.map((i) => `• ${itemLine(i)}`);
  const blocks: Block[] = [mrkdwn(`*${esc(summary)}*\n${items.length} change${items.length === 1 ? '' : 's'}`)];
  // A modal holds at most 100 blocks; a longer plan is cut with a pointer to the CLI.
  for (let i = 0; i < lines.length && blocks.length < 99; i += 20)
    blocks.push(mrkdwn(lines.slice(i, i + 20).join('\n')));
  if (lines.length > 98 * 20)
    blocks.push(context('Plan cut short here: `cordon status INCIDENT --json` has every item.'));
  return { type: 'modal', title: { type: 'plain_text', text: clip(title, 24) }, blocks };
}
