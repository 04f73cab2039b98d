// Rotate credentials on the real Temporal server, moto's IAM server and the GitHub sandbox: a rotation end to end
// through approvals and the durable grace delay, with AWS throttling and GitHub rate limits injected; the saga's
// undo; a plan that changed since approval; and a scan of history and logs for the secret.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import {
  createAwsActivities,
  createIamClient,
  keyFingerprint,
  parseInventory,
  type RotatedUser,
} from '../../activities/aws';
import { RecordingNotifier } from '../../activities/engine';
import { createGitHubClient } from '../../activities/github';
import type { ActionHandlers } from '../../activities/registry';
import { DEFAULT_ACTIONS, type ActionCatalog } from '../../domain/actions';
import { startGitHubSandbox, type GitHubSandbox, type OrgSpec } from '../../sandbox/github';
import { startLocalEngine, type LocalEngine } from '../../drill/local-engine';
import { createLogger } from '../../config/logger';
import { standDownUpdate, statusQuery, voteUpdate } from '../../workflows/definitions';
import type { incidentWorkflow } from '../../workflows/incident';
import { compileForTest, eventually, incidentInput, testConfig } from '../harness/engine';
import { MOTO_CREDENTIALS, startThrottlingProxy, useMoto, type ThrottlingProxy } from '../harness/moto';
import { approveStandDown, signedVote } from '../harness/people';
import { playbookFixture } from '../harness/fixtures';

const TOKEN = 'ghs_rotateIntegration';
const moto = useMoto();

const spec: OrgSpec = {
  name: 'acme',
  repos: [
    {
      name: 'web',
      secrets: [
        { name: 'AWS_ACCESS_KEY_ID', value: 'old' },
        { name: 'AWS_SECRET_ACCESS_KEY', value: 'old' },
        { name: 'NPM_TOKEN', value: 'npm_old' },
      ],
    },
  ],
  secrets: [{ name: 'DEPLOY_ROLE_ARN', visibility: 'all', value: 'arn:aws:iam::123456789012:role/deployer' }],
};

const inventory = parseInventory(
  {
    secrets: {
      'acme/web:AWS_ACCESS_KEY_ID': { user: 'ci-web' },
      'acme/web:AWS_SECRET_ACCESS_KEY': { user: 'ci-web' },
      DEPLOY_ROLE_ARN: { role: 'deployer' },
    },
  },
  'test inventory',
);

const CATALOG: ActionCatalog = {
  ...Object.fromEntries(Object.entries(DEFAULT_ACTIONS).filter(([n]) => n.startsWith('aws.'))),
  'test.read': { mutates: false, implementation: 'real', description: 'returns its input' },
  'test.fail': { mutates: false, implementation: 'real', description: 'always fails' },
};

const APPROVAL = '{ group: oncall, quorum: 1, timeout: 10m, onExpiry: reject }';
const playbook = (tail = '') => playbookFixture('rotate-and-revoke-sessions', { approval: APPROVAL, tail });

const DELETE_AFTER_GRACE = `  - id: delete-old
    phase: rotate
    action: aws.deleteOldAccessKeys
    needs: [rotate]
    delay: 3s
    mutates: true
    timeout: 1m
    inputs:
      rotated: \${steps.rotate.output.rotated}
    approval: ${APPROVAL}
`;

const FAIL_AFTER_ROTATE = `  - id: boom
    phase: close
    action: test.fail
    needs: [rotate, revoke-sessions]
    mutates: false
`;

let sandbox: GitHubSandbox;
beforeAll(async () => {
  sandbox = await startGitHubSandbox({ org: spec, tokens: [TOKEN] });
});
afterAll(async () => {
  await sandbox.stop();
});

/** Everything the engine and the GitHub client logged, at every level. */
const logs: string[] = [];
const capture = new Writable({
  write(chunk: Buffer, _enc, done) {
    logs.push(chunk.toString());
    done();
  },
});

async function engineWith(iam: IAMClient): Promise<LocalEngine & { taskQueue: string }> {
  const taskQueue = `rotate-${randomUUID()}`;
  const logger = createLogger('trace', capture);
  const record = (level: string) => (message: string, meta?: Record<string, unknown>) =>
    void logs.push(`${level} ${message} ${JSON.stringify(meta ?? {})}`);
  const octokit = createGitHubClient({
    token: TOKEN,
    baseUrl: sandbox.url,
    logger: {
      log: (l, m, meta) => record(l)(m, meta),
      trace: record('trace'),
      debug: record('debug'),
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
    },
  });
  const handlers = {
    ...createAwsActivities({ iam, octokit, inventory }),
    'test.read': { run: async (input: unknown) => input },
    'test.fail': {
      run: async () => {
        const { ApplicationFailure } = await import('@temporalio/common');
        throw ApplicationFailure.create({ message: 'boom', nonRetryable: true });
      },
    },
  } satisfies ActionHandlers;
  const engine = await startLocalEngine({
    config: { ...testConfig({ oncall: ['bob'] }, taskQueue), logLevel: 'trace' },
    handlers,
    notifiers: [new RecordingNotifier()],
    logger,
  });
  return Object.assign(engine, { taskQueue });
}

