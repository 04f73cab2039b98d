import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { bytesEqual, fromBase64Url, toBase64Url } from './bytes';
import { CborError, decodeCbor } from './cbor';

/** COSE algorithm identifiers cordon accepts (IANA COSE registry): ES256 (P-256, SHA-256) and EdDSA (Ed25519). */
export type CoseAlgorithm = -7 | -8;

/** An enrolled passkey: plain JSON, pinned into workflow history with the approver group. */
export interface WebAuthnCredential {
  /** The credential id, base64url (as `PublicKeyCredential.id`). */
  id: string;
  alg: CoseAlgorithm;
  /** The raw public key, base64url: the uncompressed SEC1 point for ES256, 32 bytes for EdDSA. */
  publicKey: string;
}

/** A public key or why not; `problem` is stable. */
export type CredentialKeyResult =
  | { ok: true; alg: CoseAlgorithm; publicKey: string }
  | { ok: false; problem: 'MALFORMED' | 'UNSUPPORTED_ALGORITHM'; message: string };

// SubjectPublicKeyInfo prefixes (RFC 5480 for id-ecPublicKey/prime256v1, RFC 8410 for id-Ed25519): with the
// algorithm fixed, the DER before the key bytes is a constant, so no general ASN.1 parser is needed.
const SPKI_P256 = Uint8Array.from([
  0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
  0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
]);
const SPKI_ED25519 = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

function checkedKey(alg: CoseAlgorithm, raw: Uint8Array): CredentialKeyResult {
  const valid =
    alg === -7
      ? raw.length === 65 && p256.utils.isValidPublicKey(raw, false)
      : raw.length === 32 && ed25519.utils.isValidPublicKey(raw, false);
  return valid
    ? { ok: true, alg, publicKey: toBase64Url(raw) }
    : { ok: false, problem: 'MALFORMED', message: `not a valid ${alg === -7 ? 'P-256' : 'Ed25519'} public key` };
}

/**
 * Parses a COSE_Key (RFC 9053 §7): EC2 P-256 with alg ES256 (-7), or OKP Ed25519 with alg EdDSA (-8). This is
 * what the registration step reads out of attested credential data (`AuthenticatorAttestationResponse.getPublicKey`
 * gives SPKI instead: see {@link parseCredentialPublicKey}).
 */
export function parseCoseKey(bytes: Uint8Array): CredentialKeyResult {
  let map;
  try {
    const { value, end } = decodeCbor(bytes);
    if (!(value instanceof Map)) return { ok: false, problem: 'MALFORMED', message: 'COSE_Key is not a CBOR map' };
    if (end !== bytes.length) return { ok: false, problem: 'MALFORMED', message: 'bytes after the COSE_Key' };
    map = value;
  } catch (e) {
    if (e instanceof CborError) return { ok: false, problem: 'MALFORMED', message: e.message };
    throw e;
  }
  const kty = map.get(1);
  const alg = map.get(3);
  const crv = map.get(-1);
  const x = map.get(-2);
  if (kty === 2 && alg === -7 && crv === 1) {
    const y = map.get(-3);
    if (!(x instanceof Uint8Array) || !(y instanceof Uint8Array) || x.length !== 32 || y.length !== 32)
      return { ok: false, problem: 'MALFORMED', message: 'EC2 key needs 32-byte x and y' };
    return checkedKey(-7, concatBytes(Uint8Array.of(4), x, y));
  }
  if (kty === 1 && alg === -8 && crv === 6) {
    if (!(x instanceof Uint8Array)) return { ok: false, problem: 'MALFORMED', message: 'OKP key needs x' };
    return checkedKey(-8, x);
  }
  return {
    ok: false,
    problem: 'UNSUPPORTED_ALGORITHM',
    message: `unsupported COSE key (kty ${String(kty)}, alg ${String(alg)}, crv ${String(crv)}): ES256 P-256 or EdDSA Ed25519`,
  };
}

/** Parses a credential public key given as a COSE_Key (CBOR map) or as SubjectPublicKeyInfo DER. */
export function parseCredentialPublicKey(bytes: Uint8Array): CredentialKeyResult {
  if (bytes.length === SPKI_P256.length + 65 && bytesEqual(bytes.subarray(0, SPKI_P256.length), SPKI_P256))
    return checkedKey(-7, bytes.subarray(SPKI_P256.length));
  if (bytes.length === SPKI_ED25519.length + 32 && bytesEqual(bytes.subarray(0, SPKI_ED25519.length), SPKI_ED25519))
    return checkedKey(-8, bytes.subarray(SPKI_ED25519.length));
  if (bytes[0] === 0x30)
    return { ok: false, problem: 'UNSUPPORTED_ALGORITHM', message: 'SPKI key is neither P-256 nor Ed25519' };
  return parseCoseKey(bytes);
}

/** An assertion as the browser returns it (`AuthenticatorAssertionResponse`), every field base64url. */
export interface WebAuthnAssertion {
  credentialId: string;
  authenticatorData: string;
  clientDataJSON: string;
  signature: string;
}

