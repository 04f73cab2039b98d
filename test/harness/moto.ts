// moto's IAM server for tests: one per test file on a free loopback port, reset between tests, stopped after.
import type { IAMClient } from '@aws-sdk/client-iam';
import { createIamClient } from '../../activities/aws';
import { findTool, toolDir } from '../../devserver/tools';
import { startMotoServer, type MotoServer } from '../../sandbox/aws/moto';

/** Credentials moto accepts (it does not check signatures); never a real key. */
export const MOTO_CREDENTIALS = { accessKeyId: 'AKIAMOTOTESTADMIN000', secretAccessKey: 'moto-test-admin-secret' };

export interface MotoHandle {
  /** The server's endpoint URL. */
  url(): string;
  /** An IAM client for moto, with the test admin credentials or the given ones. */
  iam(credentials?: { accessKeyId: string; secretAccessKey: string }): IAMClient;
  server(): MotoServer;
}

/**
 * Starts moto before the file's tests and resets it before each one. Fails with the install command when the venv
 * is missing (`npm run -s moto:ensure`; npm test and Jest's global setup provision it first).
 */
/** moto's server from the tool cache (npm test provisions it), or a failure saying how to get it. */
function requireMotoServer(): string {
  const bin = findTool('moto');
  if (!bin)
    throw new Error(
      `moto_server not found in ${toolDir('moto')} nor in $MOTO_SERVER: run \`npm run -s moto:ensure\` (npm test provisions it)`,
    );
  return bin;
}

export function useMoto(): MotoHandle {
  let moto: MotoServer | undefined;
  beforeAll(async () => {
    moto = await startMotoServer(requireMotoServer());
  }, 60_000);
  beforeEach(async () => {
    await moto?.reset();
  });
  afterAll(async () => {
    await moto?.stop();
  });
  const get = (): MotoServer => {
    if (!moto) throw new Error('moto is not running (beforeAll failed)');
    return moto;
  };
  return {
    url: () => get().url,
    iam: (credentials = MOTO_CREDENTIALS) => createIamClient({ endpoint: get().url, credentials, maxAttempts: 6 }),
    server: get,
  };
}

/** A proxy in front of moto that answers some requests as AWS does when throttling. */
export interface ThrottlingProxy {
  url: string;
  /** Requests answered `400 Throttling` so far. */
  readonly throttled: number;
  stop(): Promise<void>;
}

/**
 * Forwards every request to `target` except each `every`-th, answered `400 Throttling: Rate exceeded` in the IAM
 * Query protocol's error shape; the SDK's standard retry mode backs off and retries those
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
 */
export async function startThrottlingProxy(target: string, every = 3): Promise<ThrottlingProxy> {
  const { createServer } = await import('node:http');
  let seen = 0;
  let throttled = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen++;
      if (seen % every === 0) {
        throttled++;
        res.writeHead(400, { 'content-type': 'text/xml' });
        res.end(
          '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>' +
            '<RequestId>cordon-test-throttle</RequestId></ErrorResponse>',
        );
        return;
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(
          ([k, v]) =>
            typeof v === 'string' && !['host', 'connection', 'content-length', 'transfer-encoding'].includes(k),
        ),
      ) as Record<string, string>;
      fetch(`${target}${req.url ?? '/'}`, { method: req.method ?? 'POST', headers, body: Buffer.concat(chunks) })
        .then(async (r) => {
          const body = Buffer.from(await r.arrayBuffer());
          res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'text/xml' });
          res.end(body);
        })
        .catch((err: Error) => {
          res.writeHead(502);
          res.end(err.message);
        });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    get throttled() {
      return throttled;
    },
    stop: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
