// The tools the tests and the demo run besides Node: each one's pin, its folder in the per-user cache, how to find an
// installed one (an explicit variable wins) and how to build it once. `npm test`, Jest's global setup, the demo and
// `npm run -s <tool>:ensure` all provision through here, so a fresh clone needs only the README's commands.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, OperationalError } from '../config/errors';
import { isExecutable } from './executable';
import { fileSha256, startProgress, toolsCacheRoot, withLock, type ProgressLog } from './tool-cache';

const ROOT = path.resolve(__dirname, '..');

/** The Temporal CLI release cordon builds when none is installed (v1.6+ has a replace directive and cannot be `go install`ed). */
export const TEMPORAL_CLI_VERSION = '1.5.1';
/** The module `go install` builds the Temporal CLI from. */
export const TEMPORAL_CLI_MODULE = `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;

/** A Python tool installed into its own venv from an exact requirements file (its whole closure, `--no-deps`). */
interface VenvToolSpec {
  /** The distribution whose `==` pin in the requirements file is the tool's version. */
  distribution: string;
  /** The executable in the venv's `bin/`. */
  bin: string;
  /** The variable naming an installed executable to use instead. */
  envVar: string;
  /** The requirements file, relative to the checkout: the pin. */
  requirements: string;
}

const VENV_TOOLS = {
  moto: { distribution: 'moto', bin: 'moto_server', envVar: 'MOTO_SERVER', requirements: 'test/moto-requirements.txt' },
  poetry: { distribution: 'poetry', bin: 'poetry', envVar: 'POETRY', requirements: 'test/poetry-requirements.txt' },
  pipenv: { distribution: 'pipenv', bin: 'pipenv', envVar: 'PIPENV', requirements: 'test/pipenv-requirements.txt' },
  uv: { distribution: 'uv', bin: 'uv', envVar: 'UV', requirements: 'test/uv-requirements.txt' },
} as const satisfies Record<string, VenvToolSpec>;

/** A Python tool provisioned into a venv. */
export type VenvToolName = keyof typeof VENV_TOOLS;
/** Every tool cordon provisions. */
export type ToolName = 'temporal' | VenvToolName;
/** In the order `npm test` provisions them: the slow one first, so its progress shows at once. */
export const ALL_TOOLS: readonly ToolName[] = ['temporal', 'moto', 'poetry', 'pipenv', 'uv'];

/** A system tool cordon cannot install for you is missing: the message says which and how to install it. */
export class MissingToolError extends OperationalError {
  constructor(message: string) {
    super(message, ErrorCode.ToolMissing);
    this.name = 'MissingToolError';
  }
}

/** Where to get each system tool, for the one-line messages. */
export const INSTALL_HINTS = {
  // A distribution's Go package may be older than the CLI's go.mod asks for; go.dev always has the current one.
  go: 'install Go from https://go.dev/dl',
  python3: 'install Python 3 with its venv module (apt-get install python3 python3-venv, brew install python)',
  cargo: 'install Rust with rustup from https://rustup.rs (Cargo 1.78 or later)',
} as const;

/** The `==` version a requirements file pins `distribution` to (extras allowed: `moto[server]==5.2.5`). */
export function pinnedVersion(requirementsText: string, distribution: string): string | undefined {
  const name = distribution.replace(/[-_.]+/g, '[-_.]+');
  return new RegExp(`^${name}(?:\\[[^\\]]*\\])?==([^\\s;#]+)`, 'im').exec(requirementsText)?.[1];
}

/** The marker a venv build writes last. */
const COMPLETE = '.complete';

/** A venv tool's version as its requirements file pins it. */
function venvVersion(name: VenvToolName): string {
  const spec = VENV_TOOLS[name];
  return pinnedVersion(readFileSync(path.join(ROOT, spec.requirements), 'utf8'), spec.distribution) ?? 'unpinned';
}

/** The tool's display name and version: `moto 5.2.5`. */
export function toolTitle(name: ToolName): string {
  return name === 'temporal' ? `the Temporal CLI ${TEMPORAL_CLI_VERSION}` : `${name} ${venvVersion(name)}`;
}

/**
 * The tool's cache folder: `<cache>/temporal-cli-<version>`, or `<cache>/<tool>-<version>-<sha256 of its
 * requirements, 16 hex>` for a venv, so changing any pin of its closure (not only the tool's own) builds a new one.
 */
export function toolDir(name: ToolName, env: NodeJS.ProcessEnv = process.env): string {
  const root = toolsCacheRoot(env);
  if (name === 'temporal') return path.join(root, `temporal-cli-${TEMPORAL_CLI_VERSION}`);
  const sha = fileSha256(path.join(ROOT, VENV_TOOLS[name].requirements));
  return path.join(root, `${name}-${venvVersion(name)}-${sha.slice(0, 16)}`);
}

/** The variable that names an installed executable to use instead of the cache. */
export function overrideVar(name: ToolName): string {
  return name === 'temporal' ? 'TEMPORAL_CLI' : VENV_TOOLS[name].envVar;
}

/** `cmd` as found on `env.PATH`, or undefined. */
export function findOnPath(cmd: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, cmd))) return path.join(dir, cmd);
  }
  return undefined;
}

