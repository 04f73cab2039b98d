import type { IncidentState } from '../workflows/definitions';
import type { HistoryFacts } from './history-facts';

/** One decision in the approvals ledger: who decided what about which exact plan, when, and through which channel. */
export interface LedgerRow {
  step: string;
  round: number;
  planHash: string;
  approver: string;
  decision: 'approve' | 'reject' | 'approved-by-default' | 'rejected-by-default';
  reason?: string;
  at: string;
  channel: string;
  /** The history event that records the decision (the vote Update's acceptance); absent for a policy default. */
  eventId?: number;
  /** The Temporal client identity that sent the vote. */
  identity?: string;
}

/**
 * The approvals ledger, derived from the history: one row per vote the workflow accepted (Update events), and one
 * per approval the playbook's default decided on expiry (which leaves no Update, so it comes from the workflow's
 * own record, `state`). Rounds are numbered as the workflow numbered them.
 */
export function approvalsLedger(facts: HistoryFacts, state: IncidentState | undefined): LedgerRow[] {
  const roundOf = (step: string, planHash: string, seen: Map<string, string[]>): number => {
    const fromState = state?.steps.find((s) => s.id === step)?.approvals.find((a) => a.planHash === planHash)?.round;
    if (fromState !== undefined) return fromState;
    const hashes = seen.get(step) ?? [];
    if (!hashes.includes(planHash)) hashes.push(planHash);
    seen.set(step, hashes);
    return hashes.indexOf(planHash) + 1;
  };
  const seen = new Map<string, string[]>();
  const rows: LedgerRow[] = facts.votes
    .filter((v) => v.result && !v.failed)
    .map((v) => ({
      step: v.vote.stepId,
      round: roundOf(v.vote.stepId, v.vote.planHash, seen),
      planHash: v.vote.planHash,
      approver: v.vote.approver,
      decision: v.vote.decision,
      ...(v.vote.reason ? { reason: v.vote.reason } : {}),
      at: v.at,
      channel: v.vote.channel,
      eventId: v.eventId,
      identity: v.identity,
    }));
  for (const s of state?.steps ?? []) {
    for (const a of s.approvals) {
      if (!a.expired) continue;
      rows.push({
        step: s.id,
        round: a.round,
        planHash: a.planHash,
        approver: a.decidedBy ?? 'policy',
        decision: a.decision === 'approved' ? 'approved-by-default' : 'rejected-by-default',
        at: a.decidedAt ?? '',
        channel: 'policy',
      });
    }
  }
  return rows;
}
