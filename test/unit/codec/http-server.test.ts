// `cordon codec-server` over real HTTP, as the Temporal Web UI and CLI call it (temporalio/samples-go
// codec-server/protocol.md: POST …/encode and …/decode with Payloads as proto3 JSON; 400 on bad JSON or codec errors).
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmPayloadCodec } from '../../../codec/codec';
import { startCodecServer, type CodecServer } from '../../../codec/http-server';

const TOKEN = 'codec-test-token-0123456789';
const UI = 'http://localhost:8233';
const codec = new AesGcmPayloadCodec({ activeKeyId: 'k1', keys: { k1: randomBytes(32) } });

let server: CodecServer;
beforeAll(async () => {
  server = await startCodecServer({ codec, token: TOKEN, corsOrigin: UI, port: 0 });
});
afterAll(async () => server.close());

const b64 = (s: string): string => Buffer.from(s).toString('base64');

function post(path: string, body: unknown, headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` }) {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('codec server', () => {
  it('binds to loopback by default', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('decodes what it encoded, under any URL prefix (the last segment picks the operation)', async () => {
    const payload = defaultPayloadConverter.toPayload({ secret: 'hunter2' });
    const json = {
      payloads: [
        {
          metadata: { encoding: Buffer.from(payload.metadata!.encoding!).toString('base64') },
          data: Buffer.from(payload.data!).toString('base64'),
        },
      ],
    };
    const enc = await post('/default/encode', json);
    expect(enc.status).toBe(200);
    expect(enc.headers.get('content-type')).toBe('application/json');
    const encoded = (await enc.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
    expect(encoded.payloads[0]!.metadata).toEqual({
      encoding: b64('binary/encrypted'),
      'encryption-key-id': b64('k1'),
    });
    expect(Buffer.from(encoded.payloads[0]!.data, 'base64').includes('hunter2')).toBe(false);

    const dec = await post('/decode', encoded);
    expect(dec.status).toBe(200);
    expect(await dec.json()).toEqual(json);
  });

  it('answers 401 without a token and with a wrong one', async () => {
    const body = { payloads: [] };
    expect((await post('/decode', body, {})).status).toBe(401);
    const wrong = await post('/decode', body, { Authorization: `Bearer ${TOKEN}x` });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
    expect((await post('/decode', body, { Authorization: TOKEN })).status).toBe(401);
    expect((await post('/decode', body)).status).toBe(200);
  });

  it('answers the browser preflight for the configured UI origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/decode`, {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type,authorization,x-namespace',
        },
      });
    const ok = await preflight(UI);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(UI);
    expect(ok.headers.get('access-control-allow-headers')).toBe('Content-Type,Authorization,X-Namespace');
    expect(ok.headers.get('access-control-allow-methods')).toContain('POST');
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    const other = await preflight('http://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    // The real request from the UI carries the CORS header too, or the browser hides the answer.
    const r = await post('/decode', { payloads: [] }, { Authorization: `Bearer ${TOKEN}`, Origin: UI });
    expect(r.headers.get('access-control-allow-origin')).toBe(UI);
  });

  it('answers 400 with a clear message for a malformed body or a payload it cannot decrypt', async () => {
    const bad = async (body: unknown) => {
      const r = await post('/decode', body);
      return { status: r.status, error: ((await r.json()) as { error: string }).error };
    };
    expect(await bad('{not json')).toEqual({ status: 400, error: expect.stringMatching(/^request body is not JSON/) });
    expect(await bad({ payload: [] })).toEqual({
      status: 400,
      error: expect.stringMatching(/^request body: payloads: /),
    });
    expect(await bad({ payloads: [{ data: '***' }] })).toEqual({
      status: 400,
      error: 'request body: payloads.0.data: must be base64',
    });
    const foreign = await new AesGcmPayloadCodec({ activeKeyId: 'k2', keys: { k2: randomBytes(32) } }).encode([
      defaultPayloadConverter.toPayload('x'),
    ]);
    const json = {
      payloads: foreign.map((p) => ({
        metadata: Object.fromEntries(
          Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')]),
        ),
        data: Buffer.from(p.data!).toString('base64'),
      })),
    };
    expect(await bad(json)).toEqual({ status: 400, error: expect.stringMatching(/^cannot decode: .*key "k2"/) });
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    expect((await post('/metrics', {})).status).toBe(404);
    expect((await fetch(`${server.url}/decode`)).status).toBe(405);
  });
});

describe('codec server access for the Web UI', () => {
  const empty = { payloads: [] };
  const call = (url: string, headers: Record<string, string>) =>
    fetch(`${url}/decode`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', ...headers },
      body: JSON.stringify(empty),
    });

  it("accepts each user's own token (what the UI forwards with `Pass access token`), and no other", async () => {
    const tokens = { alice: 'alice-token-0123456789', bob: 'bob-token-0123456789ab' };
    const s = await startCodecServer({ codec, tokens, corsOrigin: UI, port: 0 });
    try {
      expect((await call(s.url, { Authorization: `Bearer ${tokens.alice}`, Origin: UI })).status).toBe(200);
      expect((await call(s.url, { Authorization: `Bearer ${tokens.bob}` })).status).toBe(200);
      expect((await call(s.url, { Authorization: 'Bearer carol-token-0123456789' })).status).toBe(401);
      // Without trustUiOrigin the UI's origin alone is not enough.
      expect((await call(s.url, { Origin: UI })).status).toBe(401);
    } finally {
      await s.close();
    }
  });

  it('on loopback, answers the trusted UI origin without a token, with CORS, and nobody else', async () => {
    const origins = ['http://127.0.0.1:18233', 'http://localhost:18233'];
    const s = await startCodecServer({ codec, corsOrigin: origins, trustUiOrigin: true, port: 0 });
    try {
      const ok = await call(s.url, { Origin: 'http://localhost:18233' });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:18233');
      const other = await call(s.url, { Origin: 'http://evil.example' });
      expect(other.status).toBe(401);
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      expect((await call(s.url, {})).status).toBe(401);
      // The browser's preflight for the UI's POST (Content-Type and X-Namespace are not CORS-safelisted).
      const pre = await fetch(`${s.url}/decode`, {
        method: 'OPTIONS',
        headers: {
          Origin: origins[0]!,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type,x-namespace',
        },
      });
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBe(origins[0]);
      expect(pre.headers.get('access-control-allow-headers')).toContain('X-Namespace');
    } finally {
      await s.close();
    }
  });

  it('refuses to trust a UI origin off loopback, and to start with nobody it could authorise', async () => {
    await expect(
      startCodecServer({ codec, corsOrigin: UI, trustUiOrigin: true, host: '0.0.0.0', port: 0 }),
    ).rejects.toThrow(/only on loopback/);
    await expect(startCodecServer({ codec, corsOrigin: UI, port: 0 })).rejects.toThrow(/needs a token/);
  });
});
