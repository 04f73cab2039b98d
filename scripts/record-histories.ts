// `npm run -s fixtures:histories`: runs a few incidents with this checkout's workflow code on a Temporal dev server
// and stores their histories under test/fixtures/histories/, with the git commit they came from. The replay test
// (test/integration/history-replay.test.ts) replays every stored history against the current code, so a change to
// the interpreter that would break replay of incidents already running or already audited fails there.
//
// Record from a clean commit (e.g. `git archive` of it, with a COMMIT file naming it): fixtures are evidence of what
// that version wrote. Files are named `<scenario>-<commit>.json`, so versions accumulate; keep the old ones.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { RecordingNotifier } from '../activities/engine';
import { compilePlaybook, formatProblem } from '../domain/playbook';
import { newWorld, TEST_CATALOG, testActions } from '../test/harness/test-actions';
import { startDevServer } from '../devserver/dev-server';
import { startLocalEngine } from '../drill/local-engine';
import { createLogger } from '../config/logger';
import { standDownUpdate, statusQuery, voteUpdate, type IncidentInput } from '../workflows/definitions';
import type { incidentWorkflow } from '../workflows/incident';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'test', 'fixtures', 'histories');
const GROUPS = { oncall: ['alice', 'bob', 'carol'], leads: ['dana'] };

const HEADER = `apiVersion: cordon/v1\nkind: Playbook\nname: fixture\nversion: 1\nphases: [identify, contain, rotate]\nsteps:\n`;
const LOOK = `  - id: look\n    phase: identify\n    action: test.read\n    mutates: false\n    inputs: { org: '\${incident.org}', repos: [r1, r2, r3] }\n`;
const change = (id: string, needs: string, approval: string, extra = ''): string =>
  `  - id: ${id}\n    phase: contain\n    action: test.change\n    needs: [${needs}]\n    mutates: true\n    undo: { action: test.restore }\n    approval: ${approval}\n${extra}`;
const ONCALL = '{ group: oncall, quorum: 1, separationOfDuties: true, timeout: 10m, onExpiry: reject }';

type Handle = WorkflowHandle<typeof incidentWorkflow>;

/** A scenario: its playbook and what on-call does while it runs. */
interface Scenario {
  name: string;
  description: string;
  playbook: string;
  drive(h: Handle): Promise<void>;
}

