import { z } from 'zod';
import { DURATION_PATTERN } from '../duration';

/** What can start an obligation's clock: facts of the incident, derived from its steps or recorded by people. */
export const TRIGGERS = ['incident-declared', 'exposure-confirmed', 'build-shipped', 'personal-data-exposed'] as const;
export type Trigger = (typeof TRIGGERS)[number];

const Id = z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected lower-case letters, digits and dashes (e.g. insurer)');
const Duration = z.string().regex(DURATION_PATTERN, 'expected a duration such as 30s, 15m, 4h, 1d');
const IsoDate = z.iso.date({ message: 'expected a date YYYY-MM-DD' });

/** Where a party is reached: an e-mail address (SMTP) or a Slack channel or user id. */
const ChannelSchema = z.union(
  [
    z.strictObject({ email: z.email({ message: 'expected an e-mail address' }) }),
    z.strictObject({ slack: z.string().min(1, 'expected a Slack channel (#legal) or user id') }),
  ],
  { error: 'expected { email: ADDRESS } or { slack: CHANNEL }' },
);

const PartySchema = z.strictObject({
  name: z.string().min(1),
  channels: z.array(ChannelSchema).min(1, 'a party needs at least one delivery channel'),
});

/** Hours after the clock starts, or business days (weekends and the calendar's holidays do not count). */
const DeadlineSchema = z.union(
  [
    z.strictObject({ hours: z.number().positive('expected a positive number of hours') }),
    z.strictObject({ businessDays: z.number().int().positive('expected a whole number of business days') }),
  ],
  { error: 'expected { hours: N } (N > 0) or { businessDays: N } (a whole number > 0)' },
);

const ObligationSchema = z.strictObject({
  id: Id,
  description: z.string().min(1),
  /** A key of `parties`: who must be told. */
  who: Id,
  trigger: z.enum(TRIGGERS),
  /** `discovery`: when the incident was declared; `confirmation`: when the trigger became true. */
  clockStart: z.enum(['discovery', 'confirmation']).default('confirmation'),
  deadline: DeadlineSchema,
  /** How long before the deadline to remind the owner and the incident thread. */
  reminders: z.array(Duration).default([]),
  /** Who answers for meeting the deadline (reminded), and who hears when it passes unacknowledged. */
  owner: z.string().min(1),
  escalateTo: z.string().min(1).optional(),
  acknowledgement: z
    .strictObject({
      expected: z.string().min(1),
      /** Whether the acknowledgement must carry the recipient's reference (claim or case number). */
      reference: z.enum(['required', 'optional']).default('optional'),
    })
    .default({ expected: 'receipt confirmed by the recipient', reference: 'optional' }),
});

/** The obligations file: parties, the business calendar, and each notice the organisation owes. */
export const ObligationsFileSchema = z.strictObject({
  apiVersion: z.literal('cordon/v1'),
  kind: z.literal('Obligations'),
  calendar: z
    .strictObject({
      /** IANA time zone the business days are counted in. */
      timeZone: z.string().min(1).default('UTC'),
      /** Days (0 = Sunday … 6 = Saturday) that are not business days. */
      weekend: z.array(z.number().int().min(0).max(6)).default([0, 6]),
      holidays: z.array(IsoDate).default([]),
    })
    .default({ timeZone: 'UTC', weekend: [0, 6], holidays: [] }),
  parties: z.record(Id, PartySchema),
  obligations: z.array(ObligationSchema).min(1),
});

export type ObligationsFile = z.output<typeof ObligationsFileSchema>;
export type Party = z.output<typeof PartySchema>;
export type Channel = z.output<typeof ChannelSchema>;
export type DeadlineRule = z.output<typeof DeadlineSchema>;

/** A business calendar: where and when business days are counted. */
export interface BusinessCalendar {
  timeZone: string;
  weekend: number[];
  holidays: string[];
}

/** One obligation ready for the workflow: durations in milliseconds, its party resolved. */
export interface CompiledObligation {
  id: string;
  description: string;
  who: string;
  partyName: string;
  trigger: Trigger;
  clockStart: 'discovery' | 'confirmation';
  deadline: DeadlineRule;
  /** Milliseconds before the deadline, largest first. */
  reminderOffsetsMs: number[];
  owner: string;
  escalateTo?: string;
  acknowledgement: { expected: string; reference: 'required' | 'optional' };
  channels: Channel[];
}

/** The obligations an incident runs with, passed in its input (with their sha256, like the playbook). */
export interface CompiledObligations {
  calendar: BusinessCalendar;
  parties: Record<string, Party>;
  obligations: CompiledObligation[];
  sha256: string;
}
