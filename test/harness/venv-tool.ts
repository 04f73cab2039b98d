// A Python tool the tests check lockfiles with (Poetry, pipenv), installed once into `.tools/<name>-venv` from an
// exact requirements file: its whole closure pinned, installed with --no-deps, so nothing is resolved at install time.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isExecutable } from '../../devserver/executable';
import { runTool } from './run';

const ROOT = path.resolve(__dirname, '..', '..');

/** How to find or install one tool. */
export interface VenvToolSpec {
  /** As people call it, for messages: `Poetry`. */
  title: string;
  /** The executable in the venv's `bin/`, and the venv's name: `poetry` → `.tools/poetry-venv/bin/poetry`. */
  bin: string;
  /** The variable naming an installed executable to use instead (`POETRY`). */
  envVar: string;
  /** The requirements file, relative to the checkout. */
  requirements: string;
  /** The npm script that installs it (`poetry:ensure`). */
  script: string;
}

/** Finds and installs one venv tool. */
export interface VenvTool {
  readonly venv: string;
  /** The tool's path when the venv holds the pinned requirements (`$<envVar>` wins), or undefined. */
  find(env?: NodeJS.ProcessEnv): string | undefined;
  /**
   * The tool's path, installing it first when the venv is missing or holds other requirements: a stamp keeps the
   * hash of the requirements installed, so an unchanged pin costs nothing. Fails with what went wrong and what to run.
   */
  ensure(log?: (line: string) => void, python?: string): Promise<string>;
}

export function venvTool(spec: VenvToolSpec): VenvTool {
  const venv = path.join(ROOT, '.tools', `${spec.bin}-venv`);
  const requirements = path.join(ROOT, spec.requirements);
  const stamp = path.join(venv, '.requirements-sha256');
  const bin = path.join(venv, 'bin', spec.bin);
  const hash = (): string => createHash('sha256').update(readFileSync(requirements)).digest('hex');
  const find = (env: NodeJS.ProcessEnv = process.env): string | undefined => {
    const given = env[spec.envVar];
    if (given) return isExecutable(given) ? given : undefined;
    if (!isExecutable(bin) || !existsSync(stamp)) return undefined;
    return readFileSync(stamp, 'utf8').trim() === hash() ? bin : undefined;
  };
  return {
    venv,
    find,
    async ensure(log = () => {}, python = process.env.CORDON_PYTHON ?? 'python3') {
      const given = process.env[spec.envVar];
      if (given) {
        if (!find()) throw new Error(`$${spec.envVar} is ${given}, which is not an executable file`);
        return given;
      }
      const found = find({});
      if (found) return found;
      log(`installing ${spec.title} into ${venv} from ${spec.requirements}`);
      const step = async (cmd: string, args: string[]): Promise<void> => {
        const r = await runTool(cmd, args, { cwd: ROOT }).catch((err: Error) => ({
          status: null,
          output: err.message,
        }));
        if (r.status !== 0)
          throw new Error(
            `${spec.title} could not be installed (\`${cmd} ${args.join(' ')}\` failed: ${r.output.trim().slice(-2000)}); ` +
              `the pin tests check lockfiles with ${spec.title} itself: run \`npm run -s ${spec.script}\` or set $${spec.envVar}`,
          );
      };
      await step(python, ['-m', 'venv', '--clear', venv]);
      await step(path.join(venv, 'bin', 'python'), [
        '-m',
        'pip',
        'install',
        '--quiet',
        '--disable-pip-version-check',
        '--no-deps',
        '-r',
        requirements,
      ]);
      writeFileSync(stamp, `${hash()}\n`);
      if (!find({})) throw new Error(`${spec.title} was installed into ${venv} but ${bin} is missing`);
      return bin;
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
