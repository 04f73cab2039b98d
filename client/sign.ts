import { spawn } from 'node:child_process';
import { ErrorCode, OperationalError, UserError } from '../config/errors';
import { VOTE_NAMESPACE } from '../domain/signing/sshsig';
import type { VoteSignature } from '../domain/signing/verify-vote';
import { votePayloadBytes, type VotePayload } from '../domain/signing/vote-payload';

/** How to sign with ssh-keygen. */
export interface SshSignOptions {
  /**
   * A private key file, or a public key file (`~/.ssh/id_ed25519.pub`) whose private half is held by ssh-agent
   * (found through `SSH_AUTH_SOCK` in `env`): ssh-keygen asks the agent when given a public key.
   */
  keyFile: string;
  /** The ssh-keygen executable. @default 'ssh-keygen' (from PATH) */
  sshKeygen?: string;
  /** Environment for ssh-keygen (SSH_AUTH_SOCK, SSH_ASKPASS). @default process.env */
  env?: NodeJS.ProcessEnv;
  /** SSHSIG namespace. @default 'cordon-vote' */
  namespace?: string;
}

/**
 * Signs a message with `ssh-keygen -Y sign -n NAMESPACE -f KEY`, the message on stdin, and returns the armored
 * SSHSIG ssh-keygen prints. Running the real ssh-keygen means cordon never reads a private key or a passphrase.
 * @throws OperationalError E_SSH_KEYGEN_MISSING when ssh-keygen is not installed
 * @throws UserError E_SIGN_FAILED with ssh-keygen's own last line (missing key, key not in the agent, …)
 */
export function sshSign(message: Uint8Array, options: SshSignOptions): Promise<string> {
  const exe = options.sshKeygen ?? 'ssh-keygen';
  const args = ['-Y', 'sign', '-n', options.namespace ?? VOTE_NAMESPACE, '-f', options.keyFile];
  return new Promise((resolve, reject) => {
    // stdin carries the message; a passphrase prompt goes to the terminal (/dev/tty), stderr is kept for errors.
    const child = spawn(exe, args, { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(
        e.code === 'ENOENT'
          ? new OperationalError(
              `${exe} not found: install OpenSSH 8.2 or later (ssh-keygen -Y sign) to sign votes`,
              ErrorCode.SshKeygenMissing,
              { cause: e },
            )
          : new OperationalError(`${exe}: ${e.message}`, ErrorCode.SshKeygen, { cause: e }),
      );
    });
    // ssh-keygen may exit before reading all of stdin (key file missing): the close event reports that.
    child.stdin.on('error', () => undefined);
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out).toString('utf8');
      if (code === 0 && stdout.includes('-----BEGIN SSH SIGNATURE-----')) return resolve(stdout);
      const lines = Buffer.concat(err).toString('utf8').trim().split('\n').filter(Boolean);
      const why = lines[lines.length - 1] ?? (signal ? `killed by ${signal}` : `exit code ${String(code)}`);
      reject(new UserError(`signing with ${options.keyFile} failed: ${why}`, ErrorCode.SignFailed));
    });
    child.stdin.end(message);
  });
}

/** A vote payload with its SSH signature, ready to be sent with the vote update. */
export interface SshSignedVote {
  payload: VotePayload;
  signature: Extract<VoteSignature, { kind: 'sshsig' }>;
}

/** Signs a vote payload's canonical bytes in the `cordon-vote` namespace (see {@link sshSign}). */
export async function signVote(
  payload: VotePayload,
  options: Omit<SshSignOptions, 'namespace'>,
): Promise<SshSignedVote> {
  const armored = await sshSign(votePayloadBytes(payload), { ...options, namespace: VOTE_NAMESPACE });
  return { payload, signature: { kind: 'sshsig', armored } };
}

/** Where a decision's signing key comes from: `--key FILE`, else `CORDON_SIGNING_KEY` (a private key file, or the
 * public key of a key held by ssh-agent). Undefined when neither is set: the decision goes unsigned. */
export function signingKeyFrom(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
): Omit<SshSignOptions, 'namespace'> | undefined {
  const keyFile = flag ?? env.CORDON_SIGNING_KEY;
  return keyFile ? { keyFile, env } : undefined;
}
