import { randomBytes } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA } from '../../../codec/codec';

const K1 = randomBytes(32);
const K2 = randomBytes(32);
const SECRET = 'AKIAEXAMPLESECRET0001/wJalrXUtnFEMI';
const text = (b: Uint8Array | null | undefined): string => Buffer.from(b ?? new Uint8Array()).toString('utf8');
const payload = (v: unknown): Payload => defaultPayloadConverter.toPayload(v);

describe('AesGcmPayloadCodec', () => {
  const codec = new AesGcmPayloadCodec({ activeKeyId: 'k1', keys: { k1: K1 } });

  it('round-trips payloads, metadata included, and hides both while encrypted', async () => {
    const original = [payload({ secretAccessKey: SECRET }), payload(null), payload('')];
    const encoded = await codec.encode(original);
    for (const p of encoded) {
      expect(text(p.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
      expect(text(p.metadata?.[KEY_ID_METADATA])).toBe('k1');
      expect(Object.keys(p.metadata ?? {}).sort()).toEqual([KEY_ID_METADATA, 'encoding'].sort());
      expect(Buffer.from(p.data!).includes(SECRET)).toBe(false);
      expect(Buffer.from(p.data!).includes('json/plain')).toBe(false);
    }
    const decoded = await codec.decode(encoded);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([{ secretAccessKey: SECRET }, null, '']);
  });

  it('uses a fresh nonce per payload, so equal plaintexts encrypt differently', async () => {
    const [a, b] = await codec.encode([payload(SECRET), payload(SECRET)]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('rotates: the new active key encrypts, the old key still decrypts old history', async () => {
    const old = await codec.encode([payload('before rotation')]);
    const rotated = new AesGcmPayloadCodec({ activeKeyId: 'k2', keys: { k1: K1, k2: K2 } });
    const fresh = await rotated.encode([payload('after rotation')]);
    expect(text(fresh[0]!.metadata?.[KEY_ID_METADATA])).toBe('k2');
    const decoded = await rotated.decode([...old, ...fresh]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual(['before rotation', 'after rotation']);
  });

  it('rejects tampered ciphertext and a payload relabelled with another key id (GCM authentication)', async () => {
    const [p] = await codec.encode([payload(SECRET)]);
    const data = Buffer.from(p!.data!);
    data[20] = data[20]! ^ 1;
    await expect(codec.decode([{ ...p!, data }])).rejects.toMatchObject({
      code: 'E_CODEC_DECRYPT',
      message: expect.stringMatching(/key "k1" failed authentication/),
    });
    // Same key bytes under another id: the key id is the GCM additional data, so the label is authenticated too.
    const twin = new AesGcmPayloadCodec({ activeKeyId: 'k1', keys: { k1: K1, k9: K1 } });
    const relabelled = { ...p!, metadata: { ...p!.metadata, [KEY_ID_METADATA]: Buffer.from('k9') } };
    await expect(twin.decode([relabelled])).rejects.toMatchObject({ code: 'E_CODEC_DECRYPT' });
  });

  it('names an unknown key id, and the known ones, without printing any key', async () => {
    const other = new AesGcmPayloadCodec({ activeKeyId: 'k2', keys: { k2: K2 } });
    const [p] = await other.encode([payload(SECRET)]);
    const err = await codec.decode([p!]).then(
      () => undefined,
      (e: unknown) => e as Error & { code: string },
    );
    expect(err?.code).toBe('E_CODEC_UNKNOWN_KEY');
    expect(err?.message).toBe('payload was encrypted with key "k2", which is not in CORDON_CODEC_KEYS (known: k1)');
    expect(err?.message).not.toContain(K1.toString('base64'));
  });

  it('passes payloads that were never encrypted through decode unchanged (history from before encryption)', async () => {
    const plain = payload({ a: 1 });
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('refuses an encrypted payload that is truncated or has no key id', async () => {
    const [p] = await codec.encode([payload(SECRET)]);
    await expect(codec.decode([{ ...p!, data: Buffer.from(p!.data!).subarray(0, 10) }])).rejects.toMatchObject({
      code: 'E_CODEC_MALFORMED',
    });
    await expect(
      codec.decode([{ metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING) }, data: p!.data! }]),
    ).rejects.toMatchObject({ code: 'E_CODEC_MALFORMED' });
  });
});
