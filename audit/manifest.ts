// The bundle's manifest: a SHA-256 digest of every file, signed with the Ed25519 key of whoever exported it.
//
// Why a signature: digests alone only catch an edit whose author forgot the manifest; anyone can recompute them.
// Why not a key derived from the codec key: every auditor holds that key to read the history, so anyone of them could
// rewrite a bundle and re-sign it. The signing key belongs to the exporting operator or service; the manifest
// records its public key, and verify accepts it only when that key is in the auditor's own trusted set.
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json';
import { keyFingerprint, type AuditSigner, type TrustedKey } from '../config/audit';

export const MANIFEST_FILE = 'manifest.json';
// Domain separation: a manifest signature can never be replayed as a signature over anything else signed by the key.
const SIGNED_PREFIX = 'cordon audit manifest v2\n';

/** Who signed a manifest, and the signature over the manifest's other fields and these. */
export interface ManifestSignature {
  alg: 'Ed25519';
  /** The name the exporter signed under (a claim: verify names the signer from its own trusted set). */
  signer: string;
  /** Raw 32-byte Ed25519 public key, base64. */
  publicKey: string;
  /** `SHA256:…` of the public key, as `ssh-keygen -lf` prints it. */
  fingerprint: string;
  /** Ed25519 signature, base64. */
  value: string;
}

/** What manifest.json holds. */
export interface Manifest {
  incidentId: string;
  exportedAt: string;
  historyEvents: number;
  /** File name → SHA-256 (hex) of its bytes; every file of the bundle but the manifest. */
  files: Record<string, string>;
  signature?: ManifestSignature;
}

/** The outcome of checking a manifest's signature against a trusted set. */
export type SignatureCheck =
  | { status: 'ok'; signer: string; fingerprint: string }
  | { status: 'untrusted'; claimed: string; fingerprint: string }
  | { status: 'invalid' | 'unsigned' | 'unsupported'; detail: string };

export const sha256Hex = (buf: Buffer | string): string => createHash('sha256').update(buf).digest('hex');

function signedBytes(manifest: Manifest, sig: Omit<ManifestSignature, 'value'>): Buffer {
  const { signature: _, ...unsigned } = manifest;
  return Buffer.from(SIGNED_PREFIX + canonicalJson({ ...unsigned, signature: sig }));
}

function publicKeyObject(raw: Buffer): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

/** Signs a manifest (a copy; the input is left as it is), recording the signer's name and public key. */
export function signManifest(manifest: Manifest, signer: AuditSigner): Manifest {
  const sig: Omit<ManifestSignature, 'value'> = {
    alg: 'Ed25519',
    signer: signer.name,
    publicKey: signer.publicKey.toString('base64'),
    fingerprint: keyFingerprint(signer.publicKey),
  };
  const value = sign(null, signedBytes(manifest, sig), signer.privateKey).toString('base64');
  return { ...manifest, signature: { ...sig, value } };
}

/**
 * Checks a manifest's signature: `ok` with the trusted name of the key that signed, `untrusted` when the signature is
 * good but the key is not in the trusted set, `invalid` when it does not match the content, `unsigned`, or
 * `unsupported` for another algorithm (the HMAC of earlier versions, derived from the codec key, proves nothing about
 * who signed). Only `ok` makes the bundle's origin known.
 */
export function checkSignature(manifest: Manifest, trusted: readonly TrustedKey[]): SignatureCheck {
  const sig = manifest.signature as Partial<ManifestSignature> | undefined;
  if (!sig) return { status: 'unsigned', detail: 'the manifest carries no signature' };
  if (sig.alg !== 'Ed25519')
    return { status: 'unsupported', detail: `signed with ${String(sig.alg)}, not an Ed25519 key of the exporter` };
  const raw = typeof sig.publicKey === 'string' ? Buffer.from(sig.publicKey, 'base64') : Buffer.alloc(0);
  if (raw.length !== 32 || typeof sig.value !== 'string')
    return { status: 'invalid', detail: 'the signature has no well-formed public key or value' };
  let good: boolean;
  try {
    const { value, ...rest } = sig as ManifestSignature;
    good = verify(null, signedBytes(manifest, rest), publicKeyObject(raw), Buffer.from(value, 'base64'));
  } catch {
    good = false;
  }
  const fingerprint = keyFingerprint(raw);
  if (!good) return { status: 'invalid', detail: `the signature by ${fingerprint} does not match the manifest` };
  const match = trusted.find((t) => t.publicKey.equals(raw));
  if (!match) return { status: 'untrusted', claimed: String(sig.signer), fingerprint };
  return { status: 'ok', signer: match.name, fingerprint };
}
