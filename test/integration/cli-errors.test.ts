// Every user error is one line on stderr and exit 2, against a real Temporal server: an unknown incident, a shell
// without the codec keys talking to an encrypted worker, a second acknowledgement, a fact after the incident closed,
// and attacker-sized free text, which the validators refuse while the incident goes on.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { createIncidentActivities } from '../../activities/incident';
import { createNotifyActivities, type PacketMailer } from '../../activities/notify';
import { castVote } from '../../client/incidents';
import type { CodecConfig } from '../../config/codec';
import {
  acknowledgeUpdate,
  obligationQuery,
  recordFactUpdate,
  statusQuery,
  type IncidentState,
} from '../../workflows/definitions';
import { runCordon, type CliRun } from '../harness/cli';
import { eventually, startEngine, temporalAddress, type TestEngine } from '../harness/engine';
import { obligationsFixture, playbookFixture } from '../harness/fixtures';
import { signingEnv } from '../harness/people';

const NO_SEND: PacketMailer = { send: async () => ({ response: '250 not sent' }) };
const CODEC: CodecConfig = { activeKeyId: 'ce-1', keys: { 'ce-1': randomBytes(32) } };
const CODEC_ENV = { CORDON_CODEC_KEYS: JSON.stringify({ 'ce-1': CODEC.keys['ce-1']!.toString('base64') }) };

let plain: TestEngine;
let encrypted: TestEngine;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cordon-cli-errors-'));
  writeFileSync(path.join(dir, 'playbook.yaml'), playbookFixture('notify-insurer'));
  writeFileSync(path.join(dir, 'obligations.yaml'), obligationsFixture('insurer-and-regulator'));
  const activities = () => ({
    ...createIncidentActivities(),
    ...createNotifyActivities({ obligationsFile: path.join(dir, 'obligations.yaml'), stateDir: dir, mailer: NO_SEND }),
  });
  plain = await startEngine(activities(), { oncall: ['bob'] });
  encrypted = await startEngine(activities(), { oncall: ['bob'] }, CODEC);
  env = { TEMPORAL_ADDRESS: temporalAddress(), CORDON_TASK_QUEUE: plain.taskQueue, CORDON_USER: 'alice' };
});
afterAll(async () => {
  await plain?.stop();
  await encrypted?.stop();
});

const cli = (args: string[], over: NodeJS.ProcessEnv = {}): Promise<CliRun> =>
  runCordon(args, dir, { ...env, ...over });

/** One line on stderr, nothing on stdout, exit 2: what a user error looks like to a person and to a script. */
function expectOneLine(r: CliRun, pattern: RegExp): void {
  expect(r).toMatchObject({ code: 2, out: '' });
  expect(r.err.split('\n')).toEqual([expect.stringMatching(pattern), '']);
}

let seq = 0;
/** Declares an incident on `taskQueue` and waits until its notify step awaits approval. */
async function declare(over: NodeJS.ProcessEnv = {}): Promise<string> {
  const id = `cli-errors-${process.pid}-${++seq}`;
  const r = await cli(
    [
      'declare',
      '--package',
      'npm:@mastra/core@1.42.1',
      '--org',
      'acme',
      '--since',
      '2026-06-17T04:00:00Z',
      '--playbook',
      'playbook.yaml',
      '--obligations',
      'obligations.yaml',
      '--id',
      id,
      '--drill',
      '--json',
    ],
    over,
  );
  expect(r).toMatchObject({ code: 0, err: '' });
  const incidentId = (JSON.parse(r.out) as { incidentId: string }).incidentId;
  await eventually(async () => {
    const s = await cli(['status', incidentId, '--json'], over);
    return s.code === 0 && (JSON.parse(s.out) as IncidentState).status === 'awaiting-approval';
  });
  return incidentId;
}

