// The bundle's manifest: a SHA-256 digest of every file, signed with a key derived from the payload codec key.
//
// Why a signature: digests alone only catch an edit whose author forgot the manifest; anyone can recompute them.
// The HMAC key is derived (HKDF) from the codec key, which whoever can read the history holds anyway, so a tamperer
// without it can neither re-sign the manifest nor forge an encrypted payload (AES-GCM authenticates each one).
// Someone holding the key could rewrite a bundle wholesale; what catches a careless rewrite is that verify re-derives
// every fact from history.json and cross-checks it, and the final word stays with the Temporal server's own history.
import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json';
import type { CodecConfig } from '../config/codec';

export const MANIFEST_FILE = 'manifest.json';
const HKDF_INFO = 'cordon audit manifest v1';

/** What manifest.json holds. */
export interface Manifest {
  incidentId: string;
  exportedAt: string;
  historyEvents: number;
  /** File name → SHA-256 (hex) of its bytes; every file of the bundle but the manifest. */
  files: Record<string, string>;
  signature?: { alg: 'HMAC-SHA256'; keyId: string; value: string };
}

export const sha256Hex = (buf: Buffer | string): string => createHash('sha256').update(buf).digest('hex');

function hmacKey(codec: CodecConfig, keyId: string): Buffer | undefined {
  const key = codec.keys[keyId];
  return key ? Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), HKDF_INFO, 32)) : undefined;
}

function mac(key: Buffer, manifest: Manifest): string {
  const { signature: _, ...unsigned } = manifest;
  return createHmac('sha256', key).update(canonicalJson(unsigned)).digest('hex');
}

/** Signs a manifest with the active codec key (a copy; the input is left as it is). */
export function signManifest(manifest: Manifest, codec: CodecConfig): Manifest {
  const key = hmacKey(codec, codec.activeKeyId)!;
  return { ...manifest, signature: { alg: 'HMAC-SHA256', keyId: codec.activeKeyId, value: mac(key, manifest) } };
}

/** Checks a manifest's signature: `ok`, `invalid`, `unsigned`, or `no-key` when the signing key is not configured. */
export function checkSignature(
  manifest: Manifest,
  codec: CodecConfig | undefined,
): 'ok' | 'invalid' | 'unsigned' | 'no-key' {
  if (!manifest.signature) return 'unsigned';
  const key = codec && hmacKey(codec, manifest.signature.keyId);
  if (!key) return 'no-key';
  const want = Buffer.from(mac(key, manifest), 'hex');
  const got = Buffer.from(String(manifest.signature.value), 'hex');
  return want.length === got.length && timingSafeEqual(want, got) ? 'ok' : 'invalid';
}
