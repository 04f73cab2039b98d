// The manifest signature says who exported a bundle: only an Ed25519 signature by a key in the auditor's trusted set
// passes; an unsigned manifest, a key nobody trusts, a manifest changed after signing, a mangled signature, or the
// HMAC earlier versions derived from the codec key (which every reader holds) do not.
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { keyFingerprint, rawPublicKey, type AuditSigner, type TrustedKey } from '../../../config/audit';
import { checkSignature, sha256Hex, signManifest, type Manifest } from '../../../audit/manifest';

function signer(name: string): AuditSigner {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { name, privateKey, publicKey: rawPublicKey(privateKey) };
}

const operator = signer('ops-exporter');
const mallory = signer('ops-exporter'); // claims the same name, with a key of her own
const trusted: TrustedKey[] = [{ name: 'alice-ops', publicKey: operator.publicKey }];

const manifest: Manifest = {
  incidentId: 'incident-mastra',
  exportedAt: '2026-06-18T09:00:00.000Z',
  historyEvents: 120,
  files: { 'history.json': sha256Hex('{"events":[]}'), 'approvals.json': sha256Hex('[]') },
};

describe('manifest signatures', () => {
  it('accepts a signature by a trusted key and names the signer from the trusted set', () => {
    const signed = signManifest(manifest, operator);
    expect(signed.signature).toMatchObject({
      alg: 'Ed25519',
      signer: 'ops-exporter',
      publicKey: operator.publicKey.toString('base64'),
      fingerprint: keyFingerprint(operator.publicKey),
    });
    expect(manifest.signature).toBeUndefined(); // the input is left as it was
    expect(checkSignature(signed, trusted)).toEqual({
      status: 'ok',
      signer: 'alice-ops',
      fingerprint: keyFingerprint(operator.publicKey),
    });
  });

  it('rejects a good signature by a key that is not trusted, whatever name it claims', () => {
    const forged = signManifest(manifest, mallory);
    expect(checkSignature(forged, trusted)).toEqual({
      status: 'untrusted',
      claimed: 'ops-exporter',
      fingerprint: keyFingerprint(mallory.publicKey),
    });
    expect(checkSignature(signManifest(manifest, operator), [])).toMatchObject({ status: 'untrusted' });
  });

  it('reports an unsigned manifest', () => {
    expect(checkSignature(manifest, trusted)).toMatchObject({ status: 'unsigned' });
  });

  it('rejects a manifest whose file digests changed after signing', () => {
    const signed = signManifest(manifest, operator);
    const altered = { ...signed, files: { ...signed.files, 'approvals.json': sha256Hex('[{"approver":"mallory"}]') } };
    expect(checkSignature(altered, trusted)).toMatchObject({ status: 'invalid' });
  });

  it('rejects a signature whose signer fields were swapped for a trusted key, or whose value was mangled', () => {
    const forged = signManifest(manifest, mallory);
    // Pointing the signature at the trusted key does not make mallory's signature verify under it.
    const pointed = {
      ...forged,
      signature: { ...forged.signature!, publicKey: operator.publicKey.toString('base64'), signer: 'alice-ops' },
    };
    expect(checkSignature(pointed, trusted)).toMatchObject({ status: 'invalid' });
    const signed = signManifest(manifest, operator);
    const value = Buffer.from(signed.signature!.value, 'base64');
    value[3] = value[3]! ^ 0x01;
    const mangled = { ...signed, signature: { ...signed.signature!, value: value.toString('base64') } };
    expect(checkSignature(mangled, trusted)).toMatchObject({ status: 'invalid' });
    const truncated = { ...signed, signature: { ...signed.signature!, publicKey: 'AAAA' } };
    expect(checkSignature(truncated, trusted)).toMatchObject({ status: 'invalid' });
  });

  it('does not accept the HMAC signature of earlier versions', () => {
    const old = {
      ...manifest,
      signature: { alg: 'HMAC-SHA256', keyId: 'k1', value: createHmac('sha256', 'x').update('y').digest('hex') },
    } as unknown as Manifest;
    expect(checkSignature(old, trusted)).toMatchObject({ status: 'unsupported' });
  });
});
