// The drill's people: each identity of the drill's approver groups gets a fresh SSH key (made by ssh-keygen in the
// run's directory, gone with it), so the drill on-call signs its votes as a real on-call would; and the sandbox
// Slack app gets an attestation key for button votes where a step's policy accepts them.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import type { ApproverDirectory, Principal } from '../domain/approvers';
import { toBase64 } from '../domain/signing/bytes';
import { parseSshPublicKey } from '../domain/signing/ssh-key';

/** The drill's approvers with their keys, each identity's private key file, and the Slack attestation key pair. */
export interface DrillPeople {
  directory: ApproverDirectory;
  keyFile(identity: string): string;
  attestation: { privateKey: string; publicKey: string };
}

/** Generates keys for every member of `groups` under `dir`; each identity is its own CLI and Slack alias. */
export function drillPeople(groups: Record<string, string[]>, dir: string): DrillPeople {
  mkdirSync(dir, { recursive: true });
  const ids = [...new Set(Object.values(groups).flat())].sort();
  const people: Principal[] = ids.map((id) => {
    const file = path.join(dir, id);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${id}@cordon-drill`, '-f', file]);
    const key = parseSshPublicKey(readFileSync(`${file}.pub`, 'utf8').trim());
    if (!key.ok) throw new Error(`drill key of ${id}: ${key.message}`);
    return {
      id,
      aliases: { cli: [id], slack: [id], email: [] },
      groups: Object.entries(groups)
        .filter(([, members]) => members.includes(id))
        .map(([g]) => g),
      keys: { ssh: [key.key], webauthn: [] },
    };
  });
  const seed = ed25519.utils.randomSecretKey();
  return {
    directory: { people },
    keyFile: (identity) => path.join(dir, identity),
    attestation: { privateKey: toBase64(seed), publicKey: toBase64(ed25519.getPublicKey(seed)) },
  };
}
