// A Python tool the tests check lockfiles with (Poetry, pipenv, uv), installed once into the per-user tool cache from
// an exact requirements file: its whole closure pinned, installed with --no-deps, so nothing is resolved at install
// time. devserver/tools.ts knows the pins and the cache; this is the harness's view of one tool.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ensureTool, findTool, toolDir, type VenvToolName } from '../../devserver/tools';

/** How to find or install one tool. */
export interface VenvToolSpec {
  /** The tool's name in devserver/tools.ts: `poetry`. */
  tool: VenvToolName;
  /** As people call it, for messages: `Poetry`. */
  title: string;
  /** The npm script that installs it (`poetry:ensure`). */
  script: string;
}

/** Finds and installs one venv tool. */
export interface VenvTool {
  /** The venv's folder in the tool cache. */
  readonly venv: string;
  /** The tool's path when the cache holds the pinned requirements (its variable, e.g. `$POETRY`, wins), or undefined. */
  find(env?: NodeJS.ProcessEnv): string | undefined;
  /**
   * The tool's path, installing it first when the cache has no venv for the current pin (npm test's provisioning
   * step normally did already). Fails with what went wrong and what to run.
   */
  ensure(log?: (line: string) => void): Promise<string>;
}

/** One venv tool as the harness uses it: found in, or installed into, the tool cache. */
export function venvTool(spec: VenvToolSpec): VenvTool {
  return {
    venv: toolDir(spec.tool),
    find: (env = process.env) => findTool(spec.tool, env),
    async ensure(log = () => {}) {
      try {
        return await ensureTool(spec.tool, { log });
      } catch (err) {
        throw new Error(
          `${spec.title} is not available (${(err as Error).message}); the pin tests check lockfiles with ` +
            `${spec.title} itself: run \`npm run -s ${spec.script}\``,
        );
      }
    },
  };
}

/** The distributions installed in a project's `.venv`, `name` (normalized) to version. */
export function installedIn(dir: string): Record<string, string> {
  const lib = path.join(dir, '.venv', 'lib');
  const out: Record<string, string> = {};
  if (!existsSync(lib)) return out;
  for (const py of readdirSync(lib)) {
    const site = path.join(lib, py, 'site-packages');
    if (!existsSync(site)) continue;
    for (const entry of readdirSync(site)) {
      const m = /^(.+)-([^-]+)\.dist-info$/.exec(entry);
      if (m) out[m[1]!.toLowerCase().replace(/[-_.]+/g, '-')] = m[2]!;
    }
  }
  return out;
}
