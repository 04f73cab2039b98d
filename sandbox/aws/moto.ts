import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
/** The pinned requirements of moto's server. */
export const MOTO_REQUIREMENTS = path.join(ROOT, 'test', 'moto-requirements.txt');
/** The virtual environment `npm run -s moto:ensure` installs moto into. */
export const MOTO_VENV = path.join(ROOT, '.tools', 'moto-venv');
const STAMP = path.join(MOTO_VENV, '.requirements-sha256');

// A local copy rather than devserver's: the sandbox imports nothing of the product.
function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const requirementsHash = (): string => createHash('sha256').update(readFileSync(MOTO_REQUIREMENTS)).digest('hex');

/** `moto_server` of the venv when it holds the pinned requirements (`$MOTO_SERVER` wins), or undefined. */
export function findMotoServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.MOTO_SERVER) return isExecutable(env.MOTO_SERVER) ? env.MOTO_SERVER : undefined;
  const bin = path.join(MOTO_VENV, 'bin', 'moto_server');
  if (!isExecutable(bin) || !existsSync(STAMP)) return undefined;
  return readFileSync(STAMP, 'utf8').trim() === requirementsHash() ? bin : undefined;
}

/** Like `findMotoServer`, but fails with what to run when moto is not installed. */
export function requireMotoServer(env: NodeJS.ProcessEnv = process.env): string {
  const bin = findMotoServer(env);
  if (!bin)
    throw new Error(
      `moto_server not found in ${MOTO_VENV} (or it predates test/moto-requirements.txt): run \`npm run -s moto:ensure\``,
    );
  return bin;
}

/**
 * Installs moto's server into `.tools/moto-venv` from the pinned requirements, once: a stamp holds the hash of the
 * requirements it was installed from, so a changed pin reinstalls and an unchanged one costs nothing.
 */
export function ensureMotoServer(log: (line: string) => void = () => {}, python = 'python3'): string {
  const found = findMotoServer({});
  if (found) return found;
  log(`installing moto into ${MOTO_VENV} from ${path.relative(ROOT, MOTO_REQUIREMENTS)}`);
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
  };
  run(python, ['-m', 'venv', '--clear', MOTO_VENV]);
  const pip = path.join(MOTO_VENV, 'bin', 'pip');
  run(pip, ['install', '--quiet', '--disable-pip-version-check', '--no-deps', '-r', MOTO_REQUIREMENTS]);
  writeFileSync(STAMP, `${requirementsHash()}\n`);
  return requireMotoServer({});
}

/** A free loopback port: the kernel picks one for a throwaway listener. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A running moto server. */
export interface MotoServer {
  /** `http://127.0.0.1:<port>`: the endpoint of the AWS clients. */
  url: string;
  /** Forgets every resource (users, keys, roles): `POST /moto-api/reset`. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `moto_server` on a free loopback port and waits until it answers. */
export async function startMotoServer(bin = requireMotoServer()): Promise<MotoServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: 'true' },
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${stderr}`);
    try {
      const r = await fetch(`${url}/moto-api/data.json`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto_server did not answer on ${url} within 30s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async reset() {
      const r = await fetch(`${url}/moto-api/reset`, { method: 'POST' });
      if (!r.ok) throw new Error(`moto reset answered ${r.status}`);
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
