// Audit bundle keys: who signs the manifests this deployment exports, and whose signatures an auditor trusts.
// An Ed25519 key pair of the exporting operator or service, never derived from the payload codec key: every reader of
// the history holds the codec key, so a signature made with it says nothing about who exported the bundle.
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, UserError } from './errors';

/** The key that signs exported manifests, and the name it signs under. */
export interface AuditSigner {
  name: string;
  privateKey: KeyObject;
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Buffer;
}

/** A public key whose signatures verify trusts, under the name the report shows. */
export interface TrustedKey {
  name: string;
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Buffer;
}

/** What `cordon audit export|verify` need beyond the codec keys. */
export interface AuditConfig {
  /** Absent: export refuses unless told `--unsigned`. */
  signer?: AuditSigner;
  /** Empty: every signed manifest is signed by an unknown key. */
  trustedKeys: TrustedKey[];
  /** How long one history's replay may take before verify kills it. @default DEFAULT_REPLAY_TIMEOUT_MS */
  replayTimeoutMs: number;
}

const NAME = /^[A-Za-z0-9._@+-]{1,128}$/;
/**
 * How long one replay may take by default. Under a minute on purpose: a history that makes the replay hang still
 * leaves verify (which also starts the replay process and decodes the history) its answer within a minute.
 */
export const DEFAULT_REPLAY_TIMEOUT_MS = 45_000;

const fail = (message: string): never => {
  throw new UserError(`configuration: ${message}`, ErrorCode.Config);
};

/** Raw public key of an Ed25519 KeyObject (public or private). */
export function rawPublicKey(key: KeyObject): Buffer {
  const jwk = (key.type === 'public' ? key : createPublicKey(key)).export({ format: 'jwk' });
  return Buffer.from(String(jwk.x), 'base64url');
}

/** The OpenSSH wire form of an Ed25519 public key (`string "ssh-ed25519", string key`). */
function sshBlob(raw: Buffer): Buffer {
  const str = (b: Buffer): Buffer => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  return Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)]);
}

/** `SHA256:…` fingerprint of an Ed25519 public key, as `ssh-keygen -lf` prints it. */
export function keyFingerprint(raw: Buffer): string {
  return `SHA256:${createHash('sha256').update(sshBlob(raw)).digest('base64').replace(/=+$/, '')}`;
}

/** Reads length-prefixed fields of the OpenSSH binary formats. */
class SshReader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}
  u32(): number {
    if (this.at + 4 > this.buf.length) throw new Error('truncated');
    const v = this.buf.readUInt32BE(this.at);
    this.at += 4;
    return v;
  }
  bytes(): Buffer {
    const n = this.u32();
    if (this.at + n > this.buf.length) throw new Error('truncated');
    const v = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return v;
  }
}

/**
 * Parses an OpenSSH private key file (`-----BEGIN OPENSSH PRIVATE KEY-----`, the format of PROTOCOL.key in OpenSSH),
 * which node:crypto does not read. Only unencrypted ed25519 keys; returns the key and its comment.
 */
function parseOpenSshPrivateKey(pem: string, where: string): { key: KeyObject; comment: string } {
  const body = pem.replace(/-----(BEGIN|END) OPENSSH PRIVATE KEY-----/g, '').replace(/\s+/g, '');
  const buf = Buffer.from(body, 'base64');
  const magic = Buffer.from('openssh-key-v1\0');
  if (!buf.subarray(0, magic.length).equals(magic)) return fail(`${where}: not an OpenSSH private key`);
  try {
    const r = new SshReader(buf.subarray(magic.length));
    const cipher = r.bytes().toString();
    r.bytes(); // kdf name
    r.bytes(); // kdf options
    if (cipher !== 'none')
      return fail(`${where}: the key is passphrase-protected; give an unencrypted copy (ssh-keygen -p -N '')`);
    if (r.u32() !== 1) return fail(`${where}: expected exactly one key`);
    r.bytes(); // public key blob
    const priv = new SshReader(r.bytes());
    if (priv.u32() !== priv.u32()) return fail(`${where}: corrupt private section`);
    const type = priv.bytes().toString();
    if (type !== 'ssh-ed25519') return fail(`${where}: a ${type} key; audit manifests are signed with ed25519`);
    const pub = priv.bytes();
    const secret = priv.bytes(); // seed (32) followed by the public key (32)
    const comment = priv.bytes().toString();
    const key = createPrivateKey({
      key: {
        kty: 'OKP',
        crv: 'Ed25519',
        d: secret.subarray(0, 32).toString('base64url'),
        x: pub.toString('base64url'),
      },
      format: 'jwk',
    });
    return { key, comment };
  } catch (err) {
    if (err instanceof UserError) throw err;
    return fail(`${where}: corrupt OpenSSH private key (${(err as Error).message})`);
  }
}

