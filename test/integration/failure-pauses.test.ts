// Failure pauses, never reverts, on the real Temporal server: a step that fails because its integration is not
// configured (AWS) leaves the containment already applied in place and the incident open while independent steps
// finish; after the worker restarts with AWS configured (moto's IAM server and the GitHub sandbox), `retry` plans
// again, asks for approval again and completes the incident. A skip needs a reason and skips what needs the step;
// a stand-down undoes only the applied steps that did not opt out.
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { CreateAccessKeyCommand, CreateUserCommand, ListAccessKeysCommand, type IAMClient } from '@aws-sdk/client-iam';
import type { WorkflowHandle } from '@temporalio/client';
import { parseInventory } from '../../activities/aws';
import { RecordingNotifier } from '../../activities/engine';
import { createGitHubClient } from '../../activities/github';
import type { ActionHandlers } from '../../activities/registry';
import { decideFailedStep, standDown, VoteRefused } from '../../client/incidents';
import { createLogger } from '../../config/logger';
import { DEFAULT_ACTIONS, type ActionCatalog } from '../../domain/actions';
import { startLocalEngine, type LocalEngine } from '../../drill/local-engine';
import { startGitHubSandbox, type GitHubSandbox } from '../../sandbox/github';
import { configuredAwsActivities } from '../../worker/aws-handlers';
import { statusQuery, voteUpdate, type IncidentState, type StepState } from '../../workflows/definitions';
import type { incidentWorkflow } from '../../workflows/incident';
import { runCordon } from '../harness/cli';
import { compileForTest, eventually, incidentInput, temporalAddress, testConfig } from '../harness/engine';
import { approveStandDown, signedVote } from '../harness/people';
import { MOTO_CREDENTIALS, useMoto } from '../harness/moto';
import { newWorld, TEST_CATALOG, testActions, type World } from '../harness/test-actions';

const TOKEN = 'ghs_failurePauses';
const moto = useMoto();

const CATALOG: ActionCatalog = {
  ...TEST_CATALOG,
  ...Object.fromEntries(Object.entries(DEFAULT_ACTIONS).filter(([n]) => n.startsWith('aws.'))),
};

const APPROVAL = '{ group: oncall, quorum: 1, timeout: 10m, onExpiry: reject }';
// contain (applied first) → rotate (AWS) → after; `side` is an independent branch.
const PLAYBOOK = `
apiVersion: cordon/v1
kind: Playbook
name: failure-pauses
version: 1
phases: [identify, contain, rotate, close]
steps:
  - id: exposure
    phase: identify
    action: test.read
    mutates: false
    inputs:
      secrets:
        - { repo: acme/web, scope: repository, name: AWS_ACCESS_KEY_ID }
        - { repo: acme/web, scope: repository, name: AWS_SECRET_ACCESS_KEY }
  - id: contain
    phase: contain
    action: test.change
    needs: [exposure]
    mutates: true
    undo: { action: test.restore }
    approval: ${APPROVAL}
  - id: rotate
    phase: rotate
    action: aws.rotateAccessKeys
    needs: [contain]
    mutates: true
    timeout: 1m
    inputs:
      targets: \${steps.exposure.output.secrets}
    undo: { action: aws.reactivateAccessKeys }
    approval: ${APPROVAL}
  - id: after
    phase: close
    action: test.read
    needs: [rotate]
    mutates: false
  - id: side
    phase: close
    action: test.read
    needs: [exposure]
    mutates: false
`;

const inventory = parseInventory(
  {
    secrets: {
      'acme/web:AWS_ACCESS_KEY_ID': { user: 'ci-web' },
      'acme/web:AWS_SECRET_ACCESS_KEY': { user: 'ci-web' },
    },
  },
  'test inventory',
);

let sandbox: GitHubSandbox;
beforeAll(async () => {
  sandbox = await startGitHubSandbox({
    org: {
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
    },
    tokens: [TOKEN],
  });
});
afterAll(async () => {
  await sandbox.stop();
});

let world: World;
beforeEach(() => {
  world = newWorld();
});

