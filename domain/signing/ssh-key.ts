import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesEqual, fromBase64, SshReader, toBase64, TruncatedError } from './bytes';

/** The OpenSSH public key algorithms cordon accepts for votes (as git's allowed_signers uses them). */
export type SshKeyAlgorithm = 'ssh-ed25519' | 'ecdsa-sha2-nistp256';

/** A parsed OpenSSH public key. Plain JSON, so it can be pinned into workflow history as it is. */
export interface SshPublicKey {
  algorithm: SshKeyAlgorithm;
  /** The raw key: 32 bytes for Ed25519, the uncompressed SEC1 point (65 bytes) for P-256; base64. */
  key: string;
  /** The whole wire-format key blob, base64: what the `AAAA…` field of the key line holds. */
  blob: string;
  /** `SHA256:…` exactly as `ssh-keygen -lf` prints it. */
  fingerprint: string;
  /** The free-text comment after the key, if any (not part of the key). */
  comment?: string;
}

/** Why a key line was refused; stable, so callers and tests can match on it. */
export type SshKeyProblem = 'MALFORMED' | 'UNSUPPORTED_ALGORITHM' | 'ALGORITHM_MISMATCH' | 'TRAILING_DATA';

/** A key, or why not. */
export type SshKeyResult = { ok: true; key: SshPublicKey } | { ok: false; problem: SshKeyProblem; message: string };

function fail(problem: SshKeyProblem, message: string): SshKeyResult {
  return { ok: false, problem, message };
}

/** `SHA256:` + unpadded base64 of the SHA-256 of the key blob (what `ssh-keygen -lf` prints by default). */
export function sshFingerprint(blob: Uint8Array): string {
  return `SHA256:${toBase64(sha256(blob), false)}`;
}

/**
 * Decodes a wire-format public key blob (RFC 4253 §6.6, RFC 8709 for Ed25519, RFC 5656 §3.1 for ECDSA).
 * Used both for key lines and for the key embedded in an SSHSIG signature.
 */
export function parseSshKeyBlob(blob: Uint8Array, comment?: string): SshKeyResult {
  try {
    const r = new SshReader(blob);
    const algorithm = r.text();
    let key: Uint8Array;
    if (algorithm === 'ssh-ed25519') {
      key = r.string();
      if (key.length !== 32) return fail('MALFORMED', `Ed25519 key is ${key.length} bytes, expected 32`);
      if (!ed25519.utils.isValidPublicKey(key, false)) return fail('MALFORMED', 'not a valid Ed25519 public key');
    } else if (algorithm === 'ecdsa-sha2-nistp256') {
      const curve = r.text();
      if (curve !== 'nistp256') return fail('MALFORMED', `ecdsa-sha2-nistp256 key names curve "${curve}"`);
      key = r.string();
      // OpenSSH writes and accepts only uncompressed points.
      if (key.length !== 65 || key[0] !== 4) return fail('MALFORMED', 'P-256 key is not an uncompressed point');
      // Refused at enrollment rather than at the first vote: a point off the curve can never verify anything.
      if (!p256.utils.isValidPublicKey(key, false)) return fail('MALFORMED', 'P-256 key is not a point on the curve');
    } else {
      return fail('UNSUPPORTED_ALGORITHM', `unsupported key type "${algorithm}" (ssh-ed25519, ecdsa-sha2-nistp256)`);
    }
    if (r.remaining !== 0) return fail('TRAILING_DATA', 'key blob has bytes after the key');
    return {
      ok: true,
      key: {
        algorithm,
        key: toBase64(key),
        blob: toBase64(blob),
        fingerprint: sshFingerprint(blob),
        ...(comment ? { comment } : {}),
      },
    };
  } catch (e) {
    if (e instanceof TruncatedError) return fail('MALFORMED', 'key blob is truncated');
    throw e;
  }
}

/**
 * Parses one OpenSSH public key line (`ssh-ed25519 AAAA… comment`, the format of `*.pub` and authorized_keys
 * without options). The type before the blob must agree with the type inside it, as sshkey_read() insists.
 */
export function parseSshPublicKey(line: string): SshKeyResult {
  const fields = line.trim().split(/\s+/);
  const [type, data] = fields;
  if (!type || !data) return fail('MALFORMED', 'expected "<type> <base64> [comment]"');
  if (type !== 'ssh-ed25519' && type !== 'ecdsa-sha2-nistp256')
    return fail('UNSUPPORTED_ALGORITHM', `unsupported key type "${type}" (ssh-ed25519, ecdsa-sha2-nistp256)`);
  const blob = fromBase64(data);
  if (!blob) return fail('MALFORMED', 'key data is not base64');
  const parsed = parseSshKeyBlob(blob, fields.slice(2).join(' '));
  if (parsed.ok && parsed.key.algorithm !== type)
    return fail('ALGORITHM_MISMATCH', `line says "${type}" but the key is "${parsed.key.algorithm}"`);
  return parsed;
}

/** Whether two keys are the same key (comments aside). */
export function sameSshKey(a: Pick<SshPublicKey, 'blob'>, b: Pick<SshPublicKey, 'blob'>): boolean {
  const x = fromBase64(a.blob);
  const y = fromBase64(b.blob);
  return x !== undefined && y !== undefined && bytesEqual(x, y);
}
