// One translation of what the Temporal client throws into cordon's error catalogue, so a wrong incident id, a shell
// without the codec keys or an update to a closed incident prints one line (exit 2) instead of an "internal error"
// with a stack. Anything it does not recognise passes through unchanged.
import { WorkflowNotFoundError } from '@temporalio/client';
import { ValueError } from '@temporalio/common';
import { ENCRYPTED_ENCODING } from '../codec/codec';
import { CordonError, ErrorCode, UserError } from '../config/errors';

// The server answers an update, signal or query to a closed execution with NOT_FOUND and this text (the SDK turns it
// into WorkflowNotFoundError): the incident exists, it just takes nothing more.
const CLOSED = /already completed/i;

const OBLIGATION = /^(incident-[^/]+)\/[^/]+\/obligation\/(.+)$/;

/** How a workflow id reads to the person who typed it, and what a closed one no longer takes. */
function subject(workflowId: string): { who: string; closed: string } {
  if (!workflowId) return { who: 'the incident', closed: 'it takes no more updates' };
  const ob = OBLIGATION.exec(workflowId);
  if (ob) return { who: `obligation ${ob[2]} of ${ob[1]}`, closed: 'its clock has ended (acknowledged or expired)' };
  return { who: `incident ${workflowId}`, closed: 'it takes no more facts, votes, acknowledgements or stand-downs' };
}

/**
 * `err` as a CordonError when it is one of the Temporal client's errors a user causes:
 * - WorkflowNotFoundError → E_NOT_FOUND naming the incident, or E_INCIDENT_CLOSED when the execution has completed;
 * - a payload this client cannot decode because it is `binary/encrypted` → E_CODEC_KEYS_MISSING saying to set
 *   CORDON_CODEC_KEYS.
 * Anything else (including CordonErrors) is returned as it is.
 */
export function fromTemporalError(err: unknown): unknown {
  if (err instanceof CordonError) return err;
  if (err instanceof WorkflowNotFoundError) {
    const { who, closed } = subject(err.workflowId);
    if (CLOSED.test(err.message))
      return new UserError(`${who} has closed: ${closed}`, ErrorCode.IncidentClosed, { cause: err });
    return new UserError(`${who} not found (\`cordon list\` shows the incidents)`, ErrorCode.NotFound, { cause: err });
  }
  if (isEncryptedPayloadError(err))
    return new UserError(
      `the incident's data is encrypted and this shell has no key: set CORDON_CODEC_KEYS (and CORDON_CODEC_ACTIVE_KEY) as the worker has them`,
      ErrorCode.CodecKeysMissing,
      { cause: err },
    );
  return err;
}

// Without a codec the default payload converter meets `binary/encrypted` and throws ValueError("Unknown encoding: …"),
// sometimes as the cause of the error the client call throws.
function isEncryptedPayloadError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++)
    if (e instanceof ValueError && e.message.includes(`Unknown encoding: ${ENCRYPTED_ENCODING}`)) return true;
  return false;
}
