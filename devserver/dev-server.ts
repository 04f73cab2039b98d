import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_FLAGS } from '../domain/search-attributes';
import { ErrorCode, OperationalError } from '../config/errors';
import { ensureTemporalCli } from './temporal-cli';

/** Options for a local Temporal dev server. */
export interface DevServerOptions {
  /** Address the front end and the Web UI bind. @default '127.0.0.1' */
  ip?: string;
  /** Port of the front-end gRPC service. @default a free port */
  port?: number;
  /** Port of the Web UI; `false` runs headless. @default false */
  uiPort?: number | false;
  /** Codec server the Web UI decodes payloads with (`--ui-codec-endpoint`). @default none */
  uiCodecEndpoint?: string;
  /** SQLite file for persistent state; in memory when unset. @default undefined */
  dbFile?: string;
  /** File receiving the server's own log. @default discarded */
  logFile?: string;
  /** How long to wait for the server to answer. @default 60_000 */
  startTimeoutMs?: number;
  /** Environment used to find the CLI. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Receives progress lines when the CLI has to be built first. @default stderr */
  log?: (line: string) => void;
}

/** A running dev server started by cordon. */
export interface DevServer {
  address: string;
  uiUrl: string | undefined;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Asks the OS for a free loopback port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForServer(address: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new OperationalError(
        `Temporal dev server exited with code ${child.exitCode} before it answered`,
        ErrorCode.TemporalStart,
      );
    }
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await conn.healthService.check({});
        // The default namespace is registered a moment after the front end answers.
        await conn.workflowService.describeNamespace({ namespace: 'default' });
        return;
      } finally {
        await conn.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new OperationalError(
    `Temporal dev server at ${address} did not answer within ${timeoutMs} ms`,
    ErrorCode.TemporalStart,
    {
      cause: lastError,
    },
  );
}

/**
 * Starts `temporal server start-dev` on loopback with cordon's search attributes, and waits until it answers.
 * The server is stopped by `stop()`; it also dies with this process.
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const cli = await ensureTemporalCli(options.env ?? process.env, log);
  const port = options.port ?? (await freePort());
  const ip = options.ip ?? '127.0.0.1';
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port), '--log-level', 'warn'];
  args.push('--metrics-port', String(await freePort()), '--http-port', String(await freePort()));
  for (const sa of SEARCH_ATTRIBUTE_FLAGS) args.push('--search-attribute', sa);
  if (options.uiPort === undefined || options.uiPort === false) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort));
  if (options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  if (options.dbFile) {
    mkdirSync(path.dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  const out = options.logFile ? openSync(options.logFile, 'a') : 'ignore';
  const child = spawn(cli, args, { stdio: ['ignore', out, out] });
  const host = ip.includes(':') ? `[${ip}]` : ip;
  const address = `${host}:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitForServer(address, child, options.startTimeoutMs ?? 60_000);
  } catch (err) {
    await stop();
    throw err;
  }
  const uiUrl = typeof options.uiPort === 'number' ? `http://${host}:${options.uiPort}` : undefined;
  return { address, uiUrl, process: child, stop };
}
