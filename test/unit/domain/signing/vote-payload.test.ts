import { createHash } from 'node:crypto';
import {
  voteChallenge,
  votePayloadBytes,
  votePayloadHash,
  votePayloadProblem,
  type VotePayload,
} from '../../../../domain/signing/vote-payload';

const PAYLOAD: VotePayload = {
  v: 1,
  incidentId: 'incident-axios-2026-03-31',
  stepId: 'rotate-aws-keys',
  round: 0,
  planHash: 'a'.repeat(64),
  decision: 'approve',
  reason: 'plan reviewed — rotate both keys',
  time: '2026-03-31T09:30:00.000Z',
  nonce: 'n-7f3c',
};

describe('vote payload', () => {
  it('is canonical JSON with sorted keys, whatever order the fields were given in', () => {
    const text = Buffer.from(votePayloadBytes(PAYLOAD)).toString('utf8');
    expect(text).toBe(
      '{"decision":"approve","incidentId":"incident-axios-2026-03-31","nonce":"n-7f3c","planHash":"' +
        'a'.repeat(64) +
        '","reason":"plan reviewed — rotate both keys","round":0,"stepId":"rotate-aws-keys","time":"2026-03-31T09:30:00.000Z","v":1}',
    );
    const reordered = Object.fromEntries(Object.entries(PAYLOAD).reverse()) as unknown as VotePayload;
    expect(votePayloadBytes(reordered)).toEqual(votePayloadBytes(PAYLOAD));
  });

  it('signs only the declared fields: an extra property does not change the bytes', () => {
    const extra = { ...PAYLOAD, principal: 'alice' } as VotePayload;
    expect(votePayloadBytes(extra)).toEqual(votePayloadBytes(PAYLOAD));
  });

  it('hashes with SHA-256 and gives the WebAuthn challenge as unpadded base64url of that hash', () => {
    const expected = createHash('sha256').update(votePayloadBytes(PAYLOAD)).digest();
    expect(Buffer.from(votePayloadHash(PAYLOAD))).toEqual(expected);
    expect(voteChallenge(PAYLOAD)).toBe(expected.toString('base64url'));
  });

  it('changes with every field, so a signature cannot be moved to another question', () => {
    const variants: Partial<VotePayload>[] = [
      { incidentId: 'incident-other' },
      { stepId: 'other-step' },
      { round: 1 },
      { planHash: 'b'.repeat(64) },
      { decision: 'reject' },
      { reason: '' },
      { time: '2026-03-31T09:30:01.000Z' },
      { nonce: 'n-other' },
    ];
    const hashes = new Set(variants.map((v) => voteChallenge({ ...PAYLOAD, ...v })));
    hashes.add(voteChallenge(PAYLOAD));
    expect(hashes.size).toBe(variants.length + 1);
  });

  it('names what is wrong with a malformed or unknown-version payload', () => {
    expect(votePayloadProblem(PAYLOAD)).toBeUndefined();
    expect(votePayloadProblem({ ...PAYLOAD, decision: 'stand-down' })).toBeUndefined();
    expect(votePayloadProblem(null)).toMatch(/not an object/);
    expect(votePayloadProblem({ ...PAYLOAD, v: 2 })).toMatch(/unsupported payload version 2/);
    expect(votePayloadProblem({ ...PAYLOAD, nonce: '' })).toMatch(/nonce/);
    expect(votePayloadProblem({ ...PAYLOAD, round: -1 })).toMatch(/round/);
    expect(votePayloadProblem({ ...PAYLOAD, decision: 'maybe' })).toMatch(/decision must be one of/);
    expect(votePayloadProblem({ ...PAYLOAD, time: '2026-03-31 09:30' })).toMatch(/ISO 8601/);
    expect(votePayloadProblem({ ...PAYLOAD, extra: 1 })).toMatch(/unknown payload field\(s\) extra/);
  });
});
