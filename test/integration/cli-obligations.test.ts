// The CLI's side of notice obligations on a real Temporal server: declare with an obligations file, see each clock
// in `cordon status`, record a fact, acknowledge (refused without the reference the obligation expects).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createIncidentActivities } from '../../activities/incident';
import { createNotifyActivities, type PacketMailer } from '../../activities/notify';
import type { ObligationState } from '../../workflows/definitions';
import { runCordon, type CliRun } from '../harness/cli';
import { eventually, startEngine, temporalAddress, type TestEngine } from '../harness/engine';
import { signingEnv } from '../harness/people';
import { obligationsFixture, playbookFixture } from '../harness/fixtures';

// The incident waits on an approval nobody gives, so the CLI talks to it while it runs.
const PLAYBOOK = playbookFixture('notify-insurer');

const OBLIGATIONS = obligationsFixture('insurer-and-regulator');

let engine: TestEngine;
let env: NodeJS.ProcessEnv;
let dir: string;

// Notify plans only where its parties can be reached; these tests never approve a send, so the mailer sends nothing.
const NO_SEND: PacketMailer = { send: async () => ({ response: '250 not sent' }) };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cordon-cli-ob-'));
  writeFileSync(path.join(dir, 'playbook.yaml'), PLAYBOOK);
  writeFileSync(path.join(dir, 'obligations.yaml'), OBLIGATIONS);
  writeFileSync(path.join(dir, 'bad.yaml'), OBLIGATIONS.replace('who: regulator', 'who: regulatr'));
  engine = await startEngine(
    {
      ...createIncidentActivities(),
      ...createNotifyActivities({
        obligationsFile: path.join(dir, 'obligations.yaml'),
        stateDir: dir,
        mailer: NO_SEND,
      }),
    },
    { oncall: ['bob'] },
  );
  env = { TEMPORAL_ADDRESS: temporalAddress(), CORDON_TASK_QUEUE: engine.taskQueue, CORDON_USER: 'alice' };
});
afterAll(async () => engine.stop());

const cli = (...args: string[]): Promise<CliRun> => runCordon(args, dir, env);
const json = <T>(r: CliRun): T => JSON.parse(r.out) as T;
type Status = { obligationClocks?: ObligationState[]; status: string };

describe('cordon ack, fact and obligations', () => {
  it('validates an obligations file, naming file, line and column', async () => {
    expect(await cli('obligations', 'validate', 'obligations.yaml')).toMatchObject({ code: 0, out: /2 obligation/ });
    const bad = await cli('obligations', 'validate', 'bad.yaml', 'obligations.yaml');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^bad\.yaml:\d+:\d+: obligations\[1\]\.who: unknown party "regulatr"/);
    expect(bad.out).toMatch(/obligations\.yaml: ok/);
  });

  it('declares with obligations, shows their clocks, records a fact and acknowledges', async () => {
    const declared = await cli(
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
      '--drill',
      '--json',
    );
    expect(declared).toMatchObject({ code: 0, err: '' });
    const { incidentId } = json<{ incidentId: string }>(declared);
    // Nothing has confirmed exposure yet: no clock runs until someone records it.
    await eventually(
      async () => json<Status>(await cli('status', incidentId, '--json')).status === 'awaiting-approval',
    );
    expect(json<Status>(await cli('status', incidentId, '--json')).obligationClocks).toEqual([]);
    expect(await cli('fact', incidentId, 'exposure-confirmed', '--as', 'alice')).toMatchObject({ code: 0 });
    const status = await eventually(async () => {
      const s = json<Status>(await cli('status', incidentId, '--json'));
      return s.obligationClocks?.length === 1 ? s : undefined;
    });
    expect(status.obligationClocks![0]).toMatchObject({ id: 'insurer-notice', status: 'open', owner: 'legal' });
    expect((await cli('status', incidentId)).out).toMatch(
      /open\s+insurer-notice → Insurer {2}due \S+ {2}reminders 0\/1 {2}owner legal {2}notice not sent {2}expects: a claim number/,
    );

    expect(await cli('fact', incidentId, 'personal-data-exposed', '--as', 'dpo')).toMatchObject({ code: 0 });
    const again = await cli('fact', incidentId, 'personal-data-exposed', '--as', 'dpo');
    expect(again).toMatchObject({ code: 2, err: expect.stringMatching(/fact refused: .*already recorded by dpo/) });
    await eventually(
      async () => json<Status>(await cli('status', incidentId, '--json')).obligationClocks?.length === 2,
    );

    const noRef = await cli('ack', incidentId, 'insurer-notice', '--as', 'broker');
    expect(noRef).toMatchObject({ code: 2, err: expect.stringMatching(/acknowledgement refused: .*--reference/) });
    const ok = await cli('ack', incidentId, 'insurer-notice', '--as', 'broker', '--reference', 'CLM-42', '--json');
    expect(ok.code).toBe(0);
    expect(json<ObligationState>(ok)).toMatchObject({
      status: 'acknowledged',
      acknowledgement: { by: 'broker', reference: 'CLM-42' },
    });
    const unknown = await cli('ack', incidentId, 'nope', '--as', 'broker');
    expect(unknown).toMatchObject({
      code: 2,
      err: expect.stringMatching(/has no obligation "nope" \(started: insurer-notice, regulator-notice\)/),
    });
    expect((await cli('status', incidentId)).out).toMatch(/acknowledged\s+insurer-notice .* ref CLM-42/);
    // Stand-down is a signed decision of its group (oncall: bob).
    const bob = await runCordon(['stand-down', incidentId, '--reason', 'test over', '--as', 'bob'], dir, {
      ...env,
      ...signingEnv('bob'),
    });
    expect(bob).toMatchObject({ code: 0 });
  });
});
