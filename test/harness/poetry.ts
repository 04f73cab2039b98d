// Reads a poetry.lock the way Poetry does: the check that a Poetry pin left a lockfile Poetry itself installs from.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isExecutable } from '../../worker/executable';
import { runTool } from './run';

const ROOT = path.resolve(__dirname, '..', '..');
/** The Poetry the pin tests run: exact, so the lock layout they compare against does not drift. */
export const POETRY_VERSION = '2.5.1';
/** The virtual environment `npx tsx scripts/ensure-poetry.ts` installs Poetry into. */
export const POETRY_VENV = path.join(ROOT, '.tools', 'poetry-venv');
/** Poetry and every package it needs, pinned exactly (`pip freeze` of a venv holding poetry==POETRY_VERSION). */
const REQUIREMENTS = path.join(ROOT, 'test', 'poetry-requirements.txt');
const STAMP = path.join(POETRY_VENV, '.requirements-sha256');
const requirementsHash = (): string => createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex');

/** What Poetry said, and the project folder it ran in. */
export interface PoetryRun {
  status: number | null;
  output: string;
  dir: string;
}

/** `poetry` of the venv when it holds the pinned requirements (`$POETRY` wins), or undefined. */
export function findPoetry(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.POETRY) return isExecutable(env.POETRY) ? env.POETRY : undefined;
  const bin = path.join(POETRY_VENV, 'bin', 'poetry');
  if (!isExecutable(bin) || !existsSync(STAMP)) return undefined;
  return readFileSync(STAMP, 'utf8').trim() === requirementsHash() ? bin : undefined;
}

/** Runs a command to its end, its output kept for the error. */
function run(cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<PoetryRun> {
  return runTool(cmd, args, { ...options, cwd: options.cwd ?? process.cwd() });
}

/**
 * Installs Poetry into `.tools/poetry-venv` from `test/poetry-requirements.txt` (every package pinned, no resolving),
 * once: a stamp holds the hash of the requirements it was installed from, so a changed pin reinstalls and an unchanged
 * one costs nothing. `$POETRY`, when set, is used instead and never
 * installed. Fails with what went wrong and what to run when Poetry cannot be had.
 */
export async function ensurePoetry(
  log: (line: string) => void = () => {},
  python = process.env.CORDON_PYTHON ?? 'python3',
): Promise<string> {
  if (process.env.POETRY) {
    const bin = findPoetry();
    if (!bin) throw new Error(`$POETRY is ${process.env.POETRY}, which is not an executable file`);
    return bin;
  }
  const found = findPoetry({});
  if (found) return found;
  log(`installing Poetry ${POETRY_VERSION} into ${POETRY_VENV}`);
  const step = async (cmd: string, args: string[]) => {
    const r = await run(cmd, args).catch((err: Error) => ({ status: null, output: err.message, dir: '' }));
    if (r.status !== 0)
      throw new Error(
        `Poetry ${POETRY_VERSION} could not be installed (\`${cmd} ${args.join(' ')}\` failed: ${r.output.trim().slice(-2000)}); ` +
          'the poetry.lock pin tests check lockfiles with Poetry itself: run `npm run -s poetry:ensure` or set $POETRY',
      );
  };
  await step(python, ['-m', 'venv', '--clear', POETRY_VENV]);
  await step(path.join(POETRY_VENV, 'bin', 'python'), [
    '-m',
    'pip',
    'install',
    '--quiet',
    '--disable-pip-version-check',
    '--no-deps',
    '-r',
    REQUIREMENTS,
  ]);
  writeFileSync(STAMP, `${requirementsHash()}\n`);
  const bin = findPoetry({});
  if (!bin)
    throw new Error(
      `Poetry was installed into ${POETRY_VENV} but ${path.join(POETRY_VENV, 'bin', 'poetry')} is missing`,
    );
  return bin;
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

/** The distributions installed in a project's `.venv`, `name` (normalized) to version. */
export function installedByPoetry(dir: string): Record<string, string> {
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
    if (r.status !== 0) return { status: r.status, output, dir, installed: installedByPoetry(dir) };
  }
  return { status: 0, output, dir, installed: installedByPoetry(dir) };
}
