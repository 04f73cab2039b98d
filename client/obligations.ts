// Client operations on notice obligations: load the file for a declaration, read each clock, acknowledge, record facts.
import { readFileSync } from 'node:fs';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { loadObligations, type CompiledObligations } from '../domain/notify';
import { formatProblem } from '../domain/playbook';
import { firstOverLimit, overLimit } from '../domain/limits';
import { ErrorCode, UserError } from '../config/errors';
import {
  acknowledgeUpdate,
  obligationQuery,
  recordFactUpdate,
  statusQuery,
  type AcknowledgeInput,
  type IncidentState,
  type ObligationState,
  type RecordFactInput,
} from '../workflows/definitions';
import { incidentHandle } from './incidents';

/** Reads and validates an obligations file, or throws a UserError listing every problem with file:line:col. */
export function loadObligationsFile(file: string, label = file): CompiledObligations {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(
      `cannot read obligations ${label}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      ErrorCode.Obligations,
    );
  }
  const r = loadObligations(text, label);
  if (!r.ok) throw new UserError(r.problems.map(formatProblem).join('\n'), ErrorCode.Obligations);
  return r.obligations;
}

/** The live state of every obligation an incident started (each clock is its own workflow). */
export async function obligationStates(client: Client, state: IncidentState): Promise<ObligationState[]> {
  return Promise.all(
    (state.obligations ?? []).map((o) => client.workflow.getHandle(o.workflowId).query(obligationQuery)),
  );
}

/** An update the workflow refused (its validator's message), as one line for the user. */
function refused(err: unknown, what: string): unknown {
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause as { message?: string } | undefined;
    return new UserError(`${what} refused: ${cause?.message ?? err.message}`, ErrorCode.Refused);
  }
  return err;
}

/** Records an obligation's acknowledgement (who, when, reference): stops its clock. */
export async function acknowledgeObligation(
  client: Client,
  incidentId: string,
  obligationId: string,
  ack: AcknowledgeInput,
): Promise<ObligationState> {
  // Refused before sending, with the validator's words: Slack and the CLI both come through here.
  const tooLong = firstOverLimit({ reference: ack.reference, note: ack.note });
  if (tooLong) throw new UserError(`acknowledgement refused: ${tooLong}`, ErrorCode.TooLong);
  // The incident knows where each of its clocks runs, closed or not.
  const state = await incidentHandle(client, incidentId).query(statusQuery);
  const ref = state.obligations?.find((o) => o.id === obligationId);
  if (!ref) {
    const started = (state.obligations ?? []).map((o) => o.id).join(', ') || 'none';
    throw new UserError(`${incidentId} has no obligation "${obligationId}" (started: ${started})`, ErrorCode.NotFound);
  }
  try {
    return await client.workflow.getHandle(ref.workflowId).executeUpdate(acknowledgeUpdate, { args: [ack] });
  } catch (err) {
    throw refused(err, 'acknowledgement');
  }
}

/** Records a fact on the incident (e.g. personal data possibly exposed), starting the obligations it triggers. */
export async function recordFact(client: Client, incidentId: string, fact: RecordFactInput): Promise<void> {
  const tooLong = overLimit('note', fact.note);
  if (tooLong) throw new UserError(`fact refused: ${tooLong}`, ErrorCode.TooLong);
  try {
    await incidentHandle(client, incidentId).executeUpdate(recordFactUpdate, { args: [fact] });
  } catch (err) {
    throw refused(err, 'fact');
  }
}
