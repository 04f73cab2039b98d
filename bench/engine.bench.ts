// Engine benchmarks on a real Temporal dev server: latencies, interpreter overhead against a bare workflow making
// the same activity calls in the same run, and history events per step (including a 10,000-item fan-out).
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker } from '@temporalio/worker';
import { createEngineActivities, staticGroups } from '../activities/engine';
import { actionActivities, type ActionHandlers } from '../activities/registry';
import type { ActionCatalog } from '../domain/actions';
import { compilePlaybook, formatProblem } from '../domain/playbook';
import { startDevServer } from '../devserver/dev-server';
import { createLogger } from '../config/logger';
import { statusQuery, voteUpdate, type IncidentInput } from '../workflows/definitions';
import { summary } from './stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const CATALOG: ActionCatalog = {
  'bench.read': { mutates: false, implementation: 'real', description: 'no-op read' },
  'bench.change': { mutates: true, implementation: 'real', description: 'no-op change' },
  'bench.count': { mutates: false, implementation: 'real', description: 'counts its batch' },
};

function playbook(yaml: string): { playbook: IncidentInput['playbook']; sha256: string } {
  const r = compilePlaybook(yaml, 'bench.yaml', CATALOG);
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return { playbook: r.playbook, sha256: r.sha256 };
}

const header = (name: string, phases: string) =>
  `apiVersion: cordon/v1\nkind: Playbook\nname: ${name}\nversion: 1\nphases: [${phases}]\nsteps:\n`;
const readStep = (id: string, needs?: string) =>
  `  - id: ${id}\n    phase: p\n    action: bench.read\n    mutates: false\n${needs ? `    needs: [${needs}]\n` : ''}`;

const READS = 5;
const SEQUENTIAL = playbook(
  header('seq', 'p') + Array.from({ length: READS }, (_, i) => readStep(`s${i}`, i ? `s${i - 1}` : undefined)).join(''),
);
const APPROVAL = playbook(
  `${header('approve', 'p')}${readStep('first')}  - id: change\n    phase: p\n    action: bench.change\n    needs: [first]\n    mutates: true\n    approval: { group: oncall, quorum: 1, timeout: 10m }\n`,
);
const FAN_ITEMS = Number(process.env.BENCH_FAN_ITEMS ?? 10_000);
const FAN = playbook(
  `${header('fan', 'p')}  - id: list\n    phase: p\n    action: bench.read\n    mutates: false\n    inputs:\n      items: ${JSON.stringify(Array.from({ length: FAN_ITEMS }, (_, i) => `repo-${i}`))}\n  - id: scan\n    phase: p\n    action: bench.count\n    needs: [list]\n    mutates: false\n    forEach: { items: '\${steps.list.output.items}', batchSize: 100 }\n`,
  // bench.count is registered below; compile with it known.
);

function input(pb: { playbook: IncidentInput['playbook']; sha256: string }): IncidentInput {
  return {
    incidentId: `incident-bench-${randomUUID().slice(0, 8)}`,
    title: 'bench',
    initiator: 'alice',
    severity: 'low',
    org: 'bench',
    since: '2026-06-17T00:00:00Z',
    packages: [{ ecosystem: 'npm', name: 'x', versions: ['1.0.0'], ranges: [] }],
    advisoryIds: [],
    playbook: pb.playbook,
    playbookSha256: pb.sha256,
    drill: true,
  };
}

