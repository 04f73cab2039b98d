// Pre-flight at declare, on a real Temporal server: the worker checks the playbook against its own configuration
// before anything runs, and `cordon declare` refuses with one line per missing piece (or, with --allow-missing,
// leaves those steps to people). A drill may only reach sandboxes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/config';
import { createLogger } from '../../config/logger';
import { defaultHandlers } from '../../worker/handlers';
import { incidentStatus } from '../../client/incidents';
import { runCordon } from '../harness/cli';
import { eventually, startEngine, temporalAddress, type TestEngine } from '../harness/engine';

const PLAYBOOK = `apiVersion: cordon/v1
kind: Playbook
name: preflight-test
version: 1
phases: [declare, identify]
steps:
  - id: declare
    phase: declare
    action: incident.declare
    mutates: false
    inputs:
      org: \${incident.org}
      packages: \${incident.packages}
      since: \${incident.since}
  - id: list-repos
    phase: identify
    action: github.listRepos
    needs: [declare]
    mutates: false
    inputs:
      org: \${incident.org}
  - id: report
    phase: identify
    action: incident.report
    needs: [list-repos]
    mutates: false
`;

let dir: string;
const engines: TestEngine[] = [];

/** A worker wired exactly as `cordon worker` wires it, from this environment. */
async function workerWith(env: Record<string, string>): Promise<TestEngine> {
  const config = loadConfig({ ...env, CORDON_STATE_DIR: dir }, dir);
  const engine = await startEngine(defaultHandlers(config, createLogger('silent')), {});
  engines.push(engine);
  return engine;
}

const declare = (engine: TestEngine, pkg: string, ...extra: string[]) =>
  runCordon(
    [
      'declare',
      '--package',
      pkg,
      '--org',
      'acme',
      '--since',
      '2026-06-17T00:00:00Z',
      '--playbook',
      'playbook.yaml',
      '--no-obligations',
      '--json',
      ...extra,
    ],
    dir,
    // The declarer's shell has no GitHub configuration either way: pre-flight answers from the worker's.
    { TEMPORAL_ADDRESS: temporalAddress(), CORDON_TASK_QUEUE: engine.taskQueue, CORDON_USER: 'alice' },
  );

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cordon-preflight-'));
  writeFileSync(path.join(dir, 'playbook.yaml'), PLAYBOOK);
});
afterAll(async () => {
  for (const e of engines) await e.stop();
});

describe('pre-flight at declare', () => {
  it('refuses a declaration whose worker lacks an integration, before any step runs', async () => {
    const engine = await workerWith({});
    const r = await declare(engine, 'npm:preflight-missing@1.0.0');
    expect(r).toMatchObject({ code: 2, out: '' });
    const lines = r.err.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^cordon declare: incident-acme-preflight-missing-\w+ refused at pre-flight, nothing ran/);
    expect(lines.slice(1)).toEqual([
      'GitHub is not configured: set GITHUB_TOKEN (and GITHUB_API_URL for GitHub Enterprise or the sandbox) ' +
        '(needed by list-repos)',
    ]);
    const id = /(incident-\S+) refused/.exec(lines[0]!)![1]!;
    const state = await incidentStatus(engine.client, id);
    expect(state.status).toBe('refused');
    expect(state.finishedAt).toBeDefined();
    expect(state.preflight).toMatchObject({ refused: true, manual: [] });
    // Nothing ran: not even the declare step, which needs no configuration.
    expect(state.steps.map((s) => [s.id, s.status, s.startedAt])).toEqual([
      ['declare', 'cancelled', undefined],
      ['list-repos', 'cancelled', undefined],
      ['report', 'cancelled', undefined],
    ]);
    expect(engine.notifier.events.map((e) => e.kind)).toEqual(['refused']);
  });

  it('with --allow-missing, leaves the steps that need it to people and runs the rest', async () => {
    const engine = await workerWith({});
    const r = await declare(engine, 'npm:preflight-allowed@1.0.0', '--allow-missing');
    expect(r).toMatchObject({ code: 0, err: '' });
    const declared = JSON.parse(r.out) as { incidentId: string; manual: string[]; missing: string[] };
    expect(declared.manual).toEqual(['list-repos']);
    expect(declared.missing).toEqual([expect.stringMatching(/^GitHub is not configured: .*\(needed by list-repos\)$/)]);
    const state = await eventually(async () => {
      const s = await incidentStatus(engine.client, declared.incidentId);
      return s.status === 'completed' && s;
    });
    expect(state.steps.map((s) => [s.id, s.status])).toEqual([
      ['declare', 'succeeded'],
      ['list-repos', 'manual'],
      ['report', 'succeeded'],
    ]);
    // The handler was never called: a manual step has no attempt, output or error.
    const manual = state.steps[1]!;
    expect(manual.startedAt).toBeUndefined();
    expect(manual.error).toBeUndefined();
    expect(manual.note).toMatch(/^GitHub is not configured/);
    expect(engine.notifier.events.filter((e) => e.stepId === 'list-repos').map((e) => e.kind)).toEqual(['step-manual']);
  });

  it('refuses a drill pointed at a GitHub that is not a sandbox, even with --allow-missing', async () => {
    // Nothing answers at this address: pre-flight must refuse before any call could be made.
    const engine = await workerWith({ GITHUB_API_URL: 'https://ghe.acme.example/api/v3', GITHUB_TOKEN: 'ghp_real' });
    const r = await declare(engine, 'npm:preflight-drill@1.0.0', '--drill', '--allow-missing');
    expect(r.code).toBe(2);
    expect(r.err.trimEnd().split('\n').slice(1)).toEqual([
      'a drill may only call sandboxes, and GitHub is https://ghe.acme.example/api/v3 ' +
        '(not a loopback address nor under CORDON_SANDBOX_URLS) (needed by list-repos)',
    ]);
    const id = /(incident-\S+) refused/.exec(r.err)![1]!;
    const state = await incidentStatus(engine.client, id);
    expect(state).toMatchObject({ status: 'refused', drill: true });
    expect(state.steps.every((s) => s.status === 'cancelled' && s.startedAt === undefined)).toBe(true);
  });

  it('declares the same drill when the worker points at a sandbox, and a real incident against a real GitHub', async () => {
    const sandboxed = await workerWith({ GITHUB_API_URL: 'http://127.0.0.1:9/api/v3', GITHUB_TOKEN: 'ghp_sandbox' });
    const drill = await declare(sandboxed, 'npm:preflight-sandbox@1.0.0', '--drill');
    expect(drill).toMatchObject({ code: 0, err: '' });
    const real = await workerWith({ GITHUB_API_URL: 'https://ghe.acme.example/api/v3', GITHUB_TOKEN: 'ghp_real' });
    const incident = await declare(real, 'npm:preflight-real@1.0.0');
    expect(incident).toMatchObject({ code: 0, err: '' });
    expect(JSON.parse(incident.out)).not.toHaveProperty('manual');
    // Neither GitHub answers; end the incidents rather than let them retry (their playbook has no approver group, so
    // no stand-down could be approved: this is the test's own clean-up).
    for (const [engine, out] of [
      [sandboxed, drill.out],
      [real, incident.out],
    ] as const)
      await engine.client.workflow
        .getHandle((JSON.parse(out) as { incidentId: string }).incidentId)
        .terminate('test over');
  });
});
