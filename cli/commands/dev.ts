import { parseFlags } from '../../client/args';
import { ErrorCode, UserError } from '../../config/errors';
import { runLocalWorker } from '../../devserver/dev';
import type { Command } from '../io';

/**
 * Where `cordon dev` binds: `--port`, else the port of TEMPORAL_ADDRESS, else 7233, on TEMPORAL_ADDRESS's host
 * (loopback by default); the Web UI on `--ui-port`, else the front end's port + 1000 (Temporal's own convention).
 */
export function devAddress(
  flags: { port?: string | undefined; 'ui-port'?: string | undefined },
  env: NodeJS.ProcessEnv,
): { ip: string; port: number; uiPort: number } {
  const configured = env.TEMPORAL_ADDRESS?.trim();
  const m = configured ? /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(configured) : null;
  if (configured && !m)
    throw new UserError(`TEMPORAL_ADDRESS=${configured}: expected HOST:PORT for cordon dev to bind`, ErrorCode.Usage);
  const host = m?.[1] ?? m?.[2] ?? '127.0.0.1';
  const asPort = (v: string | undefined, what: string): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UserError(`${what}: not a port: ${v}`, ErrorCode.Usage);
    return n;
  };
  const port = asPort(flags.port, '--port') ?? asPort(m?.[3], 'TEMPORAL_ADDRESS') ?? 7233;
  const uiPort = asPort(flags['ui-port'], '--ui-port') ?? port + 1000;
  return { ip: host === 'localhost' ? '127.0.0.1' : host, port, uiPort };
}

/**
 * `cordon dev [--port N] [--ui-port N]`: a persistent local stack — the Temporal dev server with its SQLite file under
 * `.cordon/`, the Web UI (decoding payloads through a codec server when CORDON_CODEC_KEYS is set), and a worker —
 * until Ctrl-C. Incidents survive restarts of this command.
 */
export const devCommand: Command = async (args, io) => {
  const { values } = parseFlags(args, { port: { type: 'string' }, 'ui-port': { type: 'string' } }, false);
  await runLocalWorker({
    env: io.env,
    cwd: io.cwd,
    devServer: devAddress(values, io.env),
    tell: (line) => io.stderr.write(`${line}\n`),
  });
  return 0;
};

/** `cordon worker`: a worker against the configured Temporal server. */
export const workerCommand: Command = async (_args, io) => {
  await runLocalWorker({ env: io.env, cwd: io.cwd, tell: (line) => io.stderr.write(`${line}\n`) });
  return 0;
};
