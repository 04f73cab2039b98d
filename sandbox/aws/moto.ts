import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { ensureTool, findTool, toolDir } from '../../devserver/tools';

/** The cache folder moto's venv lives in (keyed by its version and the SHA-256 of test/moto-requirements.txt). */
export const motoVenv = (env: NodeJS.ProcessEnv = process.env): string => toolDir('moto', env);

/** `$MOTO_SERVER`, or `moto_server` of the cached venv holding the pinned requirements, or undefined. */
export function findMotoServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findTool('moto', env);
}

/** Like `findMotoServer`, but fails with what to run when moto is not installed. */
export function requireMotoServer(env: NodeJS.ProcessEnv = process.env): string {
  const bin = findMotoServer(env);
  if (!bin)
    throw new Error(
      `moto_server not found in ${motoVenv(env)} nor in $MOTO_SERVER: run \`npm run -s moto:ensure\` (npm test and the demo provision it)`,
    );
  return bin;
}

/**
 * Installs moto's server into the tool cache from the pinned requirements, once (a changed pin is a new folder);
 * progress on `log`.
 */
export function ensureMotoServer(log: (line: string) => void = () => {}): Promise<string> {
  return ensureTool('moto', { log });
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
