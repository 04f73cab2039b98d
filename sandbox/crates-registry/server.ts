import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { indexFileFor } from './protocol';
import { packCrate, seededCrates, type SandboxCrateVersion } from './crate';

/** A running sandbox Cargo registry. */
export interface CratesRegistrySandbox {
  /** Base URL of the web API and downloads, e.g. `http://127.0.0.1:41235`. */
  url: string;
  /** The sparse index, `<url>/index`: Cargo reads it as `sparse+<indexUrl>/`. */
  indexUrl: string;
  /** Versions served, by crate name; tests may add or change them. */
  crates: Map<string, SandboxCrateVersion[]>;
  /** Request paths, in order. */
  requests: string[];
  stop(): Promise<void>;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

/** The index line of a version: what crates.io's index holds, without the web API's publish time. */
function indexLine({ created_at: _created, ...v }: SandboxCrateVersion): string {
  return JSON.stringify({ ...v, v: 2 });
}

/**
 * Serves crates the way crates.io does, for Cargo and for cordon's registry client: the sparse index
 * (`/index/config.json`, `/index/<prefix>/<name>`), `.crate` downloads (`/api/v1/crates/<name>/<vers>/download`) and
 * the web API's version list with publish times (`/api/v1/crates/<name>/versions`). Unknown crates are 404.
 */
export async function startCratesRegistrySandbox(
  options: { crates?: Map<string, SandboxCrateVersion[]> } = {},
): Promise<CratesRegistrySandbox> {
  const requests: string[] = [];
  const crates = options.crates ?? seededCrates();
  const find = (name: string): SandboxCrateVersion[] | undefined => {
    const key = [...crates.keys()].find((k) => k.toLowerCase() === name.toLowerCase());
    return key === undefined ? undefined : crates.get(key);
  };
  let url = '';
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    requests.push(path);
    const notFound = () => send(res, 404, 'application/json', JSON.stringify({ errors: [{ detail: 'Not Found' }] }));
    if (req.method !== 'GET') return notFound();
    if (path === '/index/config.json')
      return send(res, 200, 'application/json', JSON.stringify({ dl: `${url}/api/v1/crates`, api: url }));
    if (path.startsWith('/index/')) {
      const name = path.slice(path.lastIndexOf('/') + 1);
      const versions = find(name);
      if (!versions || path !== `/index/${indexFileFor(name)}`) return notFound();
      return send(res, 200, 'text/plain', versions.map((v) => `${indexLine(v)}\n`).join(''));
    }
    const api = /^\/api\/v1\/crates\/([^/]+)\/(?:([^/]+)\/download|(versions))$/.exec(path);
    const versions = api ? find(api[1]!) : undefined;
    if (!api || !versions) return notFound();
    if (api[3]) {
      const list = [...versions]
        .reverse()
        .map((v) => ({ crate: v.name, num: v.vers, created_at: v.created_at, yanked: v.yanked }));
      return send(res, 200, 'application/json', JSON.stringify({ versions: list, meta: { total: list.length } }));
    }
    const v = versions.find((x) => x.vers === api[2]);
    return v ? send(res, 200, 'application/gzip', packCrate(v)) : notFound();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    indexUrl: `${url}/index`,
    crates,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
