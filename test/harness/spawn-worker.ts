// Starts a cordon worker in a child process of its own, so a test can SIGKILL it mid-incident and start another.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { peopleDir } from './people';

/** A worker process, and every line it has written on the stream the test watches. */
export interface WorkerChild {
  child: ChildProcess;
  lines: string[];
}

/** Options of `spawnWorker`. */
export interface SpawnWorkerOptions {
  /** The line that says the worker polls. @default a line that is exactly `ready` */
  ready?: (line: string) => boolean;
  /** Where the worker writes that line: the test harness workers print to stdout, worker/main.ts logs to stderr. */
  stream?: 'stdout' | 'stderr';
}

/**
 * Runs `script` (a path from the repository root) with tsx as a loader in one process — not tsx's CLI wrapper, so
 * SIGKILL hits the worker itself — and resolves once it is ready; rejects if it exits before.
 */
export function spawnWorker(
  script: string,
  env: Record<string, string>,
  options: SpawnWorkerOptions = {},
): Promise<WorkerChild> {
  // The test users' keys are made before the child starts, so that it reads the same ones (through the env).
  peopleDir();
  const stream = options.stream ?? 'stdout';
  const ready = options.ready ?? ((line: string) => line === 'ready');
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '../..', script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', stream === 'stdout' ? 'pipe' : 'inherit', stream === 'stderr' ? 'pipe' : 'inherit'],
  });
  const lines: string[] = [];
  let isReady = false;
  return new Promise((resolve, reject) => {
    child[stream]!.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n').filter(Boolean)) {
        lines.push(line);
        if (!isReady && ready(line)) {
          isReady = true;
          resolve({ child, lines });
        }
      }
    });
    child.once('exit', (code, signal) => {
      if (!isReady) reject(new Error(`${script} exited before it was ready (${code ?? signal})`));
    });
  });
}