export default async function engineBench(): Promise<Record<string, unknown>> {
  const server = process.env.TEMPORAL_ADDRESS ? undefined : await startDevServer();
  const address = process.env.TEMPORAL_ADDRESS ?? server!.address;
  const firstActivityAt = new Map<string, number>();
  const applyAt = new Map<string, number>();
  const handlers = {
    'bench.read': {
      run: async (input: Record<string, unknown>, ctx: { incidentId: string }) => {
        if (!firstActivityAt.has(ctx.incidentId)) firstActivityAt.set(ctx.incidentId, performance.now());
        return { ok: true, n: Array.isArray(input.items) ? input.items.length : 0, items: input.items ?? [] };
      },
    },
    'bench.count': { run: async (input: { items: unknown[] }) => ({ counted: input.items.length }) },
    'bench.change': {
      plan: async () => ({ summary: 'nothing', items: ['x'], irreversible: false }),
      apply: async (_plan: unknown, ctx: { incidentId: string }) => {
        applyAt.set(ctx.incidentId, performance.now());
        return { changed: 1 };
      },
    },
  } satisfies ActionHandlers;
  const taskQueue = `bench-${randomUUID()}`;
  const connection = await NativeConnection.connect({ address });
  const engine = createEngineActivities({
    resolveGroup: staticGroups({ oncall: ['bob'] }),
    notifiers: [],
    logger: createLogger('silent'),
  });
  const bareActivities = { 'bare.read': async () => ({ ok: true }) };
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: require.resolve('./bare-workflows'),
      logger: new DefaultLogger('WARN'),
    }),
    activities: { ...engine, ...actionActivities(handlers), ...bareActivities },
    maxConcurrentWorkflowTaskExecutions: 40,
  });
  const running = worker.run();
  const clientConn = await Connection.connect({ address });
  const client = new Client({ connection: clientConn });
  try {
    // Warm up the worker's workflow cache and connections.
    for (let i = 0; i < 5; i++) {
      await client.workflow.execute('incidentWorkflow', {
        taskQueue,
        workflowId: `warm-${randomUUID()}`,
        args: [input(SEQUENTIAL)],
      });
      await client.workflow.execute('bareWorkflow', {
        taskQueue,
        workflowId: `warm-${randomUUID()}`,
        args: [Array(READS).fill('bare.read')],
      });
    }

    // Start-to-first-step latency and the interpreter against the bare baseline, interleaved so load is shared.
    const startToFirst: number[] = [];
    const interpreted: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const inp = input(SEQUENTIAL);
      const t0 = performance.now();
      await client.workflow.execute('incidentWorkflow', { taskQueue, workflowId: inp.incidentId, args: [inp] });
      interpreted.push(performance.now() - t0);
      startToFirst.push(firstActivityAt.get(inp.incidentId)! - t0);
      const t1 = performance.now();
      await client.workflow.execute('bareWorkflow', {
        taskQueue,
        workflowId: `bare-${randomUUID()}`,
        args: [Array(READS).fill('bare.read')],
      });
      bare.push(performance.now() - t1);
    }

    // Approval round trip: the vote update's round trip, and vote sent -> apply activity running.
    const voteRtt: number[] = [];
    const voteToApply: number[] = [];
    let approvalHistory = 0;
    for (let i = 0; i < RUNS; i++) {
      const inp = input(APPROVAL);
      const h = await client.workflow.start('incidentWorkflow', { taskQueue, workflowId: inp.incidentId, args: [inp] });
      let planHash = '';
      while (!planHash) {
        const s = await h.query(statusQuery);
        const a = s.steps[1]!.approvals[0];
        if (s.steps[1]!.status === 'awaiting-approval' && a) planHash = a.planHash;
        else await new Promise((r) => setTimeout(r, 5));
      }
      const t0 = performance.now();
      await h.executeUpdate(voteUpdate, {
        args: [{ stepId: 'change', planHash, approver: 'bob', decision: 'approve', channel: 'api' }],
      });
      voteRtt.push(performance.now() - t0);
      await h.result();
      voteToApply.push(applyAt.get(inp.incidentId)! - t0);
      if (i === 0) approvalHistory = (await h.fetchHistory()).events?.length ?? 0;
    }

    // History events per step.
    const seq = input(SEQUENTIAL);
    const hs = await client.workflow.start('incidentWorkflow', { taskQueue, workflowId: seq.incidentId, args: [seq] });
    await hs.result();
    const seqEvents = (await hs.fetchHistory()).events?.length ?? 0;
    const bareHandle = await client.workflow.start('bareWorkflow', {
      taskQueue,
      workflowId: `bare-${randomUUID()}`,
      args: [Array(READS).fill('bare.read')],
    });
    await bareHandle.result();
    const bareEvents = (await bareHandle.fetchHistory()).events?.length ?? 0;

    // A 10,000-item fan-out: the incident's own history stays small because each batch is a child workflow.
    const fan = input(FAN);
    const tf = performance.now();
    const hf = await client.workflow.start('incidentWorkflow', { taskQueue, workflowId: fan.incidentId, args: [fan] });
    const fanState = await hf.result();
    const fanMs = performance.now() - tf;
    const fanEvents = (await hf.fetchHistory()).events?.length ?? 0;

    const i = summary(interpreted);
    const b = summary(bare);
    return {
      runs: RUNS,
      startToFirstStepMs: summary(startToFirst),
      approvalUpdateRoundTripMs: summary(voteRtt),
      voteToApplyStartedMs: summary(voteToApply),
      interpreterVsBare: {
        calls: READS,
        interpretedWorkflowMs: i,
        bareWorkflowMs: b,
        overheadRatioP50: Math.round((i.p50 / b.p50) * 100) / 100,
      },
      historyEvents: {
        interpretedReadSteps: { steps: READS, events: seqEvents, perStep: Math.round((seqEvents / READS) * 10) / 10 },
        bareSameCalls: { calls: READS, events: bareEvents, perCall: Math.round((bareEvents / READS) * 10) / 10 },
        approvalIncident: { steps: 2, events: approvalHistory },
      },
      fanOut: {
        items: FAN_ITEMS,
        batchSize: 100,
        childWorkflows: Math.ceil(FAN_ITEMS / 100),
        incidentHistoryEvents: fanEvents,
        temporalHistoryLimitEvents: 51_200,
        counted: (fanState.steps[1]!.output as { counted: number }).counted,
        wallMs: Math.round(fanMs),
      },
    };
  } finally {
    worker.shutdown();
    await running;
    await connection.close();
    await clientConn.close();
    await server?.stop();
  }
}
