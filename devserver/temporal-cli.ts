// The Temporal CLI that runs the embedded dev server: found or built through the tool cache (devserver/tools.ts).
import { ensureTool, findTool, TEMPORAL_CLI_MODULE, TEMPORAL_CLI_VERSION } from './tools';
import type { ProgressLog } from './tool-cache';

export { TEMPORAL_CLI_MODULE, TEMPORAL_CLI_VERSION };

/**
 * Finds the Temporal CLI without building anything: `$TEMPORAL_CLI`, then the cache, then `temporal` on PATH.
 * @returns the executable's path, or undefined when none is present.
 */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findTool('temporal', env);
}

/**
 * Returns a Temporal CLI, building it with `go install` into the per-user tool cache when none is present (about 11
 * minutes once, with progress on `log`).
 */
export function ensureTemporalCli(env: NodeJS.ProcessEnv = process.env, log: ProgressLog = () => {}): Promise<string> {
  return ensureTool('temporal', { env, log });
}
