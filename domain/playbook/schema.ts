import { z } from 'zod';
import { DURATION_PATTERN } from '../duration';

const id = z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a lower-case id of letters, digits and dashes');
const duration = z.string().regex(DURATION_PATTERN, 'expected a duration such as 30s, 15m, 2h or 1d');

/** Who may approve a mutating step, how many must, and what happens when nobody answers. */
export const ApprovalPolicySchema = z
  .object({
    group: id.describe('Approver group, resolved to its members when the request is made'),
    quorum: z.int().min(1).max(10).default(1).describe('Distinct approvals needed'),
    separationOfDuties: z.boolean().default(true).describe('Whether the incident initiator is barred from approving'),
    timeout: duration.describe('How long the approver group has before escalation'),
    escalation: z
      .object({
        group: id.describe('Group added to the approvers when the timeout passes'),
        timeout: duration.describe('How long the escalation group has before the default applies'),
      })
      .strict()
      .optional(),
    onExpiry: z.enum(['reject', 'approve']).default('reject').describe('Decision taken when every window has passed'),
    proof: z
      .enum(['signed', 'slack'])
      .optional()
      .describe(
        "How a vote is proven: signed (the voter's SSH key or passkey) or slack (the Slack app's attestation also " +
          'counts); default signed for irreversible steps, slack otherwise',
      ),
  })
  .strict();

/** One step of a playbook. */
export const StepSchema = z
  .object({
    id,
    phase: id,
    name: z.string().min(1).optional(),
    action: z
      .string()
      .regex(/^[a-z][A-Za-z0-9]*\.[a-z][A-Za-z0-9]*$/, 'expected an action name such as github.disableWorkflows'),
    needs: z.array(id).default([]),
    inputs: z.record(z.string(), z.unknown()).default({}),
    mutates: z.boolean(),
    undo: z
      .object({ action: z.string().min(1), inputs: z.record(z.string(), z.unknown()).optional() })
      .strict()
      .optional(),
    undoOnStandDown: z
      .boolean()
      .optional()
      .describe("Whether a stand-down runs this step's undo (default true); false keeps the change in place"),
    approval: ApprovalPolicySchema.optional(),
    onReject: z
      .enum(['skip', 'halt'])
      .default('skip')
      .describe('skip: the step and its dependents are skipped; halt: stand down'),
    continueOnError: z
      .boolean()
      .default(false)
      .describe(
        'Kept for older playbooks: a failed step now always waits for retry or skip while the rest of the incident runs',
      ),
    timeout: duration.default('5m').describe('Start-to-close timeout of each activity of the step'),
    delay: duration
      .optional()
      .describe('Wait this long after the needs succeed before planning (a durable timer: a grace period)'),
    maxAttempts: z.int().min(1).max(20).default(5),
    forEach: z
      .object({
        items: z.string().describe('Expression giving the list to fan out over'),
        batchSize: z.int().min(1).max(1000).default(100),
      })
      .strict()
      .optional()
      .describe('Fan out over a list in child workflows, one per batch'),
  })
  .strict();

/** A playbook file. */
export const PlaybookSchema = z
  .object({
    apiVersion: z.literal('cordon/v1'),
    kind: z.literal('Playbook'),
    name: id,
    version: z.union([z.int(), z.string()]).transform(String),
    description: z.string().optional(),
    phases: z.array(id).min(1),
    standDown: z
      .object({
        group: id.describe('Group whose members decide a stand-down'),
        quorum: z.int().min(1).max(10).default(1).describe('Distinct approvals a stand-down needs'),
        proof: z.enum(['signed', 'slack']).default('signed').describe('How a stand-down vote is proven'),
      })
      .strict()
      .optional()
      .describe('Who approves a stand-down (which runs the undos); default: a leads-like approver group, quorum 1'),
    steps: z.array(StepSchema).min(1),
  })
  .strict();

export type PlaybookInput = z.input<typeof PlaybookSchema>;
export type Playbook = z.output<typeof PlaybookSchema>;
export type PlaybookStep = z.output<typeof StepSchema>;
export type ApprovalPolicyInput = z.output<typeof ApprovalPolicySchema>;

/** JSON Schema of the playbook format, for editors (generated from the same zod source). */
export function playbookJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(PlaybookSchema, { io: 'input' }) as Record<string, unknown>;
}
