// Real OpenSSH keys and signatures for the signing tests: generated with ssh-keygen in a temp dir, never committed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A key pair on disk: the private key file and its `.pub` line. */
export interface SshKeyFiles {
  privateKey: string;
  publicKeyFile: string;
  publicLine: string;
}

/** A temp dir of keys; `cleanup()` removes it. */
export interface SshWorkspace {
  dir: string;
  keygen(name: string, type: 'ed25519' | 'ecdsa'): SshKeyFiles;
  /** `ssh-keygen -Y sign -n NAMESPACE -f KEY` over `message`, returning the armored signature. */
  sign(key: SshKeyFiles, message: Uint8Array | string, namespace: string, hash?: 'sha256' | 'sha512'): string;
  /** Whether `ssh-keygen -Y verify` accepts the signature for `identity` under an allowed_signers file. */
  sshVerify(signature: string, message: Uint8Array | string, namespace: string, key: SshKeyFiles): boolean;
  fingerprint(key: SshKeyFiles): string;
  cleanup(): void;
}

/** Creates a workspace of real OpenSSH keys. */
export function sshWorkspace(): SshWorkspace {
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-ssh-'));
  let n = 0;
  return {
    dir,
    keygen(name, type) {
      const privateKey = path.join(dir, name);
      const args = ['-q', '-t', type, '-N', '', '-C', `${name}@cordon.test`, '-f', privateKey];
      if (type === 'ecdsa') args.splice(3, 0, '-b', '256');
      execFileSync('ssh-keygen', args);
      const publicKeyFile = `${privateKey}.pub`;
      return { privateKey, publicKeyFile, publicLine: readFileSync(publicKeyFile, 'utf8').trim() };
    },
    sign(key, message, namespace, hash) {
      const args = ['-Y', 'sign', '-n', namespace, '-f', key.privateKey, ...(hash ? ['-O', `hashalg=${hash}`] : [])];
      return execFileSync('ssh-keygen', args, { input: message, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
    },
    sshVerify(signature, message, namespace, key) {
      const i = n++;
      const sigFile = path.join(dir, `sig-${i}`);
      const allowed = path.join(dir, `allowed-${i}`);
      writeFileSync(sigFile, signature);
      writeFileSync(allowed, `voter@cordon.test ${key.publicLine}\n`);
      try {
        execFileSync(
          'ssh-keygen',
          ['-Y', 'verify', '-f', allowed, '-I', 'voter@cordon.test', '-n', namespace, '-s', sigFile],
          { input: message, stdio: ['pipe', 'pipe', 'pipe'] },
        );
        return true;
      } catch {
        return false;
      }
    },
    fingerprint(key) {
      // `ssh-keygen -lf` prints "256 SHA256:… comment (ED25519)".
      return execFileSync('ssh-keygen', ['-lf', key.publicKeyFile]).toString().split(' ')[1]!;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
