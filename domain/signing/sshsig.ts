import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { bytesEqual, fromBase64, SshReader, sshString, toBase64, TruncatedError } from './bytes';
import { parseSshKeyBlob, type SshPublicKey } from './ssh-key';

// The format is OpenSSH's PROTOCOL.sshsig: what `ssh-keygen -Y sign` writes and `ssh-keygen -Y verify` reads.
const MAGIC = utf8ToBytes('SSHSIG');
const BEGIN = '-----BEGIN SSH SIGNATURE-----';
const END = '-----END SSH SIGNATURE-----';

/** The SSHSIG namespace cordon votes are signed in (`ssh-keygen -Y sign -n cordon-vote`). */
export const VOTE_NAMESPACE = 'cordon-vote';

/** The message hashes PROTOCOL.sshsig allows. */
export type SshsigHash = 'sha256' | 'sha512';

/** A decoded SSHSIG signature, before any check against a message or a key. */
export interface Sshsig {
  /** The signer's public key as embedded in the signature. */
  publicKey: SshPublicKey;
  namespace: string;
  /** Reserved for future use; PROTOCOL.sshsig says to ignore it, but it is part of the signed data. */
  reserved: Uint8Array;
  hashAlgorithm: string;
  /** The signature's own algorithm name (`ssh-ed25519`, `ecdsa-sha2-nistp256`). */
  signatureAlgorithm: string;
  /** The raw signature: 64 bytes for Ed25519; for ECDSA, the SSH blob of mpint r and mpint s. */
  signature: Uint8Array;
}

/** Why a signature was refused: stable codes that callers map to their own (e.g. BAD_SIGNATURE, UNKNOWN_KEY). */
export type SshsigProblem =
  | 'BAD_ARMOR'
  | 'MALFORMED'
  | 'UNSUPPORTED_VERSION'
  | 'TRAILING_DATA'
  | 'UNSUPPORTED_ALGORITHM'
  | 'UNSUPPORTED_HASH'
  | 'WRONG_NAMESPACE'
  | 'KEY_NOT_ALLOWED'
  | 'BAD_SIGNATURE';

/** Outcome of parsing or verifying; `key` is the allowed key that signed. */
export type SshsigResult<T> = ({ ok: true } & T) | { ok: false; problem: SshsigProblem; message: string };

function fail(problem: SshsigProblem, message: string): { ok: false; problem: SshsigProblem; message: string } {
  return { ok: false, problem, message };
}

/** Strips the armor and decodes the base64 body; anything but whitespace around the armor is refused. */
function unarmor(armored: string): Uint8Array | undefined {
  const text = armored.trim();
  if (!text.startsWith(BEGIN) || !text.endsWith(END)) return undefined;
  const body = text.slice(BEGIN.length, text.length - END.length).replace(/\s+/g, '');
  return body.length > 0 ? fromBase64(body) : undefined;
}

/** Decodes an armored SSHSIG (`-----BEGIN SSH SIGNATURE-----`) without verifying it. */
export function parseSshsig(armored: string): SshsigResult<{ sig: Sshsig }> {
  const blob = unarmor(armored);
  if (!blob) return fail('BAD_ARMOR', 'not an armored SSH signature (-----BEGIN SSH SIGNATURE-----)');
  try {
    const r = new SshReader(blob);
    if (!bytesEqual(r.bytes(MAGIC.length), MAGIC)) return fail('MALFORMED', 'missing the SSHSIG preamble');
    const version = r.uint32();
    if (version !== 1) return fail('UNSUPPORTED_VERSION', `SSHSIG version ${version} (only 1 is defined)`);
    const keyBlob = r.string();
    const namespace = r.text();
    const reserved = r.string();
    const hashAlgorithm = r.text();
    const sigBlob = r.string();
    if (r.remaining !== 0) return fail('TRAILING_DATA', 'bytes after the signature');
    const key = parseSshKeyBlob(keyBlob);
    if (!key.ok)
      return fail(key.problem === 'UNSUPPORTED_ALGORITHM' ? 'UNSUPPORTED_ALGORITHM' : 'MALFORMED', key.message);
    const s = new SshReader(sigBlob);
    const signatureAlgorithm = s.text();
    const signature = s.string();
    if (s.remaining !== 0) return fail('TRAILING_DATA', 'bytes after the signature blob');
    return {
      ok: true,
      sig: { publicKey: key.key, namespace, reserved, hashAlgorithm, signatureAlgorithm, signature },
    };
  } catch (e) {
    if (e instanceof TruncatedError) return fail('MALFORMED', 'signature is truncated');
    throw e;
  }
}

