import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { CodecConfig } from '../config/codec';
import { ErrorCode, OperationalError } from '../config/errors';

/** `encoding` metadata of an encrypted payload. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata naming the key a payload was encrypted with, so rotated keys still decrypt old history. */
export const KEY_ID_METADATA = 'encryption-key-id';

const IV_BYTES = 12; // the GCM standard nonce size (NIST SP 800-38D)
const TAG_BYTES = 16;

/** A payload cannot be decrypted: unknown key id, or ciphertext/tag/key id tampered with. */
export class PayloadDecryptError extends OperationalError {
  constructor(message: string, code: (typeof ErrorCode)['CodecUnknownKey' | 'CodecDecrypt' | 'CodecMalformed']) {
    super(message, code);
    this.name = 'PayloadDecryptError';
  }
}

const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');
const text = (b: Uint8Array | null | undefined): string | undefined =>
  b ? Buffer.from(b).toString('utf8') : undefined;

/**
 * A Temporal PayloadCodec encrypting every payload (its metadata too) with AES-256-GCM under the active key.
 * The key id is also the GCM additional data, so relabelling a payload with another key id fails authentication.
 * Decoding leaves payloads that are not `binary/encrypted` as they are: history written before encryption was
 * switched on still reads.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly config: CodecConfig) {
    if (!config.keys[config.activeKeyId]) throw new Error(`active key "${config.activeKeyId}" is not a known key`);
  }

  /** The key id new payloads are encrypted with. */
  get activeKeyId(): string {
    return this.config.activeKeyId;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const keyId = this.config.activeKeyId;
    const key = this.config.keys[keyId]!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(utf8(keyId));
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(keyId) }, data: sealed };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (text(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload;
      const keyId = text(payload.metadata?.[KEY_ID_METADATA]);
      if (!keyId)
        throw new PayloadDecryptError(`encrypted payload has no ${KEY_ID_METADATA}`, ErrorCode.CodecMalformed);
      const key = this.config.keys[keyId];
      if (!key) {
        throw new PayloadDecryptError(
          `payload was encrypted with key "${keyId}", which is not in CORDON_CODEC_KEYS (known: ${Object.keys(this.config.keys).join(', ')})`,
          ErrorCode.CodecUnknownKey,
        );
      }
      const data = Buffer.from(payload.data ?? new Uint8Array());
      if (data.length < IV_BYTES + TAG_BYTES) {
        throw new PayloadDecryptError('encrypted payload is too short', ErrorCode.CodecMalformed);
      }
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAAD(utf8(keyId));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      } catch {
        throw new PayloadDecryptError(
          `payload encrypted with key "${keyId}" failed authentication (tampered, or a different key under that id)`,
          ErrorCode.CodecDecrypt,
        );
      }
      const inner = temporal.api.common.v1.Payload.decode(plain);
      return { metadata: inner.metadata, data: inner.data };
    });
  }
}

/** The module exporting the failure converter that encodes failure messages and stack traces. */
export const ENCODING_FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/**
 * The data converter for a configuration: the SDK default without keys; with keys, AES-GCM encryption of every
 * payload, and failure messages and stack traces moved into an (encrypted) payload as well. The workflow bundle must
 * be built with the same `failureConverterPath` (workflows/bundle.ts) for failures raised in workflow code.
 */
export function dataConverterFor(
  codec: CodecConfig | undefined,
): (DataConverter & { failureConverterPath?: string }) | undefined {
  return codec
    ? { payloadCodecs: [new AesGcmPayloadCodec(codec)], failureConverterPath: ENCODING_FAILURE_CONVERTER_PATH }
    : undefined;
}
