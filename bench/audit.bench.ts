// Audit benchmarks on a real Temporal dev server, with payload encryption on as in production: replaying a history of
// about 10,000 events against the interpreter, against a bare workflow history of the same size in the same run (the
// SDK's own replay cost), and exporting and verifying that incident's audit bundle.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker } from '@temporalio/worker';
import { createEngineActivities, staticGroups } from '../activities/engine';
import { actionActivities, type ActionHandlers } from '../activities/registry';
import { exportAuditBundle } from '../audit/export';
import { verifyAuditBundle } from '../audit/verify';
import type { ActionCatalog } from '../domain/actions';
import { compilePlaybook, formatProblem } from '../domain/playbook';
import { AesGcmPayloadCodec, ENCODING_FAILURE_CONVERTER_PATH } from '../codec/codec';
import { rawPublicKey, type AuditSigner } from '../config/audit';
import type { CodecConfig } from '../config/codec';
import { startDevServer } from '../devserver/dev-server';
import { workflowBundle as verifyWorkflowBundle } from '../workflows/bundle';
import { createLogger } from '../config/logger';
import type { IncidentInput } from '../workflows/definitions';
import { summary } from './stats';

const TARGET_EVENTS = Number(process.env.BENCH_REPLAY_EVENTS ?? 10_000);
const RUNS = Number(process.env.BENCH_REPLAY_RUNS ?? 5);
const CATALOG: ActionCatalog = {
  'bench.read': { mutates: false, implementation: 'real', description: 'no-op read' },
};
const CODEC: CodecConfig = { activeKeyId: 'bench', keys: { bench: randomBytes(32) } };
const BENCH_KEY = generateKeyPairSync('ed25519').privateKey;
const SIGNER: AuditSigner = { name: 'bench', privateKey: BENCH_KEY, publicKey: rawPublicKey(BENCH_KEY) };

/** An incident of `steps` read-only steps in a chain (each needs the one before, as phases do). */
function incident(steps: number): IncidentInput {
  const yaml =
    'apiVersion: cordon/v1\nkind: Playbook\nname: long\nversion: 1\nphases: [p]\nsteps:\n' +
    Array.from(
      { length: steps },
      (_, i) =>
        `  - id: s${i}\n    phase: p\n    action: bench.read\n    mutates: false\n${i ? `    needs: [s${i - 1}]\n` : ''}`,
    ).join('');
  const r = compilePlaybook(yaml, 'long.yaml', CATALOG);
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return {
    incidentId: `incident-bench-audit-${randomUUID().slice(0, 8)}`,
    title: 'audit bench',
    initiator: 'alice',
    severity: 'low',
    org: 'bench',
    since: '2026-06-17T00:00:00Z',
    packages: [{ ecosystem: 'npm', name: 'x', versions: ['1.0.0'], ranges: [] }],
    advisoryIds: [],
    playbook: r.playbook,
    playbookSha256: r.sha256,
    drill: true,
  };
}

type History = temporal.api.history.v1.IHistory;

export default async function auditBench(): Promise<Record<string, unknown>> {
  const server = process.env.TEMPORAL_ADDRESS ? undefined : await startDevServer();
  const address = process.env.TEMPORAL_ADDRESS ?? server!.address;
  const dataConverter = { payloadCodecs: [new AesGcmPayloadCodec(CODEC)] };
  const taskQueue = `bench-audit-${randomUUID()}`;
  const connection = await NativeConnection.connect({ address });
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('./bare-workflows'),
    logger: new DefaultLogger('WARN'),
  });
  const handlers: ActionHandlers = { 'bench.read': { run: async () => ({ ok: true }) } };
  const engine = createEngineActivities({
    resolveGroup: staticGroups({}),
    notifiers: [],
    logger: createLogger('silent'),
  });
  const worker = await Worker.create({
    connection,
    taskQueue,
    dataConverter,
    workflowBundle,
    activities: { ...engine, ...actionActivities(handlers), 'bare.read': async () => ({ ok: true }) },
  });
  const running = worker.run();
  const clientConn = await Connection.connect({ address });
  const client = new Client({ connection: clientConn, dataConverter });
  const outRoot = mkdtempSync(path.join(tmpdir(), 'cordon-audit-bench-'));
  try {
    const runIncident = async (steps: number): Promise<{ id: string; history: History }> => {
      const inp = incident(steps);
      const h = await client.workflow.start('incidentWorkflow', { taskQueue, workflowId: inp.incidentId, args: [inp] });
      await h.result();
      return { id: inp.incidentId, history: await h.fetchHistory() };
    };
    const runBare = async (calls: number): Promise<{ id: string; history: History }> => {
      const id = `bare-${randomUUID()}`;
      const h = await client.workflow.start('bareWorkflow', {
        taskQueue,
        workflowId: id,
        args: [Array(calls).fill('bare.read')],
      });
      await h.result();
      return { id, history: await h.fetchHistory() };
    };
    const events = (h: History): number => h.events?.length ?? 0;

    // Size both histories from a small sample so that each reaches the target.
    // Marginal events per step/call (two sizes), so the fixed start and close events do not skew the estimate.
    const perStep = (events((await runIncident(40)).history) - events((await runIncident(20)).history)) / 20;
    const perCall = (events((await runBare(40)).history) - events((await runBare(20)).history)) / 20;
    const steps = Math.ceil(TARGET_EVENTS / perStep);
    const long = await runIncident(steps);
    const bare = await runBare(Math.ceil(TARGET_EVENTS / perCall));

    const replay = async (id: string, history: History): Promise<number[]> => {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        await Worker.runReplayHistory({ workflowBundle, dataConverter }, history, id);
        times.push(performance.now() - t);
      }
      return times;
    };
    const incidentReplay = summary(await replay(long.id, long.history));
    const bareReplay = summary(await replay(bare.id, bare.history));

    // verify bundles the workflow code once per process: not part of its time
    await verifyWorkflowBundle(ENCODING_FAILURE_CONVERTER_PATH);
    const exportMs: number[] = [];
    const verifyMs: number[] = [];
    let verified = true;
    for (let i = 0; i < RUNS; i++) {
      const dir = path.join(outRoot, `bundle-${i}`);
      const t = performance.now();
      await exportAuditBundle(client, long.id, dir, { codec: CODEC, signer: SIGNER });
      exportMs.push(performance.now() - t);
      const t2 = performance.now();
      verified &&= (await verifyAuditBundle(dir, CODEC, { trustedKeys: [SIGNER] })).ok;
      verifyMs.push(performance.now() - t2);
    }
    return {
      runs: RUNS,
      encrypted: true,
      replay: {
        incident: { events: events(long.history), steps, ms: incidentReplay },
        bareWorkflow: { events: events(bare.history), ms: bareReplay },
        ratioP50: Math.round((incidentReplay.p50 / bareReplay.p50) * 100) / 100,
      },
      exportMs: summary(exportMs),
      verifyMs: { ...summary(verifyMs), allPassed: verified },
    };
  } finally {
    worker.shutdown();
    await running;
    await connection.close();
    await clientConn.close();
    await server?.stop();
    rmSync(outRoot, { recursive: true, force: true });
  }
}
