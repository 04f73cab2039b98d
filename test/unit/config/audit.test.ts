// Audit keys come from files the operator names: a PKCS#8 PEM or an OpenSSH ed25519 private key (the format
// `ssh-keygen -t ed25519` writes, PROTOCOL.key in OpenSSH), and a trusted-keys file of `NAME PUBLIC-KEY` lines.
import { generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_REPLAY_TIMEOUT_MS, keyFingerprint, rawPublicKey, readAuditConfig } from '../../../config/audit';

let dir: string;
beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'cordon-audit-config-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const str = (b: Buffer): Buffer => {
  const n = Buffer.alloc(4);
  n.writeUInt32BE(b.length);
  return Buffer.concat([n, b]);
};
const u32 = (v: number): Buffer => {
  const n = Buffer.alloc(4);
  n.writeUInt32BE(v);
  return n;
};
const sshPub = (raw: Buffer): Buffer => Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)]);

/** An unencrypted OpenSSH private key file, laid out as OpenSSH's PROTOCOL.key describes. */
function openSshKey(key: KeyObject, comment: string, cipher = 'none'): string {
  const jwk = key.export({ format: 'jwk' });
  const seed = Buffer.from(String(jwk.d), 'base64url');
  const pub = Buffer.from(String(jwk.x), 'base64url');
  let priv = Buffer.concat([
    u32(0x1234),
    u32(0x1234),
    str(Buffer.from('ssh-ed25519')),
    str(pub),
    str(Buffer.concat([seed, pub])),
    str(Buffer.from(comment)),
  ]);
  for (let i = 1; priv.length % 8 !== 0; i++) priv = Buffer.concat([priv, Buffer.from([i])]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0'),
    str(Buffer.from(cipher)),
    str(Buffer.from('none')),
    str(Buffer.alloc(0)),
    u32(1),
    str(sshPub(pub)),
    str(priv),
  ]);
  const b64 = body.toString('base64').replace(/.{70}/g, '$&\n');
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${b64}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('readAuditConfig', () => {
  it('reads an OpenSSH ed25519 key, signing under its comment unless CORDON_AUDIT_SIGNER names another', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const keyFile = file('id_ed25519', openSshKey(privateKey, 'alice@ops'));
    const c = readAuditConfig({ CORDON_AUDIT_SIGNING_KEY: 'id_ed25519' }, dir);
    expect(c.signer?.name).toBe('alice@ops');
    expect(c.signer?.publicKey).toEqual(rawPublicKey(publicKey));
    // The key it read signs what the original public key verifies.
    const sig = sign(null, Buffer.from('m'), c.signer!.privateKey);
    expect(verify(null, Buffer.from('m'), publicKey, sig)).toBe(true);
    expect(
      readAuditConfig({ CORDON_AUDIT_SIGNING_KEY: keyFile, CORDON_AUDIT_SIGNER: 'svc-export' }, dir).signer?.name,
    ).toBe('svc-export');
    expect(c.replayTimeoutMs).toBe(DEFAULT_REPLAY_TIMEOUT_MS);
    expect(DEFAULT_REPLAY_TIMEOUT_MS).toBeLessThan(60_000);
  });

  it('reads a PKCS#8 PEM key, which needs CORDON_AUDIT_SIGNER', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    file('k.pem', String(privateKey.export({ type: 'pkcs8', format: 'pem' })));
    expect(readAuditConfig({ CORDON_AUDIT_SIGNING_KEY: 'k.pem', CORDON_AUDIT_SIGNER: 'ops' }, dir).signer?.name).toBe(
      'ops',
    );
    expect(() => readAuditConfig({ CORDON_AUDIT_SIGNING_KEY: 'k.pem' }, dir)).toThrow(/CORDON_AUDIT_SIGNER: required/);
  });

  it('refuses other key types, passphrase-protected OpenSSH keys and unreadable files, naming the variable', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    file('rsa.pem', String(rsa.export({ type: 'pkcs8', format: 'pem' })));
    const env = (f: string) => ({ CORDON_AUDIT_SIGNING_KEY: f, CORDON_AUDIT_SIGNER: 'ops' });
    expect(() => readAuditConfig(env('rsa.pem'), dir)).toThrow(/CORDON_AUDIT_SIGNING_KEY: .*rsa key/);
    file('enc', openSshKey(generateKeyPairSync('ed25519').privateKey, 'x', 'aes256-ctr'));
    expect(() => readAuditConfig(env('enc'), dir)).toThrow(/passphrase-protected/);
    expect(() => readAuditConfig(env('nope'), dir)).toThrow(/CORDON_AUDIT_SIGNING_KEY: cannot read .*ENOENT/);
  });

  it('reads trusted keys as OpenSSH public keys or base64 of the raw key, skipping comments', () => {
    const a = rawPublicKey(generateKeyPairSync('ed25519').publicKey);
    const b = rawPublicKey(generateKeyPairSync('ed25519').publicKey);
    file(
      'trusted',
      `# exporters\nalice-ops ssh-ed25519 ${sshPub(a).toString('base64')} alice@laptop\n\nexport-svc ${b.toString('base64')}\n`,
    );
    const c = readAuditConfig({ CORDON_AUDIT_TRUSTED_KEYS: 'trusted' }, dir);
    expect(c.trustedKeys).toEqual([
      { name: 'alice-ops', publicKey: a },
      { name: 'export-svc', publicKey: b },
    ]);
    // The fingerprint is the one `ssh-keygen -lf` prints: SHA256 of the OpenSSH public key blob, unpadded base64.
    expect(keyFingerprint(a)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    file('bad-trusted', 'alice-ops ssh-rsa AAAAB3NzaC1yc2E\n');
    expect(() => readAuditConfig({ CORDON_AUDIT_TRUSTED_KEYS: 'bad-trusted' }, dir)).toThrow(/bad-trusted:1: expected/);
  });

  it('reads the replay time limit in seconds', () => {
    expect(readAuditConfig({ CORDON_AUDIT_REPLAY_TIMEOUT: '2.5' }, dir).replayTimeoutMs).toBe(2500);
    expect(() => readAuditConfig({ CORDON_AUDIT_REPLAY_TIMEOUT: '0' }, dir)).toThrow(/CORDON_AUDIT_REPLAY_TIMEOUT/);
  });
});
