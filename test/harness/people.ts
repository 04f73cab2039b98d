// The test users as people: real OpenSSH keys (made by ssh-keygen once per test process and shared with the worker
// processes it spawns), an approvers file, and signing of votes exactly as the CLI signs them.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import type { WorkflowHandle } from '@temporalio/client';
import { payloadFor } from '../../client/incidents';
import { signVote } from '../../client/sign';
import type { ApproverDirectory, Principal } from '../../domain/approvers';
import { toBase64 } from '../../domain/signing/bytes';
import { parseSshPublicKey } from '../../domain/signing/ssh-key';
import {
  STAND_DOWN_STEP,
  statusQuery,
  voteUpdate,
  type IncidentState,
  type VoteInput,
} from '../../workflows/definitions';

/** Everyone the tests vote as: CLI handle, Slack user id. */
export const TEST_USERS = {
  alice: 'U0ALICE',
  bob: 'U0BOB',
  carol: 'U0CAROL',
  dana: 'U0DANA',
  mallory: 'U0MALLORY',
  eve: 'U0EVE',
  broker: 'U0BROKER',
  dpo: 'U0DPO',
} as const;
export type TestUser = keyof typeof TEST_USERS;

const ENV_DIR = 'CORDON_TEST_PEOPLE_DIR';

/** The directory of the test users' keys (`<user>` private, `<user>.pub`), made once and shared through the env. */
export function peopleDir(): string {
  const known = process.env[ENV_DIR];
  if (known && existsSync(path.join(known, 'bob.pub'))) return known;
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-people-'));
  for (const user of Object.keys(TEST_USERS))
    execFileSync('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      '',
      '-C',
      `${user}@cordon.test`,
      '-f',
      path.join(dir, user),
    ]);
  process.env[ENV_DIR] = dir;
  return dir;
}

/** A test user's private key file. */
export const keyFileOf = (user: TestUser): string => path.join(peopleDir(), user);

/** The test user behind an alias (CLI handle or Slack id), if any. */
export function userOf(alias: string): TestUser | undefined {
  for (const [user, slack] of Object.entries(TEST_USERS))
    if (alias === user || alias === slack) return user as TestUser;
  return undefined;
}

/**
 * The people in `groups` (group → aliases, as tests have always configured them), each with their CLI handle,
 * Slack id and public key. Someone named in no group (mallory) is not in the directory: a stranger with a key.
 */
export function directoryFor(groups: Record<string, string[]>): ApproverDirectory {
  const people: Principal[] = [];
  for (const user of Object.keys(TEST_USERS) as TestUser[]) {
    const memberOf = Object.entries(groups)
      .filter(([, members]) => members.some((m) => userOf(m) === user))
      .map(([g]) => g);
    if (memberOf.length === 0) continue;
    const key = parseSshPublicKey(readFileSync(`${keyFileOf(user)}.pub`, 'utf8').trim());
    if (!key.ok) throw new Error(`test key of ${user}: ${key.message}`);
    people.push({
      id: user,
      aliases: { cli: [user], slack: [TEST_USERS[user]], email: [] },
      groups: memberOf,
      keys: { ssh: [key.key], webauthn: [] },
    });
  }
  return { people };
}

/** Writes an approvers file (people with keys) for `groups`, for workers configured from the environment. */
export function writeApproversFile(groups: Record<string, string[]>): string {
  const dir = peopleDir();
  const lines = ['people:'];
  for (const p of directoryFor(groups).people) {
    lines.push(`  - id: ${p.id}`);
    lines.push(`    aliases: { cli: ${p.aliases.cli[0]}, slack: ${p.aliases.slack[0]} }`);
    lines.push(`    groups: [${p.groups.join(', ')}]`);
    lines.push(`    keys: { ssh: ['${readFileSync(`${keyFileOf(p.id as TestUser)}.pub`, 'utf8').trim()}'] }`);
  }
  const file = path.join(dir, `approvers-${Object.keys(groups).sort().join('-')}-${Date.now()}.yaml`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** The env the CLI needs to sign as a test user. */
export const signingEnv = (user: TestUser): Record<string, string> => ({ CORDON_SIGNING_KEY: keyFileOf(user) });

/**
 * A vote signed by the person behind its approver alias, over the payload built from the incident's status (as
 * `cordon approve` builds it). Unchanged when the step has no open signed request or the alias is nobody's: the
 * validator then answers as it would to anyone sending that vote.
 */
export async function signedVote(
  h: Pick<WorkflowHandle, 'query'>,
  v: VoteInput,
  signer: TestUser | undefined = userOf(v.approver),
): Promise<VoteInput> {
  if (!signer) return v;
  const state: IncidentState = await h.query(statusQuery);
  const payload = payloadFor(state, v);
  if (!payload) return v;
  const { signature } = await signVote(payload, { keyFile: keyFileOf(signer) });
  return { ...v, payload, proof: { kind: 'ssh', signature: signature.armored } };
}

/** A Slack app attestation key pair for a test: the private half for the app, the public half for the worker. */
export function slackAttestationKeys(): { privateKey: string; publicKey: string } {
  const seed = ed25519.utils.randomSecretKey();
  return { privateKey: toBase64(seed), publicKey: toBase64(ed25519.getPublicKey(seed)) };
}

/**
 * After a `standDown` update on an incident under signed votes: the requester's signed approval of the stand-down
 * request (stepId `stand-down`), which with a quorum of one stands the incident down, as `cordon stand-down --key`
 * does. Nothing when no request is open (incidents before signed votes stand down at once).
 */
export async function approveStandDown(h: Pick<WorkflowHandle, 'query' | 'executeUpdate'>, by: string): Promise<void> {
  const state: IncidentState = await h.query(statusQuery);
  const a = state.standDownRequest?.approval;
  if (!a || a.decision) return;
  const v = await signedVote(h, {
    stepId: STAND_DOWN_STEP,
    planHash: a.planHash,
    approver: by,
    decision: 'approve',
    channel: 'api',
  });
  await h.executeUpdate(voteUpdate, { args: [v] });
}
