import { allHandlersFinished, ApplicationFailure, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { EngineActivities } from '../activities/types';
import {
  acknowledgeUpdate,
  noticeSentSignal,
  obligationQuery,
  type AcknowledgeInput,
  type ObligationInput,
  type ObligationState,
} from './definitions';
import { FailureType } from '../domain/failures';
import { clipText, firstOverLimit } from '../domain/limits';

// Regular (not local) activities: a reminder must reach people even if it has to wait out a Slack outage.
const engine = proxyActivities<EngineActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '1m', backoffCoefficient: 2 },
});

const nowIso = (): string => new Date().toISOString();

/** Validates an acknowledgement before it is accepted, so the caller hears at once what is missing. */
function validateAck(state: ObligationState, a: AcknowledgeInput): void {
  if (state.acknowledgement)
    throw ApplicationFailure.create({
      type: FailureType.AlreadyAcknowledged,
      message: `${state.id} was already acknowledged by ${state.acknowledgement.by} at ${state.acknowledgement.recordedAt}`,
      nonRetryable: true,
    });
  if (!a.by?.trim())
    throw ApplicationFailure.create({ type: FailureType.BadAck, message: 'acknowledgement needs who (by)' });
  if (state.expected.reference === 'required' && !a.reference?.trim())
    throw ApplicationFailure.create({
      type: FailureType.ReferenceRequired,
      message: `${state.id} expects ${state.expected.expected}: give the reference (--reference)`,
    });
  // Before anything is stored or posted: an oversized note would ride in every later query answer and notice.
  const tooLong = firstOverLimit({ reference: a.reference, note: a.note });
  if (tooLong) throw ApplicationFailure.create({ type: FailureType.TooLong, message: tooLong, nonRetryable: true });
  if (a.at !== undefined && Number.isNaN(Date.parse(a.at)))
    throw ApplicationFailure.create({
      type: FailureType.BadAck,
      message: `acknowledgement time is not ISO 8601: ${a.at}`,
    });
}

/**
 * One obligation's clock, as its own workflow so that it is durable (Temporal timers survive worker restarts) and
 * outlives the incident that started it. Reminds the owner and the incident thread at each offset before the
 * deadline, escalates when the deadline passes unacknowledged, and ends when the `acknowledge` update records who
 * acknowledged, when, and their reference.
 */
export async function obligationWorkflow(input: ObligationInput): Promise<ObligationState> {
  const o = input.obligation;
  const deadlineMs = Date.parse(input.deadline);
  const state: ObligationState = {
    incidentId: input.incidentId,
    id: o.id,
    who: o.who,
    partyName: o.partyName,
    description: o.description,
    owner: o.owner,
    ...(o.escalateTo ? { escalateTo: o.escalateTo } : {}),
    triggeredAt: input.triggeredAt,
    clockStartedAt: input.clockStartedAt,
    deadline: input.deadline,
    status: 'open',
    reminders: o.reminderOffsetsMs.map((before) => ({ before, at: new Date(deadlineMs - before).toISOString() })),
    expected: o.acknowledgement,
  };
  setHandler(obligationQuery, () => state);
  setHandler(noticeSentSignal, (n) => {
    // A retried delivery signals again with the same Message-ID: record it once.
    if (!state.sent?.some((s) => s.messageId === n.messageId)) (state.sent ??= []).push(n);
  });
  setHandler(
    acknowledgeUpdate,
    (a) => {
      const recordedAt = nowIso();
      state.acknowledgement = {
        by: a.by,
        at: a.at ? new Date(Date.parse(a.at)).toISOString() : recordedAt,
        ...(a.reference ? { reference: a.reference } : {}),
        ...(a.note ? { note: a.note } : {}),
        recordedAt,
      };
      state.status = 'acknowledged';
      return state;
    },
    { validator: (a) => validateAck(state, a) },
  );
  const acked = (): boolean => state.acknowledgement !== undefined;
  const post = (kind: string, text: string, mention: string[]): Promise<void> =>
    engine['cordon.timeline']({ incidentId: input.incidentId, at: nowIso(), kind, text: clipText(text), mention });
  /** Waits until `atMs` or an acknowledgement; true when acknowledged. */
  const waitUntil = async (atMs: number): Promise<boolean> => {
    const ms = atMs - Date.parse(nowIso());
    if (ms > 0) return condition(acked, ms);
    return acked();
  };

  for (const r of state.reminders) {
    if (await waitUntil(Date.parse(r.at))) break;
    r.sentAt = nowIso();
    const notice = state.sent?.length
      ? `notice sent ${state.sent[0]!.at}, awaiting acknowledgement`
      : 'no notice sent yet';
    await post(
      'obligation-reminder',
      `reminder: ${o.id} (${o.partyName}) is due ${input.deadline}; ${notice}; owner ${o.owner}; expected: ${o.acknowledgement.expected}`,
      [o.owner],
    );
  }
  if (!(await waitUntil(deadlineMs))) {
    state.status = 'overdue';
    state.escalatedAt = nowIso();
    await post(
      'obligation-overdue',
      `OVERDUE: ${o.id} (${o.partyName}) was due ${input.deadline} and is not acknowledged; owner ${o.owner}` +
        (o.escalateTo ? `, escalated to ${o.escalateTo}` : ''),
      [o.owner, ...(o.escalateTo ? [o.escalateTo] : [])],
    );
    await condition(acked);
  }
  const ack = state.acknowledgement!;
  await post(
    'obligation-acknowledged',
    `${o.id} acknowledged by ${ack.by} at ${ack.at}${ack.reference ? ` (reference ${ack.reference})` : ''}` +
      (Date.parse(ack.at) > deadlineMs ? ', after the deadline' : ''),
    [o.owner],
  );
  await condition(allHandlersFinished);
  return state;
}
