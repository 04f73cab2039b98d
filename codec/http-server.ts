// The Temporal codec server protocol (temporalio/samples-go codec-server/protocol.md): POST …/encode and POST …/decode
// take and return Payloads as proto3 JSON, `{"payloads":[{"metadata":{"k":"<base64>"},"data":"<base64>"}]}`; only the
// URL's last segment selects the operation; bad JSON or a codec error is a 400. The Web UI calls it from the browser,
// hence CORS with the X-Namespace header it sends.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';

/** How a codec server listens and whom it answers. */
export interface CodecServerOptions {
  codec: PayloadCodec;
  /** Callers must send `Authorization: Bearer <token>`. */
  token: string;
  /** The Web UI origin allowed to call from a browser (e.g. `http://localhost:8233`). @default none: no CORS */
  corsOrigin?: string;
  /** @default '127.0.0.1' (the keys decrypt every incident: do not expose them by accident) */
  host?: string;
  /** @default 8081; 0 picks a free port */
  port?: number;
  /** Largest request body accepted. @default 16 MiB */
  maxBodyBytes?: number;
}

/** A running codec server. */
export interface CodecServer {
  url: string;
  close(): Promise<void>;
}

// proto3 JSON writes bytes as standard or URL-safe base64, padded or not.
const Base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');
const Body = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), Base64).nullish(), data: Base64.nullish() }).strict()),
});

const ALLOWED_HEADERS = 'Content-Type,Authorization,X-Namespace';

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

function fromJson(p: z.infer<typeof Body>['payloads'][number]): Payload {
  const metadata = Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
  return { metadata, data: Buffer.from(p.data ?? '', 'base64') };
}

function toJson(p: Payload): { metadata: Record<string, string>; data: string } {
  const metadata = Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, b64(v ?? new Uint8Array())]),
  );
  return { metadata, data: b64(p.data ?? new Uint8Array()) };
}

/** Constant-time check of the bearer token (hashing first makes the compared lengths equal). */
function authorized(header: string | undefined, token: string): boolean {
  const m = /^Bearer (.+)$/.exec(header ?? '');
  return !!m && timingSafeEqual(digest(m[1]!), digest(token));
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, `request body is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function parsePayloads(req: IncomingMessage, limit: number): Promise<Payload[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readBody(req, limit));
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError(400, 'request body is not JSON (expected {"payloads":[{"metadata":{…},"data":"…"}]})');
  }
  const parsed = Body.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new HttpError(400, `request body: ${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  }
  return parsed.data.payloads.map(fromJson);
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse, o: CodecServerOptions): Promise<void> {
  if (o.corsOrigin && req.headers.origin === o.corsOrigin) {
    res.setHeader('Access-Control-Allow-Origin', o.corsOrigin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Vary', 'Origin');
  }
  // Browsers send the preflight without credentials, so it is answered before the auth check.
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', '600');
    return send(res, 204);
  }
  const op = new URL(req.url ?? '/', 'http://codec').pathname.split('/').at(-1);
  if (op !== 'encode' && op !== 'decode') return send(res, 404, { error: 'not found: POST …/encode or …/decode' });
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST, OPTIONS');
    return send(res, 405, { error: `use POST for /${op}` });
  }
  if (!authorized(req.headers.authorization, o.token)) {
    res.setHeader('WWW-Authenticate', 'Bearer');
    return send(res, 401, { error: 'missing or wrong bearer token' });
  }
  const payloads = await parsePayloads(req, o.maxBodyBytes ?? 16 * 1024 * 1024);
  let out: Payload[];
  try {
    out = op === 'encode' ? await o.codec.encode(payloads) : await o.codec.decode(payloads);
  } catch (err) {
    throw new HttpError(400, `cannot ${op}: ${(err as Error).message}`);
  }
  return send(res, 200, { payloads: out.map(toJson) });
}

/** Starts a codec server for the Temporal Web UI and CLI; resolves once it listens. */
export async function startCodecServer(options: CodecServerOptions): Promise<CodecServer> {
  const server = createServer((req, res) => {
    handle(req, res, options).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      if (!res.headersSent) send(res, status, { error: status === 500 ? 'internal error' : (err as Error).message });
      else res.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8081, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
