// Modals the app opens: the declaration form and the rejection reason (https://api.slack.com/surfaces/modals).
import { SEVERITIES } from '../workflows/definitions';
import { encodeApprovalRef, type ApprovalRef } from '../domain/approval-button';

/** callback_ids of the app's modals. */
export const VIEWS = { declare: 'cordon_declare', reject: 'cordon_reject_reason' } as const;

const input = (blockId: string, label: string, placeholder: string, optional = false): Record<string, unknown> => ({
  type: 'input',
  block_id: blockId,
  optional,
  label: { type: 'plain_text', text: label },
  element: {
    type: 'plain_text_input',
    action_id: 'value',
    placeholder: { type: 'plain_text', text: placeholder },
  },
});

/** The `/cordon declare` form; `privateMetadata` carries the channel to answer in. */
export function declareModal(privateMetadata: string): Record<string, unknown> {
  return {
    type: 'modal',
    callback_id: VIEWS.declare,
    private_metadata: privateMetadata,
    title: { type: 'plain_text', text: 'Declare an incident' },
    submit: { type: 'plain_text', text: 'Declare' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      input('packages', 'Affected packages', 'npm:axios@1.14.1,0.30.4 (one or more, space-separated)'),
      input('since', 'Exposure since', 'ISO 8601 time; empty for 7 days ago', true),
      input('org', 'Organisation', 'GitHub organisation; empty for the default', true),
      {
        type: 'input',
        block_id: 'severity',
        label: { type: 'plain_text', text: 'Severity' },
        element: {
          type: 'static_select',
          action_id: 'value',
          initial_option: { text: { type: 'plain_text', text: 'high' }, value: 'high' },
          options: SEVERITIES.map((s) => ({ text: { type: 'plain_text', text: s }, value: s })),
        },
      },
    ],
  };
}

/** Asks a rejecting approver why; the approval it answers travels in private_metadata. */
export function rejectModal(ref: ApprovalRef, channel: string): Record<string, unknown> {
  return {
    type: 'modal',
    callback_id: VIEWS.reject,
    private_metadata: JSON.stringify({ ref: encodeApprovalRef(ref), channel }),
    title: { type: 'plain_text', text: 'Reject step' },
    submit: { type: 'plain_text', text: 'Reject' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `Reject *${ref.stepId}* of \`${ref.incidentId}\` (plan \`${ref.planHash.slice(0, 12)}\`)`,
        },
      },
      input('reason', 'Reason', 'Why this plan must not be applied'),
    ],
  };
}

/** A submitted modal's text and select values by block id (`state.values[block].value`). */
export function viewValues(state: unknown): Record<string, string | undefined> {
  const values = (state as { values?: Record<string, Record<string, unknown>> } | undefined)?.values ?? {};
  const out: Record<string, string | undefined> = {};
  for (const [block, actions] of Object.entries(values)) {
    const v = actions.value as { value?: string | null; selected_option?: { value?: string } | null } | undefined;
    const text = v?.selected_option?.value ?? v?.value ?? undefined;
    out[block] = text?.trim() ? text.trim() : undefined;
  }
  return out;
}
