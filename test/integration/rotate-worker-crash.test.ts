// The worker killed with SIGKILL at each point of a key rotation (after the key is created, after it is recorded,
// after GitHub holds it, after the old key is deactivated) and a new worker started: the incident finishes with
// exactly one new key for the user, never three keys, and never a moment without an active key.
import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { CreateAccessKeyCommand, CreateUserCommand, ListAccessKeysCommand, type IAMClient } from '@aws-sdk/client-iam';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { keyFingerprint, type RotatedUser } from '../../activities/aws';
import { DEFAULT_ACTIONS, type ActionCatalog } from '../../domain/actions';
import { startGitHubSandbox, type GitHubSandbox, type OrgSpec } from '../../sandbox/github';
import { statusQuery, voteUpdate } from '../../workflows/definitions';
import type { incidentWorkflow } from '../../workflows/incident';
import { compileForTest, eventually, incidentInput, temporalAddress } from '../harness/engine';
import { useMoto } from '../harness/moto';
import { spawnWorker, type WorkerChild } from '../harness/spawn-worker';
import { signedVote } from '../harness/people';
import { playbookFixture } from '../harness/fixtures';

const TOKEN = 'ghs_rotateCrash';
const moto = useMoto();

const spec: OrgSpec = {
  name: 'acme',
  repos: [
    {
      name: 'web',
      secrets: [
        { name: 'AWS_ACCESS_KEY_ID', value: 'old' },
        { name: 'AWS_SECRET_ACCESS_KEY', value: 'old' },
      ],
    },
  ],
};
const INVENTORY = JSON.stringify({
  secrets: { AWS_ACCESS_KEY_ID: { user: 'ci-web' }, AWS_SECRET_ACCESS_KEY: { user: 'ci-web' } },
});

const CATALOG: ActionCatalog = {
  'test.read': { mutates: false, implementation: 'real', description: 'returns its input' },
  'aws.rotateAccessKeys': DEFAULT_ACTIONS['aws.rotateAccessKeys']!,
  'aws.reactivateAccessKeys': DEFAULT_ACTIONS['aws.reactivateAccessKeys']!,
};

const PLAYBOOK = playbookFixture('rotate-access-keys');

function startWorker(env: Record<string, string>): Promise<WorkerChild> {
  return spawnWorker('test/harness/aws-worker-process.ts', env);
}

async function keysOf(iam: IAMClient): Promise<Record<string, string>> {
  const r = await iam.send(new ListAccessKeysCommand({ UserName: 'ci-web' }));
  return Object.fromEntries((r.AccessKeyMetadata ?? []).map((k) => [k.AccessKeyId!, k.Status!]));
}

let sandbox: GitHubSandbox;
const children: ChildProcess[] = [];
beforeAll(async () => {
  sandbox = await startGitHubSandbox({ org: spec, tokens: [TOKEN] });
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await sandbox.stop();
});

// Where the kill lands: after the Nth call of that IAM command in the apply.
const KILL_POINTS: Array<[string, number, string]> = [
  ['CreateAccessKeyCommand', 1, 'new key created, not yet recorded'],
  ['TagUserCommand', 1, 'new key recorded as created, GitHub not yet written'],
  ['TagUserCommand', 2, 'GitHub holds the new key, old key still active'],
  ['UpdateAccessKeyCommand', 1, 'old key deactivated, apply not yet reported'],
];

describe('worker killed mid-rotation', () => {
  it.each(KILL_POINTS)(
    'killed after %s #%d (%s): a new worker finishes with exactly one new key',
    async (command, nth) => {
      const admin = moto.iam();
      await admin.send(new CreateUserCommand({ UserName: 'ci-web' }));
      const oldKey = (await admin.send(new CreateAccessKeyCommand({ UserName: 'ci-web' }))).AccessKey!.AccessKeyId!;
      const env = {
        TEMPORAL_ADDRESS: temporalAddress(),
        TASK_QUEUE: `rotate-crash-${randomUUID()}`,
        MOTO_URL: moto.url(),
        GITHUB_API_URL: sandbox.url,
        GITHUB_TOKEN: TOKEN,
        INVENTORY,
        PAUSE_MS: '250',
      };
      const first = await startWorker(env);
      children.push(first.child);
      const conn = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
      const client = new Client({ connection: conn });
      try {
        const input = incidentInput(compileForTest(PLAYBOOK, CATALOG));
        const h = await client.workflow.start<typeof incidentWorkflow>('incidentWorkflow', {
          taskQueue: env.TASK_QUEUE,
          workflowId: input.incidentId,
          args: [input],
        });
        const step = await eventually(async () => {
          const s = (await h.query(statusQuery)).steps[1]!;
          return s.status === 'awaiting-approval' ? s : undefined;
        }, 60_000);
        await h.executeUpdate(voteUpdate, {
          args: [
            await signedVote(h, {
              stepId: 'rotate',
              planHash: step.plan!.hash,
              approver: 'bob',
              decision: 'approve',
              channel: 'api',
            }),
          ],
        });
        await eventually(
          async () => first.lines.filter((l) => l === `iam:${command}`).length >= nth,
          60_000,
          `${command} #${nth}`,
        );
        first.child.kill('SIGKILL');
        // Killed between two calls: at most two keys, and one of them active.
        const during = await keysOf(admin);
        expect(Object.keys(during).length).toBeLessThanOrEqual(2);
        expect(Object.values(during)).toContain('Active');

        const second = await startWorker(env);
        children.push(second.child);
        const final = await h.result();
        expect(final.status).toBe('completed');
        const rotated = (final.steps[1]!.effects!.rotated as RotatedUser[])[0]!;
        const keys = await keysOf(admin);
        expect(keys).toEqual({ [oldKey]: 'Inactive', [rotated.newKeyId]: 'Active' });
        expect(sandbox.secretValue({ repo: 'web' }, 'AWS_ACCESS_KEY_ID')).toBe(rotated.newKeyId);
        expect(keyFingerprint(sandbox.secretValue({ repo: 'web' }, 'AWS_SECRET_ACCESS_KEY')!)).toBe(
          rotated.fingerprint,
        );
        // The secret key never reached history (payloads decoded) nor anything either worker printed.
        const secret = sandbox.secretValue({ repo: 'web' }, 'AWS_SECRET_ACCESS_KEY')!;
        const json = historyToJSON(await h.fetchHistory());
        const decoded = [...json.matchAll(/"data":\s*"([A-Za-z0-9+/=]+)"/g)].map((m) =>
          Buffer.from(m[1]!, 'base64').toString(),
        );
        expect(decoded.join('\n')).toContain(rotated.newKeyId);
        expect([json, ...decoded].join('\n')).not.toContain(secret);
        expect([...first.lines, ...second.lines].join('\n')).not.toContain(secret);
        second.child.kill('SIGKILL');
      } finally {
        await conn.close();
      }
    },
    120_000,
  );
});
