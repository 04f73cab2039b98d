// The cordon CLI against a real Temporal server and worker: declare, join, status, list, approve (refused and
// accepted), reject, stand-down; bad input exits 2 with one line.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DrillLedger, drillAction } from '../../activities/drill';
import { createIncidentActivities } from '../../activities/incident';
import { createNotifyActivities, type PacketMailer } from '../../activities/notify';
import { DEFAULT_OBLIGATIONS_FILE } from '../../config/config';
import { runCordon, type CliRun } from '../harness/cli';
import { eventually, startEngine, temporalAddress, type TestEngine } from '../harness/engine';
import { signingEnv, userOf } from '../harness/people';
import { playbookFixture } from '../harness/fixtures';

const PLAYBOOK = playbookFixture('cli-pin-then-notify');

let engine: TestEngine;
let env: NodeJS.ProcessEnv;
let dir: string;

// Notify plans only where its parties can be reached; these tests never approve a send, so the mailer sends nothing.
const NO_SEND: PacketMailer = { send: async () => ({ response: '250 not sent' }) };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cordon-cli-'));
  writeFileSync(path.join(dir, 'playbook.yaml'), PLAYBOOK);
  const ledger = new DrillLedger(path.join(dir, 'ledger.jsonl'));
  const drill = (action: string, verb: string) => drillAction(action, verb, ledger, false);
  engine = await startEngine(
    {
      // The CLI is under test, not GitHub: the pin step records its changes in a drill ledger.
      'github.openPinPullRequests': drill('github.openPinPullRequests', 'open pin pull request in'),
      'github.closePinPullRequests': drill('github.closePinPullRequests', 'close pin pull request in'),
      ...createIncidentActivities(),
      ...createNotifyActivities({ obligationsFile: DEFAULT_OBLIGATIONS_FILE, stateDir: dir, mailer: NO_SEND }),
    },
    { 'oncall-security': ['alice', 'bob'] },
  );
  env = { TEMPORAL_ADDRESS: temporalAddress(), CORDON_TASK_QUEUE: engine.taskQueue, CORDON_USER: 'alice' };
});
afterAll(async () => engine.stop());

// Each user signs with their own key, as a person's CLI would (CORDON_SIGNING_KEY): the acting user is --as, or alice.
const cli = (...args: string[]): Promise<CliRun> => {
  const as = args.indexOf('--as');
  const user = userOf(as >= 0 ? (args[as + 1] ?? '') : 'alice');
  return runCordon(args, dir, { ...env, ...(user ? signingEnv(user) : {}) });
};

const json = <T>(r: { out: string }): T => JSON.parse(r.out) as T;

