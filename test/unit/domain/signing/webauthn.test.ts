// Assertions come from webauthn-fixtures.ts, built as the WebAuthn Level 3 spec lays them out.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { parseCoseKey, parseCredentialPublicKey, verifyWebAuthnAssertion } from '../../../../domain/signing/webauthn';

import { assert, authenticator, b64u, coseEs256, EXPECT, ORIGIN, type AssertionOptions } from './webauthn-fixtures';

describe('verifyWebAuthnAssertion', () => {
  const es = authenticator('p256', 'cred-es256');
  const ed = authenticator('ed25519', 'cred-eddsa');

  it.each([
    ['ES256', es],
    ['EdDSA', ed],
  ])('accepts a well-formed %s assertion and reports UV and the counter', (_alg, a) => {
    expect(verifyWebAuthnAssertion(assert(a), a.credential, EXPECT)).toEqual({
      ok: true,
      userVerified: true,
      signCount: 7,
    });
    expect(
      verifyWebAuthnAssertion(assert(a, { flags: 0x01 }), a.credential, { ...EXPECT, requireUserVerification: false }),
    ).toEqual({ ok: true, userVerified: false, signCount: 7 });
  });

  it('accepts any of the allowed origins', () => {
    const other = 'https://slack-confirm.example.com';
    const result = verifyWebAuthnAssertion(assert(es, { origin: other }), es.credential, {
      ...EXPECT,
      origins: [ORIGIN, other],
    });
    expect(result.ok).toBe(true);
  });

  it.each<[string, AssertionOptions, string]>([
    [
      'another vote’s challenge',
      { challenge: createHash('sha256').update('other').digest('base64url') },
      'WRONG_CHALLENGE',
    ],
    ['another relying party', { rpId: 'evil.example.com' }, 'WRONG_RP_ID'],
    ['another origin', { origin: 'https://evil.example.com' }, 'WRONG_ORIGIN'],
    ['a cross-origin frame', { crossOrigin: true }, 'WRONG_ORIGIN'],
    ['a registration response', { type: 'webauthn.create' }, 'WRONG_TYPE'],
    ['no user presence', { flags: 0x04 }, 'USER_NOT_PRESENT'],
  ])('refuses %s', (_what, options, problem) => {
    expect(verifyWebAuthnAssertion(assert(es, options), es.credential, EXPECT)).toMatchObject({ ok: false, problem });
  });

  it('refuses a missing UV flag when user verification is required', () => {
    expect(
      verifyWebAuthnAssertion(assert(es, { flags: 0x01 }), es.credential, { ...EXPECT, requireUserVerification: true }),
    ).toMatchObject({ ok: false, problem: 'USER_NOT_VERIFIED' });
  });

  it.each([
    ['ES256', es],
    ['EdDSA', ed],
  ])('refuses a %s signature by another key, over altered data, or garbled', (_alg, a) => {
    const good = assert(a);
    const stranger = authenticator(a === es ? 'p256' : 'ed25519', a.credential.id);
    expect(verifyWebAuthnAssertion(assert(stranger), a.credential, EXPECT)).toMatchObject({
      ok: false,
      problem: 'BAD_SIGNATURE',
    });
    // The counter is inside the signed authenticator data.
    const auth = Buffer.from(good.authenticatorData, 'base64url');
    auth[36] = auth[36]! ^ 1;
    expect(verifyWebAuthnAssertion({ ...good, authenticatorData: b64u(auth) }, a.credential, EXPECT)).toMatchObject({
      ok: false,
      problem: 'BAD_SIGNATURE',
    });
    expect(
      verifyWebAuthnAssertion({ ...good, signature: b64u(Buffer.from('junk')) }, a.credential, EXPECT),
    ).toMatchObject({
      ok: false,
      problem: 'BAD_SIGNATURE',
    });
  });

  it('refuses an assertion by another credential, and malformed fields', () => {
    expect(verifyWebAuthnAssertion(assert(ed), es.credential, EXPECT)).toMatchObject({
      ok: false,
      problem: 'UNKNOWN_CREDENTIAL',
    });
    const good = assert(es);
    expect(
      verifyWebAuthnAssertion({ ...good, clientDataJSON: b64u(Buffer.from('[1]')) }, es.credential, EXPECT),
    ).toMatchObject({
      ok: false,
      problem: 'MALFORMED',
    });
    expect(
      verifyWebAuthnAssertion({ ...good, authenticatorData: b64u(Buffer.alloc(36)) }, es.credential, EXPECT),
    ).toMatchObject({
      ok: false,
      problem: 'MALFORMED',
    });
    expect(verifyWebAuthnAssertion({ ...good, signature: 'not base64url!' }, es.credential, EXPECT)).toMatchObject({
      ok: false,
      problem: 'MALFORMED',
    });
  });
});

describe('credential public keys', () => {
  it('reads the same key from a COSE_Key and from SPKI DER, for ES256 and EdDSA', () => {
    for (const kind of ['p256', 'ed25519'] as const) {
      const a = authenticator(kind, 'c');
      expect(parseCredentialPublicKey(a.spki)).toEqual({
        ok: true,
        ...{ alg: a.credential.alg, publicKey: a.credential.publicKey },
      });
      expect(parseCredentialPublicKey(a.cose)).toEqual(parseCredentialPublicKey(a.spki));
    }
  });

  it('refuses RS256, a point off the curve, truncated CBOR and trailing bytes', () => {
    // {1: 3 (RSA), 3: -257 (RS256)}
    expect(parseCoseKey(Buffer.from([0xa2, 0x01, 0x03, 0x03, 0x39, 0x01, 0x00]))).toMatchObject({
      ok: false,
      problem: 'UNSUPPORTED_ALGORITHM',
    });
    const offCurve = coseEs256(Buffer.alloc(32, 1), Buffer.alloc(32, 2));
    expect(parseCoseKey(offCurve)).toMatchObject({ ok: false, problem: 'MALFORMED' });
    const a = authenticator('p256', 'c');
    expect(parseCoseKey(a.cose.subarray(0, 40))).toMatchObject({ ok: false, problem: 'MALFORMED' });
    expect(parseCoseKey(Buffer.concat([a.cose, Buffer.from([0])]))).toMatchObject({ ok: false, problem: 'MALFORMED' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'der', type: 'spki' });
    expect(parseCredentialPublicKey(rsa)).toMatchObject({ ok: false, problem: 'UNSUPPORTED_ALGORITHM' });
  });
});
