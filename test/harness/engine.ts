// Runs cordon workers in-process against the test run's Temporal dev server, each on its own task queue.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { RecordingNotifier } from '../../activities/engine';
import type { ActionHandlers } from '../../activities/registry';
import type { ActionCatalog } from '../../domain/actions';
import { compilePlaybook, formatProblem } from '../../domain/playbook';
import type { CodecConfig } from '../../config/codec';
import type { CordonConfig } from '../../config/config';
import { startLocalEngine } from '../../drill/local-engine';
import { createLogger } from '../../config/logger';
import type { IncidentInput } from '../../workflows/definitions';
import { directoryFor } from './people';

// Worker lifecycle lines at INFO drown test output; keep warnings and errors.
if (!(globalThis as { __cordonRuntime?: boolean }).__cordonRuntime) {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  (globalThis as { __cordonRuntime?: boolean }).__cordonRuntime = true;
}

export function temporalAddress(): string {
  const a = process.env.TEMPORAL_ADDRESS;
  if (!a) throw new Error('TEMPORAL_ADDRESS is not set: the Jest global setup starts the dev server');
  return a;
}

export function testConfig(groups: Record<string, string[]>, taskQueue: string): CordonConfig {
  return {
    temporal: { address: temporalAddress(), namespace: 'default', taskQueue },
    approverGroups: groups,
    // The same people behind those aliases, with keys: votes on signed requests are signed (test/harness/people.ts).
    approvers: directoryFor(groups),
    stateDir: '/tmp/cordon-test',
    drillLedger: `/tmp/cordon-test/${taskQueue}.jsonl`,
    logLevel: 'silent',
  };
}

export interface TestEngine {
  client: Client;
  taskQueue: string;
  notifier: RecordingNotifier;
  stop(): Promise<void>;
}

/**
 * Starts an in-process worker with the given handlers and a client, on a fresh task queue.
 * With `codec`, the worker and the client encrypt payloads with those keys.
 */
export async function startEngine(
  handlers: ActionHandlers,
  groups: Record<string, string[]>,
  codec?: CodecConfig,
): Promise<TestEngine> {
  const taskQueue = `test-${randomUUID()}`;
  const notifier = new RecordingNotifier();
  const engine = await startLocalEngine({
    config: { ...testConfig(groups, taskQueue), ...(codec ? { codec } : {}) },
    handlers,
    notifiers: [notifier],
    logger: createLogger('silent'),
  });
  return { client: engine.client, taskQueue, notifier, stop: engine.stop };
}

/** Compiles a YAML playbook for a test, failing the test with every problem if it does not compile. */
export function compileForTest(
  yaml: string,
  catalog: ActionCatalog,
): { playbook: IncidentInput['playbook']; sha256: string } {
  const r = compilePlaybook(yaml, 'test-playbook.yaml', catalog);
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return { playbook: r.playbook, sha256: r.sha256 };
}

/** An incident input for a test playbook. */
export function incidentInput(
  playbook: { playbook: IncidentInput['playbook']; sha256: string },
  over: Partial<IncidentInput> = {},
): IncidentInput {
  const id = `incident-test-${randomUUID().slice(0, 8)}`;
  return {
    incidentId: id,
    title: 'test incident',
    initiator: 'alice',
    severity: 'high',
    org: 'acme',
    since: '2026-06-17T00:00:00.000Z',
    packages: [{ ecosystem: 'npm', name: '@mastra/core', versions: ['1.42.1'], ranges: [] }],
    advisoryIds: ['MAL-2026-6011'],
    playbook: playbook.playbook,
    playbookSha256: playbook.sha256,
    drill: true,
    ...over,
  };
}

/** Polls `fn` until it returns a truthy value (the workflow moves on its own clock). */
export async function eventually<T>(
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