/** A worker on `taskQueue` whose AWS actions are wired as the real worker wires them: configured, or not. */
function engineOn(taskQueue: string, awsConfigured: boolean): Promise<LocalEngine> {
  const octokit = createGitHubClient({ token: TOKEN, baseUrl: sandbox.url });
  const aws = awsConfigured
    ? { region: 'us-east-1', endpoint: moto.url(), credentials: MOTO_CREDENTIALS, inventory }
    : undefined;
  return startLocalEngine({
    config: testConfig({ oncall: ['alice', 'bob'] }, taskQueue),
    handlers: { ...testActions(world), ...configuredAwsActivities(aws, octokit) } as ActionHandlers,
    notifiers: [new RecordingNotifier()],
    logger: createLogger('silent'),
  });
}

type Handle = WorkflowHandle<typeof incidentWorkflow>;

async function declare(engine: LocalEngine, taskQueue: string, yaml = PLAYBOOK): Promise<Handle> {
  const input = incidentInput(compileForTest(yaml, CATALOG));
  return engine.client.workflow.start<typeof incidentWorkflow>('incidentWorkflow', {
    taskQueue,
    workflowId: input.incidentId,
    args: [input],
  });
}

const stepOf = (s: IncidentState, id: string): StepState => s.steps.find((x) => x.id === id)!;

/** Waits for a step's approval request (round `round`) and approves it as bob. */
async function approve(h: Handle, stepId: string, round = 1): Promise<void> {
  const s = await eventually(
    async () => {
      const st = stepOf(await h.query(statusQuery), stepId);
      return st.status === 'awaiting-approval' && st.approvals.length === round ? st : undefined;
    },
    60_000,
    `${stepId} awaiting approval (round ${round})`,
  );
  const vote = { stepId, planHash: s.plan!.hash, approver: 'bob', decision: 'approve', channel: 'api' } as const;
  await h.executeUpdate(voteUpdate, { args: [await signedVote(h, vote)] });
}

/** Waits until `stepId` has failed `times` times and waits for a decision, and the other branch has finished. */
async function pausedOn(h: Handle, stepId: string, times = 1): Promise<IncidentState> {
  return eventually(
    async () => {
      const st = await h.query(statusQuery);
      const f = stepOf(st, stepId).failures;
      return f?.length === times && !f.at(-1)!.decision && stepOf(st, 'side').status === 'succeeded' ? st : undefined;
    },
    60_000,
    `${stepId} failed and waiting for a decision`,
  );
}

async function refusalOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof VoteRefused) return err.refusal;
    throw err;
  }
  return 'accepted';
}

async function keysOf(iam: IAMClient, user: string): Promise<string[]> {
  const r = await iam.send(new ListAccessKeysCommand({ UserName: user }));
  return (r.AccessKeyMetadata ?? []).map((k) => `${k.AccessKeyId}:${k.Status}`).sort();
}

