// The Temporal client's errors a user causes become catalogue errors (one line, exit 2); the rest pass through.
import { WorkflowNotFoundError } from '@temporalio/client';
import { ValueError } from '@temporalio/common';
import { fromTemporalError } from '../../../client/errors';
import type { CordonError } from '../../../config/errors';
import { ErrorCode, UserError } from '../../../config/errors';

const translated = (err: unknown): CordonError => {
  const e = fromTemporalError(err);
  expect(e).toBeInstanceOf(UserError);
  return e as CordonError;
};

describe('fromTemporalError', () => {
  it('names an unknown incident (the server answers NOT_FOUND, the SDK throws WorkflowNotFoundError)', () => {
    const e = translated(new WorkflowNotFoundError('workflow not found for ID: incident-nope', 'incident-nope', ''));
    expect(e.code).toBe(ErrorCode.NotFound);
    expect(e.message).toBe('incident incident-nope not found (`cordon list` shows the incidents)');
  });

  it('says an incident has closed when an update reaches a completed execution', () => {
    const e = translated(new WorkflowNotFoundError('workflow execution already completed', 'incident-acme', 'r1'));
    expect(e.code).toBe(ErrorCode.IncidentClosed);
    expect(e.message).toBe(
      'incident incident-acme has closed: it takes no more facts, votes, acknowledgements or stand-downs',
    );
  });

  it('names an obligation clock by its obligation and incident', () => {
    const id = 'incident-acme/0b1c/obligation/insurer-notice';
    const e = translated(new WorkflowNotFoundError('workflow execution already completed', id, undefined));
    expect(e.message).toBe(
      'obligation insurer-notice of incident-acme has closed: its clock has ended (acknowledged or expired)',
    );
  });

  it('says to set CORDON_CODEC_KEYS when a payload is encrypted, also as the cause of another error', () => {
    const direct = translated(new ValueError('Unknown encoding: binary/encrypted'));
    expect(direct.code).toBe(ErrorCode.CodecKeysMissing);
    expect(direct.message).toMatch(/set CORDON_CODEC_KEYS/);
    const wrapped = new Error('query failed', { cause: new ValueError('Unknown encoding: binary/encrypted') });
    expect(translated(wrapped).code).toBe(ErrorCode.CodecKeysMissing);
  });

  it('passes through what it does not recognise, and CordonErrors as they are', () => {
    const other = new ValueError('Unknown encoding: binary/zstd');
    expect(fromTemporalError(other)).toBe(other);
    const bug = new TypeError('x is undefined');
    expect(fromTemporalError(bug)).toBe(bug);
    const mine = new UserError('already one line', ErrorCode.Usage);
    expect(fromTemporalError(mine)).toBe(mine);
  });
});