/** What the assertion must satisfy. */
export interface WebAuthnExpectation {
  /** base64url of the expected challenge (for a vote: {@link voteChallenge} of its payload). */
  challenge: string;
  /** The relying party id, e.g. `cordon.example.com`; the authenticator data carries its SHA-256. */
  rpId: string;
  /** Origins the confirmation page is served from, e.g. `https://cordon.example.com`. */
  origins: readonly string[];
  /** Require the user-verified flag (PIN or biometric), not only user presence. @default false */
  requireUserVerification?: boolean;
}

/** Why an assertion was refused (stable codes). */
export type WebAuthnProblem =
  | 'MALFORMED'
  | 'WRONG_TYPE'
  | 'WRONG_CHALLENGE'
  | 'WRONG_ORIGIN'
  | 'WRONG_RP_ID'
  | 'USER_NOT_PRESENT'
  | 'USER_NOT_VERIFIED'
  | 'UNSUPPORTED_ALGORITHM'
  | 'UNKNOWN_CREDENTIAL'
  | 'BAD_SIGNATURE';

/** The outcome; on success, the authenticator's flags and signature counter for the record. */
export type WebAuthnResult =
  { ok: true; userVerified: boolean; signCount: number } | { ok: false; problem: WebAuthnProblem; message: string };

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;

function fail(problem: WebAuthnProblem, message: string): WebAuthnResult {
  return { ok: false, problem, message };
}

function decodeClientData(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies a WebAuthn assertion as a relying party must (WebAuthn Level 3, §7.2 "Verifying an Authentication
 * Assertion"): client data type, challenge and origin; rpIdHash; UP (and UV if required); and the signature
 * over authenticatorData || SHA-256(clientDataJSON) by the enrolled credential. Pure and deterministic.
 */
export function verifyWebAuthnAssertion(
  assertion: WebAuthnAssertion,
  credential: WebAuthnCredential,
  expect: WebAuthnExpectation,
): WebAuthnResult {
  if (assertion.credentialId !== credential.id)
    return fail('UNKNOWN_CREDENTIAL', `assertion is by credential ${assertion.credentialId}, not ${credential.id}`);
  const authData = fromBase64Url(assertion.authenticatorData);
  const clientDataBytes = fromBase64Url(assertion.clientDataJSON);
  const signature = fromBase64Url(assertion.signature);
  const publicKey = fromBase64Url(credential.publicKey);
  if (!authData || !clientDataBytes || !signature || !publicKey) return fail('MALFORMED', 'a field is not base64url');
  const clientData = decodeClientData(clientDataBytes);
  if (!clientData) return fail('MALFORMED', 'clientDataJSON is not a JSON object');
  if (clientData.type !== 'webauthn.get')
    return fail('WRONG_TYPE', `clientData type ${JSON.stringify(clientData.type)}, expected "webauthn.get"`);
  if (clientData.challenge !== expect.challenge) return fail('WRONG_CHALLENGE', 'the challenge is not this vote’s');
  if (typeof clientData.origin !== 'string' || !expect.origins.includes(clientData.origin))
    return fail('WRONG_ORIGIN', `origin ${JSON.stringify(clientData.origin)} is not allowed`);
  // A page embedded in another site's frame could be tricked into asking; the confirmation page never is.
  if (clientData.crossOrigin === true) return fail('WRONG_ORIGIN', 'cross-origin assertion');
  // authenticatorData: rpIdHash (32) | flags (1) | signCount (4, big-endian) | extensions...
  if (authData.length < 37) return fail('MALFORMED', 'authenticatorData is shorter than 37 bytes');
  if (!bytesEqual(authData.subarray(0, 32), sha256(utf8ToBytes(expect.rpId))))
    return fail('WRONG_RP_ID', `rpIdHash is not SHA-256 of "${expect.rpId}"`);
  const flags = authData[32]!;
  if ((flags & FLAG_UP) === 0) return fail('USER_NOT_PRESENT', 'the user-present flag is not set');
  const userVerified = (flags & FLAG_UV) !== 0;
  if (expect.requireUserVerification && !userVerified)
    return fail('USER_NOT_VERIFIED', 'the user-verified flag is not set');
  const signCount = ((authData[33]! << 24) | (authData[34]! << 16) | (authData[35]! << 8) | authData[36]!) >>> 0;
  const signed = concatBytes(authData, sha256(clientDataBytes));
  let valid = false;
  try {
    if (credential.alg === -7)
      // ES256 assertions are ASN.1 DER (WebAuthn §6.5.5); authenticators do not normalise s.
      valid = p256.verify(signature, signed, publicKey, { prehash: true, lowS: false, format: 'der' });
    else if (credential.alg === -8) valid = ed25519.verify(signature, signed, publicKey, { zip215: false });
    else return fail('UNSUPPORTED_ALGORITHM', `COSE algorithm ${String(credential.alg)}`);
  } catch {
    valid = false; // malformed DER or key: a bad signature, never a crash in the validator
  }
  return valid ? { ok: true, userVerified, signCount } : fail('BAD_SIGNATURE', 'the signature does not verify');
}
