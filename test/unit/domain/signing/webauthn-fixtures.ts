// Passkey stand-ins for the signing tests: assertions built as WebAuthn Level 3 lays them out (§6.1 authenticator
// data, §5.8.1 client data, §6.3.3 signature over authenticatorData || SHA-256(clientDataJSON)), with node:crypto
// keys in place of an authenticator.
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import {
  parseCoseKey,
  type WebAuthnAssertion,
  type WebAuthnCredential,
  type WebAuthnExpectation,
} from '../../../../domain/signing/webauthn';

export const RP_ID = 'cordon.example.com';
export const ORIGIN = 'https://cordon.example.com';
export const CHALLENGE = createHash('sha256').update('vote payload').digest('base64url');
export const EXPECT: WebAuthnExpectation = { challenge: CHALLENGE, rpId: RP_ID, origins: [ORIGIN] };
export const b64u = (b: Uint8Array): string => Buffer.from(b).toString('base64url');

/** A COSE_Key map for EC2 P-256 / ES256 (RFC 9053 §7.1.1), encoded as CTAP2 canonical CBOR. */
export function coseEs256(x: Buffer, y: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from([0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20]),
    x,
    Buffer.from([0x22, 0x58, 0x20]),
    y,
  ]);
}

/** A COSE_Key map for OKP Ed25519 / EdDSA (RFC 9053 §7.2). */
export function coseEdDsa(x: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0xa4, 0x01, 0x01, 0x03, 0x27, 0x20, 0x06, 0x21, 0x58, 0x20]), x]);
}

export interface Authenticator {
  credential: WebAuthnCredential;
  privateKey: KeyObject;
  spki: Buffer;
  cose: Buffer;
}

export function authenticator(kind: 'p256' | 'ed25519', id: string): Authenticator {
  if (kind === 'p256') {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const cose = coseEs256(Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url'));
    const parsed = parseCoseKey(cose);
    if (!parsed.ok) throw new Error(parsed.message);
    return {
      credential: { id, alg: -7, publicKey: parsed.publicKey },
      privateKey,
      spki: publicKey.export({ format: 'der', type: 'spki' }),
      cose,
    };
  }
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const cose = coseEdDsa(Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url'));
  const parsed = parseCoseKey(cose);
  if (!parsed.ok) throw new Error(parsed.message);
  return {
    credential: { id, alg: -8, publicKey: parsed.publicKey },
    privateKey,
    spki: publicKey.export({ format: 'der', type: 'spki' }),
    cose,
  };
}

export interface AssertionOptions {
  type?: string;
  challenge?: string;
  origin?: string;
  crossOrigin?: boolean;
  rpId?: string;
  flags?: number;
  signCount?: number;
}

/** An assertion by `a`; each option replaces one field to build a refusal case. */
export function assert(a: Authenticator, o: AssertionOptions = {}, challenge = CHALLENGE): WebAuthnAssertion {
  const clientData = Buffer.from(
    JSON.stringify({
      type: o.type ?? 'webauthn.get',
      challenge: o.challenge ?? challenge,
      origin: o.origin ?? ORIGIN,
      crossOrigin: o.crossOrigin ?? false,
    }),
  );
  const count = Buffer.alloc(4);
  count.writeUInt32BE(o.signCount ?? 7);
  const authData = Buffer.concat([
    createHash('sha256')
      .update(o.rpId ?? RP_ID)
      .digest(),
    Buffer.from([o.flags ?? 0x05]), // UP | UV
    count,
  ]);
  const signed = Buffer.concat([authData, createHash('sha256').update(clientData).digest()]);
  // node:crypto signs ES256 as ASN.1 DER, the encoding WebAuthn uses (§6.5.5).
  const signature = a.credential.alg === -7 ? sign('sha256', signed, a.privateKey) : sign(null, signed, a.privateKey);
  return {
    credentialId: a.credential.id,
    authenticatorData: b64u(authData),
    clientDataJSON: b64u(clientData),
    signature: b64u(signature),
  };
}