describe('user errors are one line and exit 2', () => {
  it.each([
    ['status', ['status', 'incident-nope']],
    ['approve', ['approve', 'incident-nope', 'notify']],
    ['ack', ['ack', 'incident-nope', 'insurer-notice', '--reference', 'CLM-1']],
    ['stand-down', ['stand-down', 'incident-nope', '--reason', 'wrong id']],
  ])('names an unknown incident for %s', async (name, args) => {
    expectOneLine(await cli(args), new RegExp(`^cordon ${name}: incident incident-nope not found \\(\`cordon list\``));
  });

  it('refuses declare without CORDON_CODEC_KEYS when the worker encrypts, and writes nothing', async () => {
    const id = `incident-cli-errors-clear-${process.pid}`;
    const r = await cli(
      ['declare', '--package', 'npm:axios@1.14.1', '--org', 'acme', '--since', '2026-03-31T00:00:00Z', '--id', id],
      { CORDON_TASK_QUEUE: encrypted.taskQueue },
    );
    expectOneLine(
      r,
      new RegExp(
        `^cordon declare: the cordon worker on task queue ${encrypted.taskQueue} encrypts payloads .*CORDON_CODEC_KEYS`,
      ),
    );
    await expect(plain.client.workflow.getHandle(id).describe()).rejects.toThrow(/not found/i);
  });

  it('says to set CORDON_CODEC_KEYS when a shell without keys reads an encrypted incident', async () => {
    const incidentId = await declare({ CORDON_TASK_QUEUE: encrypted.taskQueue, ...CODEC_ENV });
    // Pointed at the encrypted worker's queue it is refused at connect; from another queue it meets the ciphertext.
    expectOneLine(
      await cli(['status', incidentId], { CORDON_TASK_QUEUE: encrypted.taskQueue }),
      /^cordon status: the cordon worker on task queue \S+ encrypts payloads .*set CORDON_CODEC_KEYS/,
    );
    expectOneLine(
      await cli(['status', incidentId]),
      /^cordon status: the incident's data is encrypted and this shell has no key: set CORDON_CODEC_KEYS/,
    );
    const over = { CORDON_TASK_QUEUE: encrypted.taskQueue, ...CODEC_ENV };
    // Stand-down is a signed decision of its group (oncall: bob).
    const bob = { ...over, ...signingEnv('bob') };
    expect(await cli(['stand-down', incidentId, '--reason', 'test over', '--as', 'bob'], bob)).toMatchObject({
      code: 0,
    });
  });

  it('refuses a second ack and a fact after the incident closed, one line each', async () => {
    const incidentId = await declare();
    expect(await cli(['fact', incidentId, 'exposure-confirmed', '--as', 'alice'])).toMatchObject({ code: 0 });
    await eventually(async () => {
      const s = JSON.parse((await cli(['status', incidentId, '--json'])).out) as { obligationClocks?: unknown[] };
      return s.obligationClocks?.length === 1;
    });
    const ack = ['ack', incidentId, 'insurer-notice', '--as', 'broker', '--reference', 'CLM-42'];
    expect(await cli(ack)).toMatchObject({ code: 0 });
    // The clock ends once acknowledged: the second ack meets either the validator or the closed clock.
    expectOneLine(
      await cli(ack),
      /^cordon ack: (acknowledgement refused: insurer-notice was already acknowledged by broker|obligation insurer-notice of \S+ has closed)/,
    );

    const bob = signingEnv('bob');
    expect(await cli(['stand-down', incidentId, '--reason', 'contained', '--as', 'bob'], bob)).toMatchObject({
      code: 0,
    });
    await plain.client.workflow.getHandle(incidentId).result();
    expectOneLine(
      await cli(['fact', incidentId, 'personal-data-exposed', '--as', 'dpo']),
      new RegExp(`^cordon fact: incident ${incidentId} has closed: it takes no more facts`),
    );
  });
});

describe('free text has a size', () => {
  it('refuses a 1 MB reason or note in the validator, and the incident goes on', async () => {
    const incidentId = await declare();
    const h = plain.client.workflow.getHandle(incidentId);
    const mb = 'x'.repeat(1_000_000);
    // Straight to the workflow, as a client other than the CLI could: the validator is the last line.
    const fact = h.executeUpdate(recordFactUpdate, { args: [{ fact: 'exposure-confirmed', by: 'mallory', note: mb }] });
    await expect(fact).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(fact).rejects.toMatchObject({
      cause: { type: 'TOO_LONG', message: 'note is 1000000 bytes; the limit is 4096 bytes' },
    });
    expect((await h.query(statusQuery)).status).toBe('awaiting-approval');
    await h.executeUpdate(recordFactUpdate, { args: [{ fact: 'exposure-confirmed', by: 'alice', note: 'ok' }] });
    const clock = await eventually(async () => (await h.query(statusQuery)).obligations?.[0]);
    const ack = plain.client.workflow
      .getHandle(clock.workflowId)
      .executeUpdate(acknowledgeUpdate, { args: [{ by: 'broker', reference: 'CLM-1', note: mb }] });
    await expect(ack).rejects.toMatchObject({ cause: { type: 'TOO_LONG' } });
    const state = await plain.client.workflow.getHandle(clock.workflowId).query(obligationQuery);
    expect(state.status).toBe('open');

    // A 1.2 MB rejection reason is refused by the vote validator before it could reach the incident's state or a
    // notice: the incident goes on, still awaiting a decision.
    await expect(
      castVote(plain.client, incidentId, {
        stepId: 'notify',
        approver: 'bob',
        decision: 'reject',
        channel: 'cli',
        reason: 'y'.repeat(1_200_000),
      }),
    ).rejects.toMatchObject({ refusal: 'TOO_LONG', message: 'reason is 1200000 bytes; the limit is 4096 bytes' });
    expect((await h.query(statusQuery)).status).toBe('awaiting-approval');
    expect((await h.describe()).status.name).toBe('RUNNING');
    expect((await cli(['status', incidentId])).code).toBe(0);
  });
});
