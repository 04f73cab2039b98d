// Replays a bundle's histories against the current workflow code, each in a child process with a time limit.
//
// Why a child process: a history whose events were reordered can make the SDK's core panic inside the replay worker,
// and the replay then never returns: in-process, verify would print its verdict and hang. Here the child is killed at
// the time limit (or as soon as it reports a panic), and the history is named in a violation instead.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { dataConverterFor } from '../codec/codec';
import { DEFAULT_REPLAY_TIMEOUT_MS } from '../config/audit';
import type { CodecConfig } from '../config/codec';
import { workflowBundle } from '../workflows/bundle';

/** One history to replay: its workflow id (fan-out child ids derive from it) and its file in the bundle. */
export interface ReplayJob {
  workflowId: string;
  /** The bundle file name, for the report. */
  file: string;
  path: string;
}

/** How one replay ended. */
export interface ReplayOutcome {
  file: string;
  workflowId: string;
  outcome: 'deterministic' | 'nondeterministic' | 'failed' | 'timeout';
  message?: string;
}

/** Parent → child: the workflow code to replay against and the codec keys (base64), sent once. */
export interface ChildInit {
  type: 'init';
  codePath: string;
  codec?: { activeKeyId: string; keys: Record<string, string> };
}
/** Parent → child: replay one history. */
export interface ChildReplay {
  type: 'replay';
  index: number;
  workflowId: string;
  path: string;
}
/** Child → parent: the outcome of one replay. */
export interface ChildResult {
  type: 'result';
  index: number;
  outcome: 'deterministic' | 'nondeterministic' | 'failed';
  message?: string;
}

/** Options of {@link replayHistories}. */
export interface ReplayOptions {
  codec?: CodecConfig;
  /** How long one history's replay may take (the child's start included for the first). @default DEFAULT_REPLAY_TIMEOUT_MS */
  timeoutMs?: number;
}

const CHILD = path.join(__dirname, 'replay-child.ts');
// The child runs TypeScript through tsx's loader like every cordon entry point; resolved here so that it does not
// depend on the working directory.
const TSX_LOADER = pathToFileURL(require.resolve('tsx')).href;
const STDERR_TAIL = 4096;
// After a panic's first line, how long to let the rest of its message (where and why) arrive before the kill.
const PANIC_GRACE_MS = 250;

function startChild(codePath: string, codec: CodecConfig | undefined): { child: ChildProcess; stderr: () => string } {
  const child = fork(CHILD, [], {
    execArgv: ['--import', TSX_LOADER],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'json',
  });
  let tail = '';
  let panicked = false;
  child.stderr!.on('data', (d: Buffer) => {
    tail = (tail + d.toString()).slice(-STDERR_TAIL);
    // A panic in the SDK's core leaves the replay pending forever: no need to wait for the time limit.
    if (!panicked && /panicked at/.test(tail)) {
      panicked = true;
      setTimeout(() => child.kill('SIGKILL'), PANIC_GRACE_MS).unref();
    }
  });
  const init: ChildInit = {
    type: 'init',
    codePath,
    ...(codec
      ? {
          codec: {
            activeKeyId: codec.activeKeyId,
            keys: Object.fromEntries(Object.entries(codec.keys).map(([id, k]) => [id, k.toString('base64')])),
          },
        }
      : {}),
  };
  child.send(init);
  return { child, stderr: () => tail };
}

/** The line of the child's stderr that says what went wrong (a panic's message), or its last line. */
function crashDetail(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim());
  const panic = lines.findIndex((l) => /panicked at/.test(l));
  return panic >= 0
    ? lines
        .slice(panic, panic + 2)
        .join(' ')
        .trim()
    : (lines.at(-1)?.trim() ?? '');
}

function runOne(
  proc: { child: ChildProcess; stderr: () => string },
  job: ReplayJob,
  index: number,
  timeoutMs: number,
): Promise<ReplayOutcome> {
  const { child } = proc;
  const base = { file: job.file, workflowId: job.workflowId };
  return new Promise((resolve) => {
    const settle = (o: ReplayOutcome): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(o);
    };
    const onMessage = (m: ChildResult | { type: 'ready' }): void => {
      if (m.type !== 'result' || m.index !== index) return;
      settle({ ...base, outcome: m.outcome, ...(m.message !== undefined ? { message: m.message } : {}) });
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      const detail = crashDetail(proc.stderr());
      settle({
        ...base,
        outcome: 'failed',
        message: `the replay process ended (${signal ?? `exit code ${code}`})${detail ? `: ${detail}` : ''}`,
      });
    };
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      child.kill('SIGKILL');
      settle({ ...base, outcome: 'timeout', message: `no result within ${timeoutMs / 1000} s` });
    }, timeoutMs);
    child.on('message', onMessage);
    child.on('exit', onExit);
    const req: ChildReplay = { type: 'replay', index, workflowId: job.workflowId, path: job.path };
    child.send(req);
  });
}

/**
 * Replays each history in a child process, one after another, each within `timeoutMs`. A replay that crashes,
 * panics or runs out of time kills its process (the next history gets a fresh one) and yields `failed` or
 * `timeout`; nothing here waits longer than the time limit for any history.
 */
export async function replayHistories(jobs: ReplayJob[], options: ReplayOptions = {}): Promise<ReplayOutcome[]> {
  if (jobs.length === 0) return [];
  const timeoutMs = options.timeoutMs ?? DEFAULT_REPLAY_TIMEOUT_MS;
  const tmp = mkdtempSync(path.join(tmpdir(), 'cordon-replay-'));
  const codePath = path.join(tmp, 'workflow-bundle.js');
  let proc: ReturnType<typeof startChild> | undefined;
  try {
    // Bundled here, once per process, and shared with every child through a file: a child killed mid-replay is
    // replaced without bundling again.
    const dc = dataConverterFor(options.codec);
    const bundle = await workflowBundle(dc?.failureConverterPath);
    writeFileSync(codePath, bundle.code);
    const outcomes: ReplayOutcome[] = [];
    for (const [i, job] of jobs.entries()) {
      proc ??= startChild(codePath, options.codec);
      const o = await runOne(proc, job, i, timeoutMs);
      outcomes.push(o);
      if (o.outcome === 'failed' || o.outcome === 'timeout') {
        if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
        proc = undefined;
      }
    }
    return outcomes;
  } finally {
    if (proc?.child.connected) proc.child.disconnect();
    rmSync(tmp, { recursive: true, force: true });
  }
}
