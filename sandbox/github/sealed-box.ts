import { createHash } from 'node:crypto';
import sodium from 'libsodium-wrappers';
import { validationFailed } from './errors';

/** Where a secret lives: the organisation, a repository, or one of a repository's environments. */
export type SecretScope = { org: true } | { repo: string } | { repo: string; environment: string };

/** A scope's public key as the "Get a … public key" endpoints return it. */
export interface PublicKey {
  key_id: string;
  key: string;
}

/**
 * One X25519 key pair per secret scope, as GitHub keeps. Clients encrypt with the public key in a libsodium sealed
 * box; the sandbox opens the box so tests can read back exactly what was written.
 * https://docs.github.com/rest/guides/encrypting-secrets-for-the-rest-api
 */
export class SecretKeyring {
  private readonly pairs = new Map<string, { keyId: string; publicKey: Uint8Array; privateKey: Uint8Array }>();

  /** Waits for libsodium's WebAssembly to load; call once before using a keyring. */
  static async ready(): Promise<void> {
    await sodium.ready;
  }

  /** The public key for a scope, created on first use. */
  publicKey(scope: SecretScope): PublicKey {
    const pair = this.pair(scope);
    return { key_id: pair.keyId, key: sodium.to_base64(pair.publicKey, sodium.base64_variants.ORIGINAL) };
  }

  /** Opens a sealed box written for `scope`; a stale key id or a box for another key is a 422, as on GitHub. */
  open(scope: SecretScope, keyId: string, encryptedValue: string): string {
    const pair = this.pair(scope);
    if (keyId !== pair.keyId) throw validationFailed(`key_id ${keyId} does not match the current key`, 'key_id');
    try {
      const box = sodium.from_base64(encryptedValue, sodium.base64_variants.ORIGINAL);
      return sodium.to_string(sodium.crypto_box_seal_open(box, pair.publicKey, pair.privateKey));
    } catch {
      throw validationFailed('encrypted_value could not be decrypted with the scope key', 'encrypted_value');
    }
  }

  private pair(scope: SecretScope): { keyId: string; publicKey: Uint8Array; privateKey: Uint8Array } {
    const name = scopeKey(scope);
    let pair = this.pairs.get(name);
    if (!pair) {
      const kp = sodium.crypto_box_keypair();
      // GitHub's key ids are long decimal strings; derive one from the key so it is stable for the pair.
      const keyId = BigInt(`0x${createHash('sha256').update(kp.publicKey).digest('hex').slice(0, 15)}`).toString();
      pair = { keyId, publicKey: kp.publicKey, privateKey: kp.privateKey };
      this.pairs.set(name, pair);
    }
    return pair;
  }
}

/** A stable string naming a secret scope. */
export function scopeKey(scope: SecretScope): string {
  if ('org' in scope) return 'org';
  if ('environment' in scope) return `env:${scope.repo.toLowerCase()}/${scope.environment}`;
  return `repo:${scope.repo.toLowerCase()}`;
}