async function seed(iam: IAMClient): Promise<string> {
  await iam.send(new CreateUserCommand({ UserName: 'ci-web' }));
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'deployer',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
    }),
  );
  return (await iam.send(new CreateAccessKeyCommand({ UserName: 'ci-web' }))).AccessKey!.AccessKeyId!;
}

async function keysOf(iam: IAMClient, user: string): Promise<Record<string, string>> {
  const r = await iam.send(new ListAccessKeysCommand({ UserName: user }));
  return Object.fromEntries((r.AccessKeyMetadata ?? []).map((k) => [k.AccessKeyId!, k.Status!]));
}

type Handle = WorkflowHandle<typeof incidentWorkflow>;

/** Waits for a step's approval request and approves its current plan as bob; returns the plan hash approved. */
async function approve(h: Handle, stepId: string, round = 1): Promise<string> {
  const s = await eventually(
    async () => {
      const st = (await h.query(statusQuery)).steps.find((x) => x.id === stepId)!;
      return st.status === 'awaiting-approval' && st.approvals.length === round ? st : undefined;
    },
    60_000,
    `${stepId} awaiting approval (round ${round})`,
  );
  await h.executeUpdate(voteUpdate, {
    args: [
      await signedVote(h, { stepId, planHash: s.plan!.hash, approver: 'bob', decision: 'approve', channel: 'api' }),
    ],
  });
  return s.plan!.hash;
}

/** Every string in a history: its JSON, and every payload's data decoded from base64. */
function historyText(history: Parameters<typeof historyToJSON>[0]): string {
  const json = historyToJSON(history);
  const decoded = [...json.matchAll(/"data":\s*"([A-Za-z0-9+/=]+)"/g)].map((m) =>
    Buffer.from(m[1]!, 'base64').toString(),
  );
  return `${json}\n${decoded.join('\n')}`;
}

