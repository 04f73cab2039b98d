import { awsFailureType, FAILURE_CATALOGUE, FailureType } from '../../../domain/failures';
import { VOTE_REFUSALS } from '../../../workflows/definitions';

describe('the failure type catalogue', () => {
  it('says for every type whether it is retryable, in one line', () => {
    for (const type of Object.values(FailureType)) {
      const spec = FAILURE_CATALOGUE[type];
      expect(typeof spec.retryable).toBe('boolean');
      expect(spec.doc).toMatch(/^\S.*\S$/);
      expect(spec.doc).not.toContain('\n');
    }
  });

  it('lists exactly the types FailureType names, each once', () => {
    const values = Object.values(FailureType);
    expect(new Set(values).size).toBe(values.length);
    expect(Object.keys(FAILURE_CATALOGUE).sort()).toEqual([...values].sort());
  });

  // Recorded histories (test/fixtures/histories) and auditors' exports carry these strings: they never change.
  it('keeps the type strings that recorded histories carry', () => {
    expect(FailureType.GitHubRateLimited).toBe('GITHUB_RATE_LIMITED');
    expect(FailureType.PlanHashMismatch).toBe('PLAN_HASH_MISMATCH');
    expect(FailureType.CrateNotFound).toBe('CRATE_NOT_FOUND');
    expect(FailureType.BadAck).toBe('BAD_ACK');
    expect(VOTE_REFUSALS).toEqual([
      'UNKNOWN_STEP',
      'NOT_AWAITING_APPROVAL',
      'STALE_PLAN',
      'NOT_IN_GROUP',
      'SEPARATION_OF_DUTIES',
      'ALREADY_VOTED',
      'REASON_REQUIRED',
      'BAD_SIGNATURE',
      'UNKNOWN_KEY',
      'ALIAS_OF_VOTER',
      'SIGNATURE_REQUIRED',
      'STALE_NONCE',
      'UNKNOWN_PRINCIPAL',
      'NOT_FAILED',
    ]);
    expect(awsFailureType('NoSuchEntity')).toBe('AWS_NoSuchEntity');
  });

  it('retries only what may get better: rate limits and outages', () => {
    const retryable = Object.values(FailureType).filter((t) => FAILURE_CATALOGUE[t].retryable);
    expect(retryable.sort()).toEqual(['GITHUB_RATE_LIMITED', 'GITHUB_UNAVAILABLE']);
  });
});
