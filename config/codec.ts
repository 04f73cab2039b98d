import { z } from 'zod';
import { ErrorCode, UserError } from './errors';

/** Payload encryption keys: the one new payloads are encrypted with, and every key old history may need. */
export interface CodecConfig {
  /** `CORDON_CODEC_ACTIVE_KEY`: the key new payloads are encrypted with. @default the only key, when one is listed */
  activeKeyId: string;
  /**
   * `CORDON_CODEC_KEYS`: key id → 32-byte AES-256 key. Never log this object (the logger redacts `codec.keys`).
   * No default: without keys there is no CodecConfig.
   */
  keys: Record<string, Buffer>;
}

// Key ids travel in payload metadata and in error messages: keep them short and printable.
const KeyMap = z.record(z.string(), z.string());
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

const fail = (message: string): never => {
  throw new UserError(`configuration: ${message}`, ErrorCode.Config);
};

/**
 * Reads `CORDON_CODEC_KEYS` (JSON `{"<keyId>": "<base64 of 32 bytes>"}`) and `CORDON_CODEC_ACTIVE_KEY`.
 * Returns undefined when neither is set (payloads stay unencrypted). Errors name the key id, never the key.
 * @throws UserError on malformed JSON, a key that is not 32 bytes of base64, or an active key id that is not listed.
 */
export function readCodecConfig(
  keysJson: string | undefined,
  activeKeyId: string | undefined,
): CodecConfig | undefined {
  if (!keysJson) {
    if (activeKeyId) fail('CORDON_CODEC_ACTIVE_KEY is set but CORDON_CODEC_KEYS is not');
    return undefined;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(keysJson);
  } catch {
    // JSON.parse quotes the offending text in its message, which would be key material: say only what is wrong.
    return fail('CORDON_CODEC_KEYS: not valid JSON (expected {"<keyId>": "<base64 of 32 bytes>", ...})');
  }
  const parsed = KeyMap.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    return fail(`CORDON_CODEC_KEYS: ${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  }
  const keys: Record<string, Buffer> = {};
  for (const [id, b64] of Object.entries(parsed.data)) {
    if (!KEY_ID.test(id)) fail(`CORDON_CODEC_KEYS: key id "${id}": use 1-64 characters of A-Z a-z 0-9 . _ -`);
    const bytes = BASE64.test(b64) ? Buffer.from(b64, 'base64') : undefined;
    if (bytes?.length !== 32) fail(`CORDON_CODEC_KEYS: key "${id}" must be 32 bytes encoded as base64`);
    keys[id] = bytes!;
  }
  const ids = Object.keys(keys);
  if (ids.length === 0) fail('CORDON_CODEC_KEYS: lists no key');
  const active = activeKeyId ?? (ids.length === 1 ? ids[0] : undefined);
  if (!active) return fail('CORDON_CODEC_ACTIVE_KEY: required when CORDON_CODEC_KEYS lists several keys');
  if (!keys[active]) fail(`CORDON_CODEC_ACTIVE_KEY: "${active}" is not a key id in CORDON_CODEC_KEYS`);
  return { activeKeyId: active, keys };
}
