import {
  asCordonError,
  CordonError,
  ERROR_CATALOGUE,
  ErrorCode,
  InternalError,
  OperationalError,
  PinInputError,
  UserError,
  VoteRefused,
} from '../../../config/errors';
import { PinInputError as PinInputErrorFromLockfiles } from '../../../lockfiles/pin-types';
import { VoteRefused as VoteRefusedFromClient } from '../../../client/incidents';

describe('the error catalogue', () => {
  it('gives every code a category and a one-line doc', () => {
    for (const code of Object.values(ErrorCode)) {
      const spec = ERROR_CATALOGUE[code];
      expect(['user', 'operational', 'bug']).toContain(spec.category);
      expect(spec.doc).toMatch(/^\S.*\S$/);
      expect(spec.doc).not.toContain('\n');
    }
  });

  it('lists exactly the codes ErrorCode names, each once', () => {
    const values = Object.values(ErrorCode);
    expect(new Set(values).size).toBe(values.length);
    expect(Object.keys(ERROR_CATALOGUE).sort()).toEqual([...values].sort());
  });

  it('takes the category of an error from its code', () => {
    expect(new UserError('bad flag', ErrorCode.Usage)).toMatchObject({ code: 'E_USAGE', category: 'user' });
    expect(new OperationalError('down', ErrorCode.TemporalUnreachable)).toMatchObject({
      code: 'E_TEMPORAL_UNREACHABLE',
      category: 'operational',
    });
    expect(new UserError('bad')).toMatchObject({ code: 'E_USER', category: 'user' });
  });
});

describe('VoteRefused and PinInputError', () => {
  it('are user errors with catalogue codes, and the refusal code stays readable', () => {
    const refused = new VoteRefused('STALE_PLAN', 'STALE_PLAN: plan abc is not the plan awaiting approval');
    expect(refused).toBeInstanceOf(CordonError);
    expect(refused).toMatchObject({ code: 'E_VOTE_REFUSED', category: 'user', refusal: 'STALE_PLAN' });
    expect(refused.message).toBe('STALE_PLAN: plan abc is not the plan awaiting approval');
  });

  it('keep the pin error message as before', () => {
    const lock = new PinInputError('lockfile', 'is not valid JSON: Unexpected token');
    expect(lock.message).toBe('the lockfile is not valid JSON: Unexpected token');
    expect(lock).toMatchObject({ code: 'E_PIN_INPUT', category: 'user', file: 'lockfile' });
    expect(new PinInputError('manifest', 'is not valid TOML', 'Cargo.toml').message).toBe(
      'Cargo.toml is not valid TOML',
    );
    expect(new PinInputError('manifest', 'is missing').message).toBe('package.json is missing');
  });

  it('are still exported where callers import them', () => {
    expect(PinInputErrorFromLockfiles).toBe(PinInputError);
    expect(VoteRefusedFromClient).toBe(VoteRefused);
  });
});

describe('asCordonError', () => {
  it('returns a CordonError as it is', () => {
    const err = new UserError('declare needs --org ORG', ErrorCode.Usage);
    expect(asCordonError(err)).toBe(err);
  });

  it('wraps a plain Error as a bug, keeping it as the cause', () => {
    const cause = new TypeError("Cannot read properties of undefined (reading 'id')");
    const err = asCordonError(cause);
    expect(err).toBeInstanceOf(InternalError);
    expect(err).toMatchObject({ code: 'E_BUG', category: 'bug', message: cause.message });
    expect(err.cause).toBe(cause);
  });

  it('wraps a thrown string as a bug', () => {
    const err = asCordonError('boom');
    expect(err).toMatchObject({ code: 'E_BUG', category: 'bug', message: 'boom' });
    expect(err.cause).toBe('boom');
  });
});