describe('a failed step pauses the incident', () => {
  it('leaves containment applied and the incident open; after the configuration is fixed, retry completes it', async () => {
    const taskQueue = `pause-${randomUUID()}`;
    let engine = await engineOn(taskQueue, false);
    try {
      const h = await declare(engine, taskQueue);
      await approve(h, 'contain');
      const paused = await pausedOn(h, 'rotate');

      // The incident is open, the failure is shown with its code, nothing was undone, the dependant waits.
      expect(paused.status).toBe('running');
      expect((await h.describe()).status.name).toBe('RUNNING');
      const rotate = stepOf(paused, 'rotate');
      expect(rotate).toMatchObject({ status: 'failed', errorCode: 'AWS_NOT_CONFIGURED' });
      expect(rotate.error).toMatch(/AWS is not configured/);
      expect(rotate.failures![0]).toMatchObject({ attempt: 1, code: 'AWS_NOT_CONFIGURED', groups: ['oncall'] });
      expect(paused.steps.map((s) => [s.id, s.status])).toEqual([
        ['exposure', 'succeeded'],
        ['contain', 'succeeded'],
        ['rotate', 'failed'],
        ['after', 'pending'],
        ['side', 'succeeded'],
      ]);
      expect(world.applied).toEqual([{ key: `${h.workflowId}/contain`, items: ['a', 'b'] }]);
      expect(world.undone).toEqual([]);
      expect(paused.standDownPreview).toEqual({
        undos: [{ stepId: 'contain', action: 'test.restore' }],
        kept: [],
      });

      // Retry is a decision like a vote: outsiders and the initiator (separation of duties) are refused.
      const retry = (by: string) =>
        decideFailedStep(engine.client, h.workflowId, 'retry', { stepId: 'rotate', by, channel: 'api' });
      expect(await refusalOf(retry('mallory'))).toBe('NOT_IN_GROUP');
      expect(await refusalOf(retry('alice'))).toBe('SEPARATION_OF_DUTIES');
      expect(
        await refusalOf(
          decideFailedStep(engine.client, h.workflowId, 'retry', { stepId: 'contain', by: 'bob', channel: 'api' }),
        ),
      ).toBe('NOT_FAILED');

      // Fix the configuration: the worker restarts with AWS (moto + the GitHub sandbox) wired in.
      await engine.stop();
      const admin = moto.iam();
      await admin.send(new CreateUserCommand({ UserName: 'ci-web' }));
      const oldKey = (await admin.send(new CreateAccessKeyCommand({ UserName: 'ci-web' }))).AccessKey!.AccessKeyId!;
      engine = await engineOn(taskQueue, true);
      // The first engine's client closed with it: reach the incident through the new one.
      const again = engine.client.workflow.getHandle<typeof incidentWorkflow>(h.workflowId);

      expect(await retry('bob')).toEqual({ stepId: 'rotate', accepted: true, decision: 'retry' });
      // The retried step plans again and asks for approval of the new plan before applying anything.
      await approve(again, 'rotate');
      const final = await again.result();
      expect(final.status).toBe('completed');
      expect(final.steps.map((s) => s.status)).toEqual([
        'succeeded',
        'succeeded',
        'succeeded',
        'succeeded',
        'succeeded',
      ]);
      expect(stepOf(final, 'rotate').failures![0]).toMatchObject({ decision: 'retry', decidedBy: 'bob' });
      expect(stepOf(final, 'rotate').error).toBeUndefined();
      const newKey = sandbox.secretValue({ repo: 'web' }, 'AWS_ACCESS_KEY_ID')!;
      expect(await keysOf(admin, 'ci-web')).toEqual([`${newKey}:Active`, `${oldKey}:Inactive`].sort());
      expect(world.undone).toEqual([]);
    } finally {
      await engine.stop();
    }
  }, 180_000);

  it('skip needs a reason, skips the steps that need the failed one, and completes with containment in place', async () => {
    const taskQueue = `pause-${randomUUID()}`;
    const engine = await engineOn(taskQueue, false);
    try {
      const h = await declare(engine, taskQueue);
      await approve(h, 'contain');
      await pausedOn(h, 'rotate');
      const skip = (reason?: string) =>
        decideFailedStep(engine.client, h.workflowId, 'skip', {
          stepId: 'rotate',
          by: 'bob',
          channel: 'api',
          ...(reason !== undefined ? { reason } : {}),
        });
      expect(await refusalOf(skip())).toBe('REASON_REQUIRED');
      expect(await skip('no AWS keys in this org: rotated by hand')).toMatchObject({ decision: 'skip' });
      const final = await h.result();
      expect(final.status).toBe('completed');
      expect(final.steps.map((s) => [s.id, s.status])).toEqual([
        ['exposure', 'succeeded'],
        ['contain', 'succeeded'],
        ['rotate', 'skipped'],
        ['after', 'skipped'],
        ['side', 'succeeded'],
      ]);
      expect(stepOf(final, 'rotate').failures![0]).toMatchObject({
        decision: 'skip',
        decidedBy: 'bob',
        reason: 'no AWS keys in this org: rotated by hand',
      });
      expect(world.applied).toHaveLength(1);
      expect(world.undone).toEqual([]);
    } finally {
      await engine.stop();
    }
  }, 120_000);

  it('a stand-down of a paused incident runs only the undos of applied steps that did not opt out', async () => {
    const taskQueue = `pause-${randomUUID()}`;
    const engine = await engineOn(taskQueue, false);
    const keep = PLAYBOOK.replace(
      '  - id: rotate',
      `  - id: pin
    phase: contain
    action: test.change
    needs: [contain]
    mutates: true
    undo: { action: test.restore }
    undoOnStandDown: false
    approval: ${APPROVAL}
  - id: rotate`,
    );
    try {
      const h = await declare(engine, taskQueue, keep);
      await approve(h, 'contain');
      await approve(h, 'pin');
      await pausedOn(h, 'rotate');
      // pin and rotate run side by side: wait for pin's apply before reading the preview.
      const paused = await eventually(
        async () => {
          const st = await h.query(statusQuery);
          return stepOf(st, 'pin').status === 'succeeded' ? st : undefined;
        },
        60_000,
        'pin applied',
      );
      expect(paused.standDownPreview).toEqual({
        undos: [{ stepId: 'contain', action: 'test.restore' }],
        kept: [{ stepId: 'pin', reason: 'undoOnStandDown: false' }],
      });
      expect(await standDown(engine.client, h.workflowId, 'bob', 'false positive')).toMatchObject({
        accepted: true,
        undos: [{ stepId: 'contain', action: 'test.restore' }],
      });
      // A stand-down is a decision: nothing is undone until a member of its group approves it, signed.
      await approveStandDown(h, 'bob');
      const final = await h.result();
      expect(final.status).toBe('stood-down');
      expect(final.steps.map((s) => [s.id, s.status])).toEqual([
        ['exposure', 'succeeded'],
        ['contain', 'compensated'],
        ['pin', 'succeeded'],
        ['rotate', 'failed'],
        ['after', 'cancelled'],
        ['side', 'succeeded'],
      ]);
      expect(stepOf(final, 'pin').note).toMatch(/kept in place/);
      expect(world.undone.map((u) => u.key.split('/').pop())).toEqual(['contain']);
      // Closed: there is nothing left to decide.
      await expect(
        decideFailedStep(engine.client, h.workflowId, 'retry', { stepId: 'rotate', by: 'bob', channel: 'api' }),
      ).rejects.toThrow();
    } finally {
      await engine.stop();
    }
  }, 120_000);

  it('cordon status shows the failure; cordon retry and skip decide it, refusals exit 1 with the reason', async () => {
    const taskQueue = `pause-${randomUUID()}`;
    const engine = await engineOn(taskQueue, false);
    const env = { TEMPORAL_ADDRESS: temporalAddress(), CORDON_TASK_QUEUE: taskQueue, CORDON_USER: 'bob' };
    const cli = (...args: string[]) => runCordon(args, tmpdir(), env);
    try {
      const h = await declare(engine, taskQueue);
      await approve(h, 'contain');
      await pausedOn(h, 'rotate');
      const shown = await cli('status', h.workflowId);
      expect(shown.out).toMatch(
        /failed +rotate +rotate +failed: AWS_NOT_CONFIGURED: .*AWS is not configured.*\(retry or skip: oncall\)/,
      );
      expect(shown.out).toContain('a stand-down would undo: contain (test.restore)');

      expect(await cli('skip', h.workflowId, 'rotate')).toMatchObject({
        code: 2,
        err: expect.stringMatching(/usage: cordon skip INCIDENT STEP --reason TEXT/),
      });
      expect(await cli('retry', h.workflowId, 'rotate', '--as', 'mallory')).toMatchObject({
        code: 1,
        err: expect.stringMatching(/^cordon retry: refused: NOT_IN_GROUP: mallory is not in approver group oncall/),
      });
      expect(await cli('retry', h.workflowId, 'rotate')).toMatchObject({
        code: 0,
        out: expect.stringMatching(/^retrying rotate/),
      });
      // Still not configured: it fails again, and waits again.
      await pausedOn(h, 'rotate', 2);
      const skipped = await cli('skip', h.workflowId, 'rotate', '--reason', 'rotated by hand', '--json');
      expect(skipped.code).toBe(0);
      expect(JSON.parse(skipped.out)).toEqual({ stepId: 'rotate', accepted: true, decision: 'skip' });
      const final = await h.result();
      expect(final.status).toBe('completed');
      expect(stepOf(final, 'rotate').failures!.map((f) => f.decision)).toEqual(['retry', 'skip']);
      expect(world.undone).toEqual([]);
    } finally {
      await engine.stop();
    }
  }, 120_000);
});