/** Reads an Ed25519 private key from a PKCS#8 PEM or an OpenSSH private key file. */
export function readSigningKey(file: string): { key: KeyObject; comment?: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return fail(`CORDON_AUDIT_SIGNING_KEY: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (text.includes('BEGIN OPENSSH PRIVATE KEY')) {
    const { key, comment } = parseOpenSshPrivateKey(text, `CORDON_AUDIT_SIGNING_KEY ${file}`);
    return comment ? { key, comment } : { key };
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(text);
  } catch {
    // The parser's message may quote key material: say only what was expected.
    return fail(`CORDON_AUDIT_SIGNING_KEY: ${file} is not a PEM or OpenSSH private key`);
  }
  if (key.asymmetricKeyType !== 'ed25519')
    fail(`CORDON_AUDIT_SIGNING_KEY: ${file} holds a ${key.asymmetricKeyType} key; manifests are signed with ed25519`);
  return { key };
}

/**
 * Parses one public key as written in a trusted-keys file: an OpenSSH line (`ssh-ed25519 AAAA… [comment]`) or the
 * raw 32-byte key in base64. Returns undefined for anything else.
 */
export function parsePublicKey(text: string): Buffer | undefined {
  const [first, second] = text.trim().split(/\s+/);
  if (first === 'ssh-ed25519' && second) {
    try {
      const r = new SshReader(Buffer.from(second, 'base64'));
      if (r.bytes().toString() !== 'ssh-ed25519') return undefined;
      const raw = r.bytes();
      return raw.length === 32 ? Buffer.from(raw) : undefined;
    } catch {
      return undefined;
    }
  }
  if (first && !second && /^[A-Za-z0-9+/]{43}=$/.test(first)) return Buffer.from(first, 'base64');
  return undefined;
}

/**
 * Reads a trusted-keys file: one `NAME PUBLIC-KEY` per line (an OpenSSH `ssh-ed25519 AAAA…` key or base64 of the
 * raw 32 bytes); blank lines and `#` comments are skipped.
 * @throws UserError naming the file and line of anything else.
 */
export function readTrustedKeys(file: string, label = 'trusted keys'): TrustedKey[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return fail(`${label}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const keys: TrustedKey[] = [];
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const [name, ...rest] = t.split(/\s+/);
    const publicKey = parsePublicKey(rest.join(' '));
    if (!name || !NAME.test(name) || !publicKey)
      fail(`${label}: ${file}:${i + 1}: expected "NAME ssh-ed25519 AAAA…" or "NAME <base64 of 32 bytes>"`);
    keys.push({ name: name!, publicKey: publicKey! });
  }
  return keys;
}

/**
 * Reads `CORDON_AUDIT_SIGNING_KEY` (path of a PEM or OpenSSH ed25519 private key), `CORDON_AUDIT_SIGNER` (the name
 * it signs under; defaults to the OpenSSH key's comment), `CORDON_AUDIT_TRUSTED_KEYS` (path of a trusted-keys file)
 * and `CORDON_AUDIT_REPLAY_TIMEOUT` (seconds one history's replay may take; default 45). Paths are relative to `cwd`.
 * @throws UserError naming the variable and what was expected.
 */
export function readAuditConfig(env: NodeJS.ProcessEnv, cwd: string): AuditConfig {
  const config: AuditConfig = { trustedKeys: [], replayTimeoutMs: DEFAULT_REPLAY_TIMEOUT_MS };
  const keyFile = env.CORDON_AUDIT_SIGNING_KEY;
  if (keyFile) {
    const { key, comment } = readSigningKey(path.resolve(cwd, keyFile));
    const name = env.CORDON_AUDIT_SIGNER ?? comment;
    if (!name) fail('CORDON_AUDIT_SIGNER: required (the name the signing key signs under) when the key has no comment');
    if (!NAME.test(name!)) fail(`CORDON_AUDIT_SIGNER: "${name}": use 1-128 characters of A-Z a-z 0-9 . _ @ + -`);
    config.signer = { name: name!, privateKey: key, publicKey: rawPublicKey(key) };
  } else if (env.CORDON_AUDIT_SIGNER) {
    fail('CORDON_AUDIT_SIGNER is set but CORDON_AUDIT_SIGNING_KEY is not');
  }
  if (env.CORDON_AUDIT_TRUSTED_KEYS)
    config.trustedKeys = readTrustedKeys(path.resolve(cwd, env.CORDON_AUDIT_TRUSTED_KEYS), 'CORDON_AUDIT_TRUSTED_KEYS');
  const timeout = env.CORDON_AUDIT_REPLAY_TIMEOUT;
  if (timeout !== undefined) {
    const s = Number(timeout);
    if (!Number.isFinite(s) || s <= 0) fail(`CORDON_AUDIT_REPLAY_TIMEOUT: "${timeout}": expected seconds, above 0`);
    config.replayTimeoutMs = Math.round(s * 1000);
  }
  return config;
}
