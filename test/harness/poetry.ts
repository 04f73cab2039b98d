// Reads a poetry.lock the way Poetry does: the check that a Poetry pin left a lockfile Poetry itself installs from.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runTool } from './run';
import { installedIn, venvTool } from './venv-tool';

/** The Poetry the pin tests run: exact, so the lock layout they compare against does not drift. */
export const POETRY_VERSION = '2.5.1';
/** Poetry and its closure, pinned in test/poetry-requirements.txt, in the tool cache. */
const POETRY = venvTool({
  tool: 'poetry',
  title: `Poetry ${POETRY_VERSION}`,
  script: 'poetry:ensure',
});
export const POETRY_VENV = POETRY.venv;
export const findPoetry = POETRY.find;
export const ensurePoetry = POETRY.ensure;

/** What Poetry said, and the project folder it ran in. */
export interface PoetryRun {
  status: number | null;
  output: string;
  dir: string;
}

/** Runs a command to its end, its output kept for the error. */
function run(cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<PoetryRun> {
  return runTool(cmd, args, { ...options, cwd: options.cwd ?? process.cwd() });
}

/** The sandbox index as the project's only source: Poetry resolves and downloads from it alone. */
const withSource = (pyproject: string, index: string): string =>
  `${pyproject.replace(/\n*$/, '\n')}\n[[tool.poetry.source]]\nname = "sandbox"\nurl = "${index.replace(/\/+$/, '')}/simple/"\npriority = "primary"\n`;

/**
 * A fresh project folder for Poetry: pyproject.toml (plus the sandbox source), poetry.lock when given, and Poetry's
 * cache, config and venv inside it, so no user setting or earlier run leaks in.
 */
function project(pyproject: string, lock: string | undefined, index: string): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-poetry-'));
  writeFileSync(path.join(dir, 'pyproject.toml'), withSource(pyproject, index));
  if (lock !== undefined) writeFileSync(path.join(dir, 'poetry.lock'), lock);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('POETRY_') && k !== 'VIRTUAL_ENV' && k !== 'PYTHONPATH') env[k] = v;
  Object.assign(env, {
    POETRY_CACHE_DIR: path.join(dir, '.poetry-cache'),
    POETRY_CONFIG_DIR: path.join(dir, '.poetry-config'),
    POETRY_DATA_DIR: path.join(dir, '.poetry-data'),
    POETRY_VIRTUALENVS_IN_PROJECT: 'true',
    POETRY_NO_INTERACTION: '1',
    PYTHON_KEYRING_BACKEND: 'keyring.backends.null.Keyring',
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
    NO_COLOR: '1',
  });
  return { dir, env };
}

/**
 * Has Poetry lock `pyproject` from the sandbox index (`{index}/simple/`): the lockfile a project would commit,
 * content-hash included. Throws with Poetry's output when it cannot lock.
 */
export async function poetryLock(pyproject: string, index: string): Promise<string> {
  const poetry = await ensurePoetry();
  const { dir, env } = project(pyproject, undefined, index);
  const r = await run(poetry, ['lock'], { cwd: dir, env });
  if (r.status !== 0) throw new Error(`poetry lock failed in ${dir}:\n${r.output}`);
  return readFileSync(path.join(dir, 'poetry.lock'), 'utf8');
}

/**
 * Checks a poetry.lock with Poetry itself, in a temp project pointing at the sandbox index: `poetry check --lock`
 * (the lock is readable and its content-hash matches pyproject.toml), then `poetry sync --no-root`, which resolves
 * the project against the lock alone, downloads every file and refuses one whose sha256 the lock does not list, then
 * `pip check` in the venv: Poetry installs a lock that lacks a locked package's dependency without a word, pip check
 * does not. `status` is the first failing step's (0 when all pass). Runs asynchronously: the sandbox index serves from the
 * test's own process.
 */
export async function readByPoetry(
  files: { pyproject: string; lock: string },
  index: string,
): Promise<PoetryRun & { installed: Record<string, string> }> {
  const poetry = await ensurePoetry();
  const { dir, env } = project(files.pyproject, files.lock, index);
  let output = '';
  const steps: Array<[string, string[]]> = [
    [poetry, ['check', '--lock']],
    [poetry, ['sync', '--no-root']],
    [path.join(dir, '.venv', 'bin', 'python'), ['-m', 'pip', 'check', '--disable-pip-version-check']],
  ];
  for (const [cmd, args] of steps) {
    const r = await run(cmd, args, { cwd: dir, env });
    output += `$ ${path.basename(cmd)} ${args.join(' ')}\n${r.output}`;
    if (r.status !== 0) return { status: r.status, output, dir, installed: installedIn(dir) };
  }
  return { status: 0, output, dir, installed: installedIn(dir) };
}
