import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, OperationalError } from '../config/errors';
import { isExecutable } from './executable';

/** The Temporal CLI release cordon builds when none is installed (v1.6+ has a replace directive and cannot be `go install`ed). */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

/** Where a built CLI is cached, relative to the checkout. */
export const TOOLS_BIN = path.resolve(__dirname, '../.tools/bin');

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

/**
 * Finds the Temporal CLI without building anything: `$TEMPORAL_CLI`, then the cache, then `temporal` on PATH.
 * @returns the executable's path, or undefined when none is present.
 */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.TEMPORAL_CLI) {
    if (!isExecutable(env.TEMPORAL_CLI)) {
      throw new OperationalError(`TEMPORAL_CLI=${env.TEMPORAL_CLI} is not an executable file`, ErrorCode.TemporalCli);
    }
    return env.TEMPORAL_CLI;
  }
  const cached = path.join(TOOLS_BIN, 'temporal');
  if (isExecutable(cached)) return cached;
  return onPath('temporal', env);
}

/**
 * Returns a Temporal CLI, building it with `go install` through the Go module proxy when none is present.
 * The build takes a few minutes once; the binary is cached in `.tools/bin`.
 */
export function ensureTemporalCli(
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = () => {},
): string {
  const found = findTemporalCli(env);
  if (found) return found;
  const go = onPath('go', env);
  if (!go) {
    throw new OperationalError(
      'No Temporal CLI found and no Go toolchain to build one. Install Go (https://go.dev/dl) or the Temporal CLI, ' +
        'or set TEMPORAL_CLI to its path.',
      ErrorCode.TemporalCli,
    );
  }
  mkdirSync(TOOLS_BIN, { recursive: true });
  log(`building the Temporal CLI (${TEMPORAL_CLI_MODULE}) with go install; this takes a few minutes once`);
  const r = spawnSync(go, ['install', TEMPORAL_CLI_MODULE], {
    env: { ...env, GOBIN: TOOLS_BIN, GOFLAGS: '-mod=mod' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const built = path.join(TOOLS_BIN, 'temporal');
  if (r.status !== 0 || !isExecutable(built)) {
    throw new OperationalError(
      `go install ${TEMPORAL_CLI_MODULE} failed (exit ${r.status ?? r.signal})`,
      ErrorCode.TemporalCli,
    );
  }
  return built;
}
