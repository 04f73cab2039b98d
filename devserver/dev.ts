import path from 'node:path';
import { AesGcmPayloadCodec } from '../codec/codec';
import { startCodecServer, type CodecServer } from '../codec/http-server';
import type { CodecConfig } from '../config/codec';
import { loadConfig } from '../config/config';
import { runWorker } from '../worker/main';
import { startDevServer } from './dev-server';

/** Where `runLocalWorker` runs, and how it tells the user. */
export interface LocalWorkerOptions {
  env: NodeJS.ProcessEnv;
  /** Where relative configured paths (state directory, playbooks) resolve. */
  cwd: string;
  /**
   * Start a Temporal dev server first (SQLite file and log under the state directory) and stop it afterwards; without
   * it the worker polls the configured Temporal server.
   */
  devServer?: { ip: string; port: number; uiPort: number };
  /** Lines for the person at the terminal (where the server and its UI listen). */
  tell(line: string): void;
}

/**
 * Runs a cordon worker in this process until SIGINT/SIGTERM (in-flight work finishes first): `cordon worker`, or with
 * `devServer` the persistent local stack of `cordon dev`, whose incidents survive restarts.
 */
export async function runLocalWorker(options: LocalWorkerOptions): Promise<void> {
  if (!options.devServer) return runWorker(options.env, options.cwd);
  const { ip, port, uiPort } = options.devServer;
  const host = ip.includes(':') ? `[${ip}]` : ip;
  const env = { ...options.env, TEMPORAL_ADDRESS: `${host}:${port}` };
  const config = loadConfig(env, options.cwd);
  const codec = config.codec && LOOPBACK.test(ip) ? await startUiCodecServer(config.codec, host, uiPort) : undefined;
  try {
    const server = await startDevServer({
      ip,
      port,
      uiPort,
      dbFile: path.join(config.stateDir, 'temporal.sqlite'),
      logFile: path.join(config.stateDir, 'temporal.log'),
      env: options.env,
      ...(codec ? { uiCodecEndpoint: codec.url } : {}),
    });
    options.tell(`cordon dev: Temporal at ${server.address}, Web UI at ${server.uiUrl}, state in ${config.stateDir}`);
    if (codec) options.tell(`cordon dev: the Web UI decodes payloads with the codec server at ${codec.url}`);
    options.tell(`cordon dev: in another shell: TEMPORAL_ADDRESS=${server.address} npm run -s cordon -- declare …`);
    try {
      // The same worker as `cordon worker`: with SLACK_BOT_TOKEN and SLACK_INCIDENT_CHANNEL set, notices go to Slack.
      await runWorker(env, options.cwd);
    } finally {
      await server.stop();
    }
  } finally {
    await codec?.close();
  }
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1)$/;

/**
 * A codec server for the dev server's own Web UI, on loopback and a free port, answering that UI's origin without a
 * token: the UI of `temporal server start-dev` has no login, so it has no token to send (see codec/http-server.ts
 * for why a trusted origin on loopback is enough). Both names of the UI's host are allowed.
 */
async function startUiCodecServer(keys: CodecConfig, host: string, uiPort: number): Promise<CodecServer> {
  const origins = [`http://${host}:${uiPort}`, `http://localhost:${uiPort}`];
  return startCodecServer({ codec: new AesGcmPayloadCodec(keys), port: 0, corsOrigin: origins, trustUiOrigin: true });
}