describe('cordon CLI on a real Temporal server', () => {
  it('declares, joins, approves with refusals, and stands down', async () => {
    const declareArgs = [
      'declare',
      '--package',
      'npm:@mastra/core@1.42.1',
      '--package',
      'npm:easy-day-js@1.11.22',
      '--org',
      'acme',
      '--since',
      '2026-06-17T04:00:00Z',
      '--severity',
      'critical',
      '--playbook',
      'playbook.yaml',
      '--drill',
      '--json',
    ];
    const first = await cli(...declareArgs);
    expect(first).toMatchObject({ code: 0, err: '' });
    const d = json<{ incidentId: string; joined: boolean }>(first);
    expect(d).toMatchObject({
      incidentId: expect.stringMatching(/^incident-acme-mastra-core-[0-9a-f]{8}$/),
      joined: false,
    });
    // The same advisory for the same org joins the running incident.
    expect(json(await cli(...declareArgs))).toMatchObject({ incidentId: d.incidentId, joined: true });

    const waiting = await eventually(async () => {
      const s = json<{ steps: { id: string; status: string }[] }>(await cli('status', d.incidentId, '--json'));
      return s.steps[1]!.status === 'awaiting-approval' ? s : undefined;
    });
    expect(waiting.steps[0]).toMatchObject({ id: 'declare', status: 'succeeded' });
    const human = await cli('status', d.incidentId);
    expect(human.out).toMatch(
      /awaiting-approval\s+contain\s+open-pin-prs {2}plan [0-9a-f]{12}: \[drill\] open pin pull request in 2 target\(s\) {2}\(0\/1 of oncall-security/,
    );
    // The approver reads what they are asked to approve: the plan's items, one line each, under the step.
    expect(human.out).toMatch(/open-pin-prs {2}plan .*\n {6}- \S.*\n {6}- \S.*\n/);

    // The initiator is refused with the validator's reason; a stranger too; exit 1, nothing recorded.
    const self = await cli('approve', d.incidentId, 'open-pin-prs');
    expect(self).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^cordon approve: refused: SEPARATION_OF_DUTIES: alice declared this incident/),
    });
    expect(await cli('approve', d.incidentId, 'open-pin-prs', '--as', 'eve')).toMatchObject({
      code: 1,
      err: expect.stringContaining('NOT_IN_GROUP'),
    });
    const ok = await cli('approve', d.incidentId, 'open-pin-prs', '--as', 'bob', '--json');
    expect(json(ok)).toMatchObject({ accepted: true, approvals: 1, decision: 'approved' });
    // Who voted, what and when, under the step.
    expect((await cli('status', d.incidentId)).out).toMatch(
      /open-pin-prs.*\n(?: {6}.*\n)* {6}approved by bob at \d{4}-\d\d-\d\dT\S+ \(cli\)\n/,
    );

    await eventually(
      async () =>
        json<{ steps: { status: string }[] }>(await cli('status', d.incidentId, '--json')).steps[2]!.status ===
        'awaiting-approval',
    );
    expect(await cli('reject', d.incidentId, 'notify', '--as', 'bob')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^cordon reject: usage: /),
    });

    const listed = json<{ incidentId: string; severity: string }[]>(
      await cli('list', '--severity', 'critical', '--org', 'acme', '--json'),
    );
    expect(listed).toEqual(
      expect.arrayContaining([expect.objectContaining({ incidentId: d.incidentId, severity: 'critical' })]),
    );
    // Time filters: declared after an hour ago, and not before the year 2000.
    const since = new Date(Date.now() - 3_600_000).toISOString();
    const recent = json<{ incidentId: string }[]>(await cli('list', '--org', 'acme', '--since', since, '--json'));
    expect(recent.map((r) => r.incidentId)).toContain(d.incidentId);
    expect(json<unknown[]>(await cli('list', '--org', 'acme', '--until', '2000-01-01T00:00:00Z', '--json'))).toEqual(
      [],
    );
    expect(await cli('list', '--since', 'yesterday')).toMatchObject({
      code: 2,
      err: 'cordon list: --since yesterday: expected an ISO 8601 time\n',
    });

    expect(await cli('stand-down', d.incidentId, '--as', 'bob', '--reason', 'drill over')).toMatchObject({ code: 0 });
    const final = await eventually(async () => {
      const s = json<{ status: string; steps: { id: string; status: string }[] }>(
        await cli('status', d.incidentId, '--json'),
      );
      return s.status === 'stood-down' ? s : undefined;
    });
    expect(final.steps.map((s) => s.status)).toEqual(['succeeded', 'compensated', 'cancelled']);
    // The incident has closed: a second stand-down is a user error, one line.
    expect(await cli('stand-down', d.incidentId, '--as', 'bob', '--reason', 'again')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^cordon stand-down: incident \S+ has closed/),
    });
  });

  it('exits 2 with one line on bad input, before touching Temporal', async () => {
    expect(
      await cli('declare', '--org', 'acme', '--since', '2026-06-17T00:00:00Z', '--playbook', 'playbook.yaml'),
    ).toMatchObject({
      code: 2,
      err: 'cordon declare: declare needs at least one affected package (--package ecosystem:name@version)\n',
    });
    expect(await cli('declare', '--package', 'npm:x', '--org', 'a', '--since', 'x')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^cordon declare: --package "npm:x": expected ECOSYSTEM:name@version/),
    });
    expect(
      await cli('declare', '--package', 'npm:x@1', '--org', 'a', '--since', 'yesterday', '--playbook', 'playbook.yaml'),
    ).toMatchObject({ code: 2, err: 'cordon declare: --since yesterday: expected an ISO 8601 time\n' });
    expect(await cli('declare', '--bogus')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^cordon declare: Unknown option '--bogus'/),
    });
    expect(
      await cli(
        'declare',
        '--package',
        'npm:x@1',
        '--org',
        'a',
        '--since',
        '2026-01-01T00:00:00Z',
        '--severity',
        'dire',
      ),
    ).toMatchObject({
      code: 2,
      err: expect.stringContaining('--severity dire: expected one of low, medium, high, critical'),
    });
    expect(await cli('status')).toMatchObject({
      code: 2,
      err: 'cordon status: usage: cordon status INCIDENT [--json]\n',
    });
  });

  it('refuses to declare with an invalid playbook, naming line and column, and starts nothing', async () => {
    writeFileSync(
      path.join(dir, 'broken.yaml'),
      PLAYBOOK.replace('quorum: 1, separationOfDuties: true', 'quorum: 0, separationOfDuties: true'),
    );
    // A package no other suite declares: the Temporal server is shared by the whole run.
    const pkg = `cordon-broken-playbook-${process.pid}`;
    const r = await cli(
      'declare',
      '--package',
      `npm:${pkg}@9.9.9`,
      '--org',
      'acme',
      '--since',
      '2026-06-17T04:00:00Z',
      '--playbook',
      'broken.yaml',
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^cordon declare: broken\.yaml:\d+:\d+: steps\[1\]\.approval\.quorum: Too small: expected number to be >=1\n$/,
    );
    const listed = JSON.parse((await cli('list', '--package', `npm:${pkg}`, '--json')).out) as unknown[];
    expect(listed).toEqual([]);
  });

  it('declares from an OSV record, and refuses a malformed one naming the file', async () => {
    const osv = path.resolve(__dirname, '../../sandbox/advisories/MAL-2026-6011.json');
    const args = ['--org', 'osv-org', '--since', '2026-06-17T04:00:00Z', '--playbook', 'playbook.yaml', '--json'];
    const r = await cli('declare', '--advisory', osv, ...args);
    expect(r).toMatchObject({ code: 0, err: '' });
    const id = json<{ incidentId: string }>(r).incidentId;
    expect(id).toMatch(/^incident-osv-org-mastra-core-/);
    const s = await eventually(async () =>
      json<{ packages: { name: string; versions: string[] }[]; advisoryIds: string[] }>(
        await cli('status', id, '--json'),
      ),
    );
    expect(s.packages).toEqual([expect.objectContaining({ name: '@mastra/core', versions: ['1.42.1'] })]);
    expect(s.advisoryIds).toEqual(expect.arrayContaining(['MAL-2026-6011']));
    await cli('stand-down', id, '--as', 'bob', '--reason', 'test over');

    writeFileSync(path.join(dir, 'bad-osv.json'), '{"id": "MAL-X", "affected": [{"package": {}}]');
    const bad = await cli('declare', '--advisory', 'bad-osv.json', ...args);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^cordon declare: bad-osv\.json: /);
  });

  it('says clearly when Temporal cannot be reached', async () => {
    const saved = env;
    env = { ...env, TEMPORAL_ADDRESS: '127.0.0.1:1' };
    try {
      const r = await cli('status', 'incident-x');
      expect(r.code).toBe(1);
      expect(r.err).toMatch(
        /^cordon status: cannot reach Temporal at 127\.0\.0\.1:1 \(start one with `cordon dev`, or set TEMPORAL_ADDRESS\)\n$/,
      );
    } finally {
      env = saved;
    }
  });
});
