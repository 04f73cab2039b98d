// Where provisioned tools live and how one process builds them while others wait: the cache is per user, outside any
// checkout, so a fresh clone (or a second worktree) reuses a Temporal CLI built once instead of rebuilding it.
import { createHash } from 'node:crypto';
import { mkdirSync, openSync, closeSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Writes one line of provisioning progress (stderr in the scripts, Jest's global setup and the demo). */
export type ProgressLog = (line: string) => void;

/**
 * The root of the tool cache: `${XDG_CACHE_HOME:-$HOME/.cache}/cordon/tools` (the XDG base-directory convention,
 * https://specifications.freedesktop.org/basedir-spec/latest/).
 */
export function toolsCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache');
  return path.join(base, 'cordon', 'tools');
}

/** SHA-256 (hex) of a file's bytes: the key that makes a changed requirements pin land in a new cache folder. */
export function fileSha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Whether a process with this id is alive here: signal 0 checks without delivering anything. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Options of `withLock`. */
export interface LockOptions {
  /** Told once when another process holds the lock. @default silent */
  log?: ProgressLog;
  /** What is being built, for that message. @default the lock file's name */
  what?: string;
  /** How often to look again. @default 1000 */
  pollMs?: number;
  /** Whether the holder recorded in the lock file still runs. @default signal 0 on this host */
  isAlive?: (pid: number) => boolean;
}

/**
 * Runs `fn` holding `lockFile` (created exclusively with our pid), so two processes never build the same tool at
 * once: the second waits, then finds the first one's result. A lock left by a process that died is taken over.
 */
export async function withLock<T>(lockFile: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const { log = () => {}, pollMs = 1000, isAlive = alive } = options;
  mkdirSync(path.dirname(lockFile), { recursive: true });
  let told = false;
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder = NaN;
    try {
      holder = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
    } catch {
      continue; // released between our open and our read
    }
    // A lock without a pid is one being written this instant; only a recorded dead holder is stale.
    if (Number.isInteger(holder) && !isAlive(holder)) {
      try {
        unlinkSync(lockFile);
      } catch {
        // another waiter removed it first
      }
      continue;
    }
    if (!told) {
      log(`cordon: waiting for process ${holder} to finish building ${options.what ?? path.basename(lockFile)}`);
      told = true;
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  try {
    return await fn();
  } finally {
    try {
      unlinkSync(lockFile);
    } catch {
      // already gone: nothing to release
    }
  }
}

/** Options of `startProgress`. */
export interface ProgressOptions {
  /** How often a "still building" line is printed. @default 30_000 */
  intervalMs?: number;
  /** The clock elapsed time is read from. @default Date.now */
  now?: () => number;
}

/** A running progress report. */
export interface Progress {
  /** Stops the report with its closing line (built, or failed) and returns the elapsed seconds. */
  done(ok?: boolean): number;
}

/**
 * Reports a long build on `log`: a first line saying what is built and where, a line with the elapsed seconds every
 * interval (the cold Go build of the Temporal CLI takes about 11 minutes, which must not look like a hang), and a
 * closing line. The timer does not keep the process alive.
 */
export function startProgress(what: string, log: ProgressLog, options: ProgressOptions = {}): Progress {
  const { intervalMs = 30_000, now = Date.now } = options;
  const started = now();
  const elapsed = (): number => Math.round((now() - started) / 1000);
  log(`cordon: building ${what}`);
  const timer = setInterval(() => log(`cordon: still building ${what} (${elapsed()}s elapsed)`), intervalMs);
  timer.unref();
  return {
    done(ok = true) {
      clearInterval(timer);
      const s = elapsed();
      log(ok ? `cordon: built ${what} in ${s}s` : `cordon: building ${what} failed after ${s}s`);
      return s;
    },
  };
}
