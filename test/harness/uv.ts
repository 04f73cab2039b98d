// Reads a uv.lock the way uv does: the check that a uv.lock pin left a lockfile uv itself accepts and installs from.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runTool, type ToolRun } from './run';
import { installedIn, venvTool } from './venv-tool';

/** The uv the pin tests run: exact, so the lock layout they compare against does not drift. */
export const UV_VERSION = '0.13.9';
/** uv pinned in test/uv-requirements.txt (one wheel holding the binary), in the tool cache. */
const UV = venvTool({
  tool: 'uv',
  title: `uv ${UV_VERSION}`,
  script: 'uv:ensure',
});
export const UV_VENV = UV.venv;
export const findUv = UV.find;
export const ensureUv = UV.ensure;

/** What uv said, and the project folder it ran in. */
export type UvRun = Omit<ToolRun, 'stdout'>;

/** Runs a command to its end, its output kept for the error; a command that cannot start is a failed run. */
function run(cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<UvRun> {
  return runTool(cmd, args, { ...options, cwd: options.cwd ?? process.cwd() }).catch((err: Error) => ({
    status: null,
    output: err.message,
    dir: options.cwd ?? '',
  }));
}

let pythonPath: Promise<string> | undefined;

/** The local interpreter uv builds environments with, as an absolute path (a pyenv shim is resolved). */
function localPython(): Promise<string> {
  pythonPath ??= run(process.env.CORDON_PYTHON ?? 'python3', ['-c', 'import sys; print(sys.executable)']).then((r) => {
    if (r.status !== 0) throw new Error(`no local python3 for uv to use: ${r.output}`);
    return r.output.trim().split('\n').at(-1)!;
  });
  return pythonPath;
}

/**
 * A fresh project folder for uv: pyproject.toml as given, uv.lock when given, and uv's cache inside it. The sandbox
 * index is the default index (`UV_DEFAULT_INDEX={index}/simple/`), so pyproject.toml is the project's own; no uv
 * config file is read (`UV_NO_CONFIG`), and uv uses the local Python and never downloads one.
 */
async function project(
  pyproject: string,
  lock: string | undefined,
  index: string,
): Promise<{ dir: string; env: NodeJS.ProcessEnv }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-uv-'));
  writeFileSync(path.join(dir, 'pyproject.toml'), pyproject);
  if (lock !== undefined) writeFileSync(path.join(dir, 'uv.lock'), lock);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('UV_') && k !== 'VIRTUAL_ENV' && k !== 'PYTHONPATH' && k !== 'PIP_INDEX_URL') env[k] = v;
  Object.assign(env, {
    UV_DEFAULT_INDEX: `${index.replace(/\/+$/, '')}/simple/`,
    UV_CACHE_DIR: path.join(dir, '.uv-cache'),
    UV_PYTHON: await localPython(),
    UV_PYTHON_DOWNLOADS: 'never',
    UV_NO_CONFIG: '1',
    UV_NO_PROGRESS: '1',
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
    NO_COLOR: '1',
  });
  return { dir, env };
}

/**
 * Has uv lock `pyproject` from the sandbox index (`{index}/simple/`): the uv.lock a project would commit. Throws with
 * uv's output when it cannot lock.
 */
export async function uvLock(pyproject: string, index: string): Promise<string> {
  const uv = await ensureUv();
  const { dir, env } = await project(pyproject, undefined, index);
  const r = await run(uv, ['lock'], { cwd: dir, env });
  if (r.status !== 0) throw new Error(`uv lock failed in ${dir}:\n${r.output}`);
  return readFileSync(path.join(dir, 'uv.lock'), 'utf8');
}

/**
 * Checks a uv.lock with uv itself, in a temp project pointing at the sandbox index: `uv lock --check` (the lock is
 * readable and still satisfies pyproject.toml, else uv would rewrite it), then `uv sync --locked`, which installs from
 * the lock alone, downloads every file and refuses one whose sha256 the lock does not list, then `uv pip check` in the
 * venv. `status` is the first failing step's (0 when all pass). Runs asynchronously: the sandbox index serves from the
 * test's own process.
 */
export async function readByUv(
  files: { pyproject: string; lock: string },
  index: string,
): Promise<UvRun & { installed: Record<string, string> }> {
  const uv = await ensureUv();
  const { dir, env } = await project(files.pyproject, files.lock, index);
  let output = '';
  const steps: string[][] = [
    ['lock', '--check'],
    ['sync', '--locked'],
    ['pip', 'check', '--python', path.join(dir, '.venv', 'bin', 'python')],
  ];
  for (const args of steps) {
    const r = await run(uv, args, { cwd: dir, env });
    output += `$ uv ${args.join(' ')}\n${r.output}`;
    if (r.status !== 0) return { status: r.status, output, dir, installed: installedIn(dir) };
  }
  return { status: 0, output, dir, installed: installedIn(dir) };
}