async function awaiting(h: Handle, stepId: string, round = 1): Promise<string> {
  for (;;) {
    const s = (await h.query(statusQuery)).steps.find((x) => x.id === stepId)!;
    const a = s.approvals[round - 1];
    if (s.status === 'awaiting-approval' && a) return a.planHash;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const vote = (h: Handle, stepId: string, planHash: string, approver: string, reject?: string) =>
  h.executeUpdate(voteUpdate, {
    args: [
      {
        stepId,
        planHash,
        approver,
        decision: reject ? 'reject' : 'approve',
        channel: 'cli',
        ...(reject ? { reason: reject } : {}),
      },
    ],
  });

const SCENARIOS: Scenario[] = [
  {
    name: 'approved',
    description: 'read step, then a mutating step approved by a quorum of two and applied',
    playbook:
      HEADER + LOOK + change('contain', 'look', '{ group: oncall, quorum: 2, separationOfDuties: true, timeout: 10m }'),
    async drive(h) {
      const hash = await awaiting(h, 'contain');
      await vote(h, 'contain', hash, 'bob');
      await vote(h, 'contain', hash, 'carol');
    },
  },
  {
    name: 'rejected-saga',
    description: 'first change approved and applied, second rejected with onReject: halt: the first is undone',
    playbook:
      HEADER + LOOK + change('contain', 'look', ONCALL) + change('rotate', 'contain', ONCALL, '    onReject: halt\n'),
    async drive(h) {
      await vote(h, 'contain', await awaiting(h, 'contain'), 'bob');
      await vote(h, 'rotate', await awaiting(h, 'rotate'), 'carol', 'not during the release freeze');
    },
  },
  {
    name: 'stood-down',
    description: 'first change applied, then the incident is stood down while the second awaits approval',
    playbook: HEADER + LOOK + change('contain', 'look', ONCALL) + change('rotate', 'contain', ONCALL),
    async drive(h) {
      await vote(h, 'contain', await awaiting(h, 'contain'), 'bob');
      await awaiting(h, 'rotate');
      await h.executeUpdate(standDownUpdate, { args: [{ by: 'carol', reason: 'false positive' }] });
    },
  },
  {
    name: 'fan-out-expiry',
    description:
      'a 250-item read fan-out in batch child workflows, then a change whose approval escalates and expires to approve',
    playbook:
      `${HEADER}  - id: list\n    phase: identify\n    action: test.read\n    mutates: false\n    inputs: { repos: ${JSON.stringify(Array.from({ length: 250 }, (_, i) => `repo-${i}`))} }\n` +
      `  - id: scan\n    phase: identify\n    action: test.read\n    needs: [list]\n    mutates: false\n    forEach: { items: '\${steps.list.output.repos}', batchSize: 100 }\n` +
      change(
        'contain',
        'scan',
        '{ group: oncall, quorum: 1, timeout: 1s, escalation: { group: leads, timeout: 1s }, onExpiry: approve }',
      ),
    async drive() {},
  },
];

function gitCommit(): { commit: string; dirty: boolean } {
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return { commit: git('rev-parse', 'HEAD'), dirty: git('status', '--porcelain', '--', 'workflows').length > 0 };
  } catch {
    // A copy of the tree outside git (e.g. `git archive` of a commit) names its commit in COMMIT.
    return { commit: readFileSync(path.join(ROOT, 'COMMIT'), 'utf8').trim(), dirty: false };
  }
}

async function record(
  client: Client,
  taskQueue: string,
  s: Scenario,
): Promise<{ workflowId: string; events: number; json: string }> {
  const compiled = compilePlaybook(s.playbook, `${s.name}.yaml`, TEST_CATALOG);
  if (!compiled.ok) throw new Error(compiled.problems.map(formatProblem).join('\n'));
  const input: IncidentInput = {
    incidentId: `incident-fixture-${s.name}-${randomUUID().slice(0, 8)}`,
    title: `fixture: ${s.description}`,
    initiator: 'alice',
    severity: 'high',
    org: 'acme',
    since: '2026-06-17T00:00:00.000Z',
    packages: [{ ecosystem: 'npm', name: '@mastra/core', versions: ['1.42.1'], ranges: [] }],
    advisoryIds: ['MAL-2026-6011'],
    playbook: compiled.playbook,
    playbookSha256: compiled.sha256,
    drill: true,
  };
  const h = await client.workflow.start<typeof incidentWorkflow>('incidentWorkflow', {
    taskQueue,
    workflowId: input.incidentId,
    args: [input],
  });
  await s.drive(h);
  await h.result();
  const history = await h.fetchHistory();
  return { workflowId: input.incidentId, events: history.events?.length ?? 0, json: historyToJSON(history) };
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const { commit, dirty } = gitCommit();
  if (dirty) process.stderr.write('record-histories: warning: workflows/ has uncommitted changes\n');
  const server = process.env.TEMPORAL_ADDRESS ? undefined : await startDevServer();
  const address = process.env.TEMPORAL_ADDRESS ?? server!.address;
  const taskQueue = `fixtures-${randomUUID()}`;
  const engine = await startLocalEngine({
    config: {
      temporal: { address, namespace: 'default', taskQueue },
      approverGroups: GROUPS,
      stateDir: '/tmp/cordon-fixtures',
      drillLedger: '/tmp/cordon-fixtures/ledger.jsonl',
      logLevel: 'silent',
    },
    handlers: testActions(newWorld(['acme/api:ci.yml', 'acme/web:release.yml'])),
    notifiers: [new RecordingNotifier()],
    logger: createLogger('silent'),
  });
  mkdirSync(OUT, { recursive: true });
  const indexPath = path.join(OUT, 'index.json');
  const index = JSON.parse(
    (() => {
      try {
        return readFileSync(indexPath, 'utf8');
      } catch {
        return '{}';
      }
    })(),
  ) as Record<string, unknown>;
  try {
    for (const s of SCENARIOS) {
      const { workflowId, events, json } = await record(engine.client, taskQueue, s);
      const file = `${s.name}-${commit.slice(0, 7)}.json`;
      writeFileSync(path.join(OUT, file), `${json}\n`);
      index[file] = {
        workflowId,
        description: s.description,
        commit,
        dirty,
        recordedAt: new Date().toISOString(),
        events,
      };
      process.stderr.write(`record-histories: ${file} (${events} events)\n`);
    }
  } finally {
    await engine.stop();
    await server?.stop();
  }
  writeFileSync(indexPath, `${JSON.stringify(index, null, 2)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`record-histories failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