describe('rotate credentials on Temporal + moto + the GitHub sandbox', () => {
  let proxy: ThrottlingProxy | undefined;
  afterEach(async () => {
    await proxy?.stop();
    proxy = undefined;
  });

  it('rotates end to end under AWS throttling and GitHub rate limits; old key inactive, then deleted after the durable grace delay; no secret in history or logs', async () => {
    const admin = moto.iam();
    const oldKey = await seed(admin);
    proxy = await startThrottlingProxy(moto.url(), 4);
    const limit = sandbox.injectRateLimit({ kind: 'secondary', every: 3, retryAfterSeconds: 1 });
    const engine = await engineWith(
      createIamClient({ endpoint: proxy.url, credentials: MOTO_CREDENTIALS, maxAttempts: 8 }),
    );
    try {
      const input = incidentInput(compileForTest(playbook(DELETE_AFTER_GRACE), CATALOG));
      const h = await engine.client.workflow.start<typeof incidentWorkflow>('incidentWorkflow', {
        taskQueue: engine.taskQueue,
        workflowId: input.incidentId,
        args: [input],
      });
      await approve(h, 'rotate');
      await approve(h, 'revoke-sessions');
      // During the grace delay: the new key is in GitHub and works, the old one is inactive but still there.
      await eventually(
        async () => {
          const st = (await h.query(statusQuery)).steps.find((s) => s.id === 'delete-old')!;
          return st.note?.startsWith('starts after its delay') || st.status === 'awaiting-approval';
        },
        60_000,
        'delete-old waiting',
      );
      const rotated = (
        (await h.query(statusQuery)).steps.find((s) => s.id === 'rotate')!.effects!.rotated as RotatedUser[]
      )[0]!;
      const newId = sandbox.secretValue({ repo: 'web' }, 'AWS_ACCESS_KEY_ID')!;
      const newSecret = sandbox.secretValue({ repo: 'web' }, 'AWS_SECRET_ACCESS_KEY')!;
      expect(newId).toBe(rotated.newKeyId);
      expect(keyFingerprint(newSecret)).toBe(rotated.fingerprint);
      const asNew = createIamClient({
        endpoint: moto.url(),
        credentials: { accessKeyId: newId, secretAccessKey: newSecret },
      });
      expect((await asNew.send(new GetUserCommand({}))).User?.UserName).toBe('ci-web');
      expect(await keysOf(admin, 'ci-web')).toEqual({ [oldKey]: 'Inactive', [newId]: 'Active' });

      await approve(h, 'delete-old');
      const final = await h.result();
      expect(final.status).toBe('completed');
      expect(await keysOf(admin, 'ci-web')).toEqual({ [newId]: 'Active' });
      const del = final.steps.find((s) => s.id === 'delete-old')!;
      expect(del.effects!.deleted).toEqual([{ user: 'ci-web', keyId: oldKey }]);
      const rot = final.steps.find((s) => s.id === 'rotate')!;
      expect(rot.effects!.rotateByHand).toEqual([expect.objectContaining({ name: 'NPM_TOKEN' })]);
      // Role sessions: the deny policy on aws:TokenIssueTime is on the role.
      const policy = await admin.send(
        new GetRolePolicyCommand({ RoleName: 'deployer', PolicyName: `cordon-revoke-sessions-${input.incidentId}` }),
      );
      expect(decodeURIComponent(policy.PolicyDocument!)).toContain('aws:TokenIssueTime');
      // The grace delay is a durable timer in history, not a sleep in an activity.
      const history = await h.fetchHistory();
      expect(history.events!.some((e) => e.timerStartedEventAttributes?.startToFireTimeout)).toBe(true);
      // Throttling and rate limits were injected and outlasted.
      expect(proxy.throttled).toBeGreaterThan(0);
      expect(limit.triggered).toBeGreaterThan(0);
      // The secret key never reached history (payloads decoded) or any log line; key ids and fingerprints may.
      const text = historyText(history);
      expect(text).toContain(newId);
      expect(text).not.toContain(newSecret);
      expect(logs.join('\n')).not.toContain(newSecret);
    } finally {
      limit.remove();
      await engine.stop();
    }
  }, 180_000);

  it('a failure after the rotation leaves it in place; the stand-down runs the undo: old key active again, role policy removed', async () => {
    const admin = moto.iam();
    const oldKey = await seed(admin);
    const engine = await engineWith(moto.iam());
    try {
      const input = incidentInput(compileForTest(playbook(FAIL_AFTER_ROTATE), CATALOG));
      const h = await engine.client.workflow.start<typeof incidentWorkflow>('incidentWorkflow', {
        taskQueue: engine.taskQueue,
        workflowId: input.incidentId,
        args: [input],
      });
      await approve(h, 'rotate');
      await approve(h, 'revoke-sessions');
      // The failure pauses the incident: the rotation stays applied until someone decides.
      await eventually(
        async () => (await h.query(statusQuery)).steps.find((s) => s.id === 'boom')!.failures?.length === 1,
        60_000,
        'boom failed and waiting for a decision',
      );
      expect(Object.values(await keysOf(admin, 'ci-web')).sort()).toEqual(['Active', 'Inactive']);
      await h.executeUpdate(standDownUpdate, { args: [{ by: 'bob', reason: 'false positive' }] });
      await approveStandDown(h, 'bob');
      const final = await h.result();
      expect(final.status).toBe('stood-down');
      expect(final.steps.find((s) => s.id === 'rotate')!.status).toBe('compensated');
      const keys = await keysOf(admin, 'ci-web');
      expect(keys[oldKey]).toBe('Active');
      expect(Object.values(keys)).toEqual(['Active', 'Active']);
      await expect(
        admin.send(
          new GetRolePolicyCommand({ RoleName: 'deployer', PolicyName: `cordon-revoke-sessions-${input.incidentId}` }),
        ),
      ).rejects.toMatchObject({ name: expect.stringMatching(/^NoSuchEntity/) });
    } finally {
      await engine.stop();
    }
  }, 120_000);

  it('a plan that changed since approval is not applied: approval is asked again for the new plan', async () => {
    const admin = moto.iam();
    await seed(admin);
    const engine = await engineWith(moto.iam());
    try {
      const input = incidentInput(compileForTest(playbook(), CATALOG));
      const h = await engine.client.workflow.start<typeof incidentWorkflow>('incidentWorkflow', {
        taskQueue: engine.taskQueue,
        workflowId: input.incidentId,
        args: [input],
      });
      await eventually(async () => {
        const st = (await h.query(statusQuery)).steps.find((s) => s.id === 'rotate')!;
        return st.status === 'awaiting-approval';
      }, 60_000);
      // Someone adds a key while the plan waits: the approved plan no longer describes the user's keys.
      const extra = (await admin.send(new CreateAccessKeyCommand({ UserName: 'ci-web' }))).AccessKey!.AccessKeyId!;
      const first = await approve(h, 'rotate', 1);
      const second = await approve(h, 'rotate', 2);
      expect(second).not.toBe(first);
      await approve(h, 'revoke-sessions');
      const final = await h.result();
      const rot = final.steps.find((s) => s.id === 'rotate')!;
      expect(rot.note).toMatch(/plan changed after approval/);
      // The applied plan is the second one: it knew the extra key and made room for the new one.
      expect((rot.plan!.items as Array<{ keys: Array<{ id: string }> }>)[0]!.keys.map((k) => k.id)).toContain(extra);
      expect(Object.keys(await keysOf(admin, 'ci-web'))).toHaveLength(2);
    } finally {
      await engine.stop();
    }
  }, 120_000);
});