/** The bytes the key actually signs (PROTOCOL.sshsig, "Signed Data"): preamble, namespace, reserved, hash, H(m). */
function signedData(sig: Sshsig, messageHash: Uint8Array): Uint8Array {
  return concatBytes(
    MAGIC,
    sshString(utf8ToBytes(sig.namespace)),
    sshString(sig.reserved),
    sshString(utf8ToBytes(sig.hashAlgorithm)),
    sshString(messageHash),
  );
}

/** Reads an SSH mpint as an unsigned fixed 32-byte big-endian integer, as sshbuf_get_bignum2_bytes_direct() does. */
function mpint32(r: SshReader): Uint8Array | undefined {
  let d = r.string();
  if (d.length > 0 && (d[0]! & 0x80) !== 0) return undefined; // negative
  let i = 0;
  while (i < d.length && d[i] === 0) i++;
  d = d.subarray(i);
  if (d.length > 32) return undefined;
  const out = new Uint8Array(32);
  out.set(d, 32 - d.length);
  return out;
}

function verifyRaw(sig: Sshsig, data: Uint8Array): SshsigResult<object> {
  const key = fromBase64(sig.publicKey.key)!;
  if (sig.signatureAlgorithm !== sig.publicKey.algorithm)
    return fail(
      'UNSUPPORTED_ALGORITHM',
      `signature algorithm "${sig.signatureAlgorithm}" for a ${sig.publicKey.algorithm} key`,
    );
  let valid: boolean;
  try {
    if (sig.publicKey.algorithm === 'ssh-ed25519') {
      if (sig.signature.length !== 64) return fail('MALFORMED', 'Ed25519 signature is not 64 bytes');
      // Strict RFC 8032 decoding: one key, one signature encoding.
      valid = ed25519.verify(sig.signature, data, key, { zip215: false });
    } else {
      const r = new SshReader(sig.signature);
      const rr = mpint32(r);
      const ss = mpint32(r);
      if (!rr || !ss || r.remaining !== 0) return fail('MALFORMED', 'ECDSA signature is not (mpint r, mpint s)');
      // ecdsa-sha2-nistp256 signs SHA-256 of the data (RFC 5656 §6.2.1); OpenSSH does not normalise s to low-S.
      valid = p256.verify(concatBytes(rr, ss), data, key, { prehash: true, lowS: false, format: 'compact' });
    }
  } catch (e) {
    if (e instanceof TruncatedError) return fail('MALFORMED', 'signature blob is truncated');
    valid = false; // noble throws on out-of-range scalars or points: that is a bad signature, not a crash
  }
  return valid ? { ok: true } : fail('BAD_SIGNATURE', 'the signature does not match the message and key');
}

/** What a signature must satisfy: the message it covers, its namespace, and the keys allowed to have signed. */
export interface SshsigExpectation {
  message: Uint8Array;
  namespace: string;
  /** Keys enrolled for the signer; the signature's key must be one of them (compared by blob, not comment). */
  allowedKeys: readonly Pick<SshPublicKey, 'blob' | 'fingerprint'>[];
}

/**
 * Verifies an armored SSHSIG as `ssh-keygen -Y verify` does: namespace, hash algorithm, key allowed, and the
 * signature over the signed data. Pure and deterministic, so a workflow's update validator can call it.
 */
export function verifySshsig(armored: string, expect: SshsigExpectation): SshsigResult<{ fingerprint: string }> {
  const parsed = parseSshsig(armored);
  if (!parsed.ok) return parsed;
  const { sig } = parsed;
  if (sig.namespace !== expect.namespace)
    return fail('WRONG_NAMESPACE', `signed in namespace "${sig.namespace}", expected "${expect.namespace}"`);
  let hash: Uint8Array;
  if (sig.hashAlgorithm === 'sha512') hash = sha512(expect.message);
  else if (sig.hashAlgorithm === 'sha256') hash = sha256(expect.message);
  else return fail('UNSUPPORTED_HASH', `unsupported hash "${sig.hashAlgorithm}" (sha256, sha512)`);
  const allowed = expect.allowedKeys.find((k) => k.blob === sig.publicKey.blob);
  if (!allowed) return fail('KEY_NOT_ALLOWED', `key ${sig.publicKey.fingerprint} is not enrolled for this signer`);
  const verified = verifyRaw(sig, signedData(sig, hash));
  return verified.ok ? { ok: true, fingerprint: allowed.fingerprint } : verified;
}

/** Re-armors a signature blob the way ssh-keygen does (70-column base64 lines), for tests and exports. */
export function armorSshsig(blob: Uint8Array): string {
  const b64 = toBase64(blob);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 70) lines.push(b64.slice(i, i + 70));
  return `${BEGIN}\n${lines.join('\n')}\n${END}\n`;
}