/**
 * The executable inside the tool's cache folder, once complete: the Temporal CLI binary is moved in whole, a venv is
 * complete only when its marker (written after pip finished) is there.
 */
function cachedExecutable(name: ToolName, env: NodeJS.ProcessEnv): string | undefined {
  const dir = toolDir(name, env);
  if (name === 'temporal') return isExecutable(path.join(dir, 'temporal')) ? path.join(dir, 'temporal') : undefined;
  const bin = path.join(dir, 'bin', VENV_TOOLS[name].bin);
  return existsSync(path.join(dir, COMPLETE)) && isExecutable(bin) ? bin : undefined;
}

/**
 * Finds a tool without building anything: its variable (`$TEMPORAL_CLI`, `$MOTO_SERVER`, `$POETRY`, `$PIPENV`, `$UV`),
 * then the cache, then, for the Temporal CLI only, `temporal` on PATH (a Python tool on PATH may be another version).
 * @returns the executable's path, or undefined when none is present.
 * @throws OperationalError when `$TEMPORAL_CLI` names no executable (a typo must not silently build another CLI).
 */
export function findTool(name: ToolName, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const given = env[overrideVar(name)];
  if (given) {
    if (isExecutable(given)) return given;
    if (name === 'temporal')
      throw new OperationalError(`TEMPORAL_CLI=${given} is not an executable file`, ErrorCode.Tool);
    return undefined;
  }
  return cachedExecutable(name, env) ?? (name === 'temporal' ? findOnPath('temporal', env) : undefined);
}

/** Options of `ensureTool` and `provision`. */
export interface EnsureOptions {
  /** Where variables, PATH and the cache root are read. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Receives progress lines while something is built; nothing is written when all is cached. @default silent */
  log?: ProgressLog;
  /** How often a long build reports its elapsed time. @default 30_000 */
  progressIntervalMs?: number;
}

/** Runs a build step to its end, asynchronously so progress lines keep coming; its output is kept for the error. */
function step(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (d: Buffer): void => void (output = (output + d.toString('utf8')).slice(-8000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (err) => resolve({ status: null, output: err.message }));
    child.on('close', (status) => resolve({ status, output }));
  });
}

/** The last non-empty line of a failed step's output: enough to say why on one line. */
const lastLine = (output: string): string =>
  output
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1) ?? 'no output';

/**
 * The system tool that builds `name` (Go for the Temporal CLI, Python 3 for a venv), checked before anything starts.
 * @throws MissingToolError naming it and how to install it, on one line.
 */
export function requireBuilder(name: ToolName, env: NodeJS.ProcessEnv = process.env): string {
  if (name === 'temporal') {
    const go = findOnPath('go', env);
    if (go) return go;
    throw new MissingToolError(
      `${toolTitle('temporal')} is not cached and Go is not on PATH to build it: ${INSTALL_HINTS.go}, ` +
        'or put a `temporal` CLI on PATH, or set TEMPORAL_CLI',
    );
  }
  const python = env.CORDON_PYTHON || findOnPath('python3', env);
  if (python) return python;
  const spec = VENV_TOOLS[name];
  throw new MissingToolError(
    `${toolTitle(name)} is not cached and python3 is not on PATH to install it: ${INSTALL_HINTS.python3}, ` +
      `or set ${spec.envVar} to an installed ${spec.bin}`,
  );
}

async function buildTemporalCli(dir: string, env: NodeJS.ProcessEnv, go: string): Promise<void> {
  // go install writes into a private folder first; the binary moves into place only once it is whole.
  const gobin = `${dir}.build-${process.pid}`;
  rmSync(gobin, { recursive: true, force: true });
  mkdirSync(gobin, { recursive: true });
  try {
    const r = await step(go, ['install', TEMPORAL_CLI_MODULE], { ...env, GOBIN: gobin, GOFLAGS: '-mod=mod' });
    if (r.status !== 0 || !isExecutable(path.join(gobin, 'temporal')))
      throw new OperationalError(`go install ${TEMPORAL_CLI_MODULE} failed: ${lastLine(r.output)}`, ErrorCode.Tool);
    mkdirSync(dir, { recursive: true });
    renameSync(path.join(gobin, 'temporal'), path.join(dir, 'temporal'));
  } finally {
    rmSync(gobin, { recursive: true, force: true });
  }
}

