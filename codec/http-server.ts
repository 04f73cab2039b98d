// The Temporal codec server protocol (temporalio/samples-go codec-server/protocol.md): POST …/encode and POST …/decode
// take and return Payloads as proto3 JSON, `{"payloads":[{"metadata":{"k":"<base64>"},"data":"<base64>"}]}`; only the
// URL's last segment selects the operation; bad JSON or a codec error is a 400. The Web UI calls it from the browser,
// hence CORS with the X-Namespace header it sends (and Authorization when its `Pass access token` setting is on).
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { ErrorCode, UserError } from '../config/errors';

/** How a codec server listens and whom it answers. */
export interface CodecServerOptions {
  codec: PayloadCodec;
  /** A shared token callers send as `Authorization: Bearer <token>` (the Temporal CLI, auditors). @default none */
  token?: string;
  /**
   * Per-user tokens, name → token: what the Web UI sends with its `Pass access token` setting, or each auditor's own
   * token, so one can be revoked without the others. @default none
   */
  tokens?: Record<string, string>;
  /** The Web UI origins allowed to call from a browser (e.g. `http://127.0.0.1:8233`). @default none: no CORS */
  corsOrigin?: string | string[];
  /**
   * Accept requests from a `corsOrigin` without a token: only for a loopback-only dev setup (the dev server's UI
   * cannot send a token unless it has a login). Refused unless `host` is a loopback address. @default false
   */
  trustUiOrigin?: boolean;
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

/** Constant-time check of the bearer token against each accepted one (hashing first makes the lengths equal). */
function authorized(header: string | undefined, tokens: string[]): boolean {
  const m = /^Bearer (.+)$/.exec(header ?? '');
  if (!m) return false;
  const given = digest(m[1]!);
  // Every token is compared, so the time taken does not say which one matched.
  return tokens.reduce((ok, t) => timingSafeEqual(given, digest(t)) || ok, false);
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

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

interface Access {
  origins: string[];
  tokens: string[];
  trustUiOrigin: boolean;
}

async function handle(req: IncomingMessage, res: ServerResponse, o: CodecServerOptions, a: Access): Promise<void> {
  const origin = req.headers.origin;
  const fromUi = origin !== undefined && a.origins.includes(origin);
  if (fromUi) {
    res.setHeader('Access-Control-Allow-Origin', origin);
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
  // A trusted UI origin stands in for a token only on loopback (checked at start): a web page cannot forge the
  // Origin header a browser sends, so only the UI's own pages get this far from a browser; any other local process
  // that forges it already runs on the machine whose environment holds the key. On a shared host, use tokens.
  if (!(a.trustUiOrigin && fromUi) && !authorized(req.headers.authorization, a.tokens)) {
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

/**
 * Starts a codec server for the Temporal Web UI and CLI; resolves once it listens.
 * @throws Error when nobody could be authorised (no token and no trusted UI origin), or a UI origin is trusted on a
 * host that is not loopback.
 */
export async function startCodecServer(options: CodecServerOptions): Promise<CodecServer> {
  const host = options.host ?? '127.0.0.1';
  const access: Access = {
    origins: [options.corsOrigin ?? []].flat(),
    tokens: [...(options.token ? [options.token] : []), ...Object.values(options.tokens ?? {})],
    trustUiOrigin: options.trustUiOrigin ?? false,
  };
  if (access.trustUiOrigin && (!LOOPBACK.test(host) || access.origins.length === 0))
    throw new UserError(
      `a UI origin may stand in for a token only on loopback, with a CORS origin (host ${host})`,
      ErrorCode.Usage,
    );
  if (!access.trustUiOrigin && access.tokens.length === 0)
    throw new UserError(
      'a codec server needs a token, per-user tokens, or a trusted UI origin on loopback',
      ErrorCode.Usage,
    );
  const server = createServer((req, res) => {
    handle(req, res, options, access).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      if (!res.headersSent) send(res, status, { error: status === 500 ? 'internal error' : (err as Error).message });
      else res.destroy();
    });
  });
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
