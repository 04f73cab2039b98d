// Reads a Pipfile.lock the way pipenv does: the check that a Pipfile.lock pin left a lockfile pipenv installs from.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runTool, type ToolRun } from './run';
import { installedIn, venvTool } from './venv-tool';

/** pipenv and its closure, pinned in test/pipenv-requirements.txt, in the tool cache. */
const PIPENV = venvTool({
  tool: 'pipenv',
  title: 'pipenv 2026.10.3',
  script: 'pipenv:ensure',
});
export const ensurePipenv = PIPENV.ensure;

/** The sandbox index as the Pipfile's only source. */
const withSource = (pipfile: string, index: string): string =>
  `[[source]]\nurl = "${index.replace(/\/+$/, '')}/simple/"\nverify_ssl = false\nname = "sandbox"\n\n${pipfile}`;

/** A fresh project folder for pipenv: Pipfile (with the sandbox source), Pipfile.lock when given, venv and caches inside. */
function project(pipfile: string, lock: string | undefined, index: string): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-pipenv-'));
  writeFileSync(path.join(dir, 'Pipfile'), withSource(pipfile, index));
  if (lock !== undefined) writeFileSync(path.join(dir, 'Pipfile.lock'), lock);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('PIPENV_') && !k.startsWith('PIP_') && k !== 'VIRTUAL_ENV' && k !== 'PYTHONPATH') env[k] = v;
  Object.assign(env, {
    PIPENV_VENV_IN_PROJECT: '1',
    PIPENV_IGNORE_VIRTUALENVS: '1',
    PIPENV_CACHE_DIR: path.join(dir, '.pipenv-cache'),
    PIP_CACHE_DIR: path.join(dir, '.pip-cache'),
    PIPENV_NOSPIN: '1',
    PIPENV_YES: '1',
    PIPENV_NO_INHERIT: '1',
    PIPENV_DONT_LOAD_ENV: '1',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
    NO_COLOR: '1',
  });
  return { dir, env };
}

/** Has pipenv lock `pipfile` from the sandbox index: the Pipfile.lock a project would commit, _meta hash included. */
export async function pipenvLock(pipfile: string, index: string): Promise<string> {
  const pipenv = await ensurePipenv();
  const { dir, env } = project(pipfile, undefined, index);
  const r = await runTool(pipenv, ['lock'], { cwd: dir, env });
  if (r.status !== 0) throw new Error(`pipenv lock failed in ${dir}:\n${r.output}`);
  return readFileSync(path.join(dir, 'Pipfile.lock'), 'utf8');
}

/**
 * Checks a Pipfile.lock with pipenv itself, in a temp project pointing at the sandbox index: `pipenv verify` (the
 * lock's hash matches the Pipfile), `pipenv sync` (installs exactly the lock, pip checking every file's hash), then
 * `pip check` in the venv (a lock missing a dependency installs without a word). `status` is the first failing
 * step's (0 when all pass); `installed` is what the venv holds.
 */
export async function readByPipenv(
  files: { pipfile: string; lock: string },
  index: string,
): Promise<ToolRun & { installed: Record<string, string> }> {
  const pipenv = await ensurePipenv();
  const { dir, env } = project(files.pipfile, files.lock, index);
  let output = '';
  for (const [cmd, args] of [
    [pipenv, ['verify']],
    [pipenv, ['sync']],
    [path.join(dir, '.venv', 'bin', 'python'), ['-m', 'pip', 'check', '--disable-pip-version-check']],
  ] as Array<[string, string[]]>) {
    const r = await runTool(cmd, args, { cwd: dir, env });
    output += r.output;
    if (r.status !== 0) return { status: r.status, output, stdout: '', dir, installed: installedIn(dir) };
  }
  return { status: 0, output, stdout: '', dir, installed: installedIn(dir) };
}
