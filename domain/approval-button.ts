// What an approval message's buttons carry: shared by the notifier that posts them and the Slack app that reads
// the clicks, so neither has to look the request up again to know which plan the click is about.

/** `action_id`s of the approval message's buttons. */
export const APPROVAL_ACTIONS = {
  approve: 'cordon_approve',
  reject: 'cordon_reject',
  viewPlan: 'cordon_view_plan',
} as const;

/** Identifies one approval request: a click votes on exactly this plan (a changed plan is a new request). */
export interface ApprovalRef {
  incidentId: string;
  stepId: string;
  planHash: string;
}

/** Encodes a reference into a button value (Slack allows 2,000 characters; ids and a sha256 fit easily). */
export function encodeApprovalRef(ref: ApprovalRef): string {
  return JSON.stringify({ i: ref.incidentId, s: ref.stepId, h: ref.planHash });
}

/** Reads a button value back; undefined when it is not one of ours (a forged or truncated payload). */
export function decodeApprovalRef(value: unknown): ApprovalRef | undefined {
  if (typeof value !== 'string') return undefined;
  let v: unknown;
  try {
    v = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const { i, s, h } = v as Record<string, unknown>;
  if (typeof i !== 'string' || typeof s !== 'string' || typeof h !== 'string' || !i || !s || !/^[0-9a-f]{64}$/.test(h))
    return undefined;
  return { incidentId: i, stepId: s, planHash: h };
}
