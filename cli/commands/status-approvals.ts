// What `cordon status` shows of a step's approvals to a person: the plan an approver is about to approve (its first
// items), who voted what and when, and why a plan was rejected. `--json` has everything; this is the readable part.
import type { ApprovalState, StepState } from '../../workflows/definitions';

/** How many plan items are listed under an awaiting step before "…and N more". */
export const PLAN_ITEMS_SHOWN = 5;

const ITEM_WIDTH = 160;

/** One plan item on one line: a string as is, an object by its naming fields, else its JSON, clipped. */
export function planItemLine(item: unknown): string {
  if (typeof item === 'string') return clip(item);
  if (item && typeof item === 'object') {
    const o = item as Record<string, unknown>;
    if (typeof o.owner === 'string' && typeof o.name === 'string') return clip(`${o.owner}/${o.name}`);
    // Most actions' items name what they touch by one of these; the rest of the item is in --json.
    const name = ['repo', 'title', 'name', 'user', 'id', 'path', 'recipient'].find((k) => typeof o[k] === 'string');
    const title = typeof o.title === 'string' && name !== 'title' ? `: ${o.title}` : '';
    if (name) return clip(`${String(o[name])}${title}`);
  }
  return clip(JSON.stringify(item) ?? String(item));
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > ITEM_WIDTH ? `${line.slice(0, ITEM_WIDTH - 1)}…` : line;
}

/** The votes of an approval round, one line each: who, what, when, and a rejection's reason. */
export function voteLines(a: ApprovalState, indent: string): string[] {
  return a.votes.map(
    (v) =>
      `${indent}${v.decision === 'approve' ? 'approved' : 'rejected'} by ${v.approver} at ${v.at} (${v.channel})` +
      (v.reason ? `: ${v.reason}` : ''),
  );
}

/**
 * The lines under a step in `cordon status`: for an awaiting step its first plan items; for every step that asked
 * for approval, the votes of its last round (a rejection with its reason), and a decision the playbook's default
 * took when nobody answered in time.
 */
export function approvalLines(step: StepState, indent = '      '): string[] {
  const a = step.approvals.at(-1);
  if (!a) return [];
  const lines: string[] = [];
  if (step.status === 'awaiting-approval') {
    const items = step.plan?.items ?? [];
    const count = Math.max(step.plan?.itemCount ?? items.length, items.length);
    const shown = Math.min(items.length, PLAN_ITEMS_SHOWN);
    lines.push(...items.slice(0, shown).map((i) => `${indent}- ${planItemLine(i)}`));
    if (count > shown) lines.push(`${indent}…and ${count - shown} more`);
  }
  lines.push(...voteLines(a, indent));
  if (a.expired && a.decision)
    lines.push(`${indent}${a.decision} by default at ${a.decidedAt ?? a.deadline}: nobody decided in time`);
  return lines;
}