async function buildVenv(name: VenvToolName, dir: string, env: NodeJS.ProcessEnv, python: string): Promise<void> {
  const spec = VENV_TOOLS[name];
  const venv = await step(python, ['-m', 'venv', '--clear', dir], env);
  if (venv.status !== 0) {
    // Debian splits venv's pip bootstrap out of python3: the module is there but cannot seed a venv.
    if (/ensurepip|No module named venv/.test(venv.output))
      throw new MissingToolError(
        `${python} cannot create a virtual environment (its venv module is missing): ${INSTALL_HINTS.python3}`,
      );
    throw new OperationalError(`${python} -m venv ${dir} failed: ${lastLine(venv.output)}`, ErrorCode.Tool);
  }
  const requirements = path.join(ROOT, spec.requirements);
  const pip = await step(
    path.join(dir, 'bin', 'python'),
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '-r', requirements],
    env,
  );
  if (pip.status !== 0)
    throw new OperationalError(`pip install -r ${spec.requirements} failed: ${lastLine(pip.output)}`, ErrorCode.Tool);
}

/**
 * Returns a tool's executable, building it into the cache first when it is not there: the Temporal CLI with
 * `go install` through the Go module proxy (about 11 minutes cold), a Python tool with `python3 -m venv` and pip.
 * One process builds while others wait on a lock; a long build reports elapsed seconds on `log`.
 * @throws MissingToolError naming the missing system tool (Go, Python 3) and how to install it.
 */
export async function ensureTool(name: ToolName, options: EnsureOptions = {}): Promise<string> {
  const { env = process.env, log = () => {} } = options;
  const found = findTool(name, env);
  if (found) return found;
  const given = env[overrideVar(name)];
  if (given) throw new OperationalError(`${overrideVar(name)}=${given} is not an executable file`, ErrorCode.Tool);
  const dir = toolDir(name, env);
  return withLock(
    `${dir}.lock`,
    async () => {
      // Whoever held the lock before us may have built it.
      const built = cachedExecutable(name, env);
      if (built) return built;
      const what =
        name === 'temporal'
          ? `${toolTitle(name)} (go install, about 11 minutes the first time) into ${dir}`
          : `${toolTitle(name)} (a Python venv from ${VENV_TOOLS[name].requirements}) into ${dir}`;
      // A missing system tool is the one line printed, before any progress.
      const builder = requireBuilder(name, env);
      const interval = options.progressIntervalMs;
      const progress = startProgress(what, log, interval ? { intervalMs: interval } : {});
      try {
        if (name === 'temporal') await buildTemporalCli(dir, env, builder);
        else await buildVenv(name, dir, env, builder);
      } catch (err) {
        progress.done(false);
        throw err;
      }
      progress.done();
      if (name !== 'temporal') writeFileSync(path.join(dir, COMPLETE), `${new Date().toISOString()}\n`);
      const ready = cachedExecutable(name, env);
      if (!ready)
        throw new OperationalError(
          `${toolTitle(name)} was built into ${dir} but its executable is missing`,
          ErrorCode.Tool,
        );
      return ready;
    },
    { log, what: toolTitle(name) },
  );
}

/** Cargo: on PATH, else where rustup installs it (`$CARGO_HOME/bin`, `~/.cargo/bin`), which a CI shell may not have on PATH. */
export function findCargo(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const home = env.CARGO_HOME || (env.HOME ? path.join(env.HOME, '.cargo') : undefined);
  const rustup = home ? path.join(home, 'bin', 'cargo') : undefined;
  return findOnPath('cargo', env) ?? (rustup && isExecutable(rustup) ? rustup : undefined);
}

/** The oldest Cargo that reads and writes Cargo.lock version 4. */
export const MIN_CARGO = [1, 78] as const;

/**
 * Checks that Cargo is present and recent enough for the Cargo pin tests (cordon cannot install a Rust toolchain).
 * @returns the cargo executable.
 * @throws MissingToolError with one line saying what to install.
 */
export async function checkCargo(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const cargo = findCargo(env);
  if (!cargo) throw new MissingToolError(`cargo is not on PATH (the Cargo pin tests run it): ${INSTALL_HINTS.cargo}`);
  const r = await step(cargo, ['--version'], env);
  const m = /cargo (\d+)\.(\d+)/.exec(r.output);
  const [major, minor] = [Number(m?.[1] ?? 0), Number(m?.[2] ?? 0)];
  if (r.status !== 0 || major < MIN_CARGO[0] || (major === MIN_CARGO[0] && minor < MIN_CARGO[1]))
    throw new MissingToolError(
      `${cargo} is ${lastLine(r.output)}, the Cargo pin tests need 1.78 or later: ${INSTALL_HINTS.cargo}`,
    );
  return cargo;
}

/**
 * Provisions tools one after another (each build already uses the machine), then checks Cargo when asked: what
 * `npm test` and Jest's global setup call before any test runs.
 * @returns each tool's executable.
 */
export async function provision(
  names: readonly ToolName[] = ALL_TOOLS,
  options: EnsureOptions & { cargo?: boolean } = {},
): Promise<Partial<Record<ToolName | 'cargo', string>>> {
  const out: Partial<Record<ToolName | 'cargo', string>> = {};
  for (const name of names) out[name] = await ensureTool(name, options);
  if (options.cargo) out.cargo = await checkCargo(options.env);
  return out;
}
