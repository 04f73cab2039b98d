import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Packument } from './protocol';
import { MASTRA_EXPOSURE, type ExposedPackage } from '../github/generate';
import { seededPackuments } from './packuments';
import { packTarball } from './tarball';

/** A running sandbox npm registry. */
export interface NpmRegistrySandbox {
  /** Base URL, e.g. `http://127.0.0.1:41235`: give it to cordon as `NPM_REGISTRY_URL`. */
  url: string;
  /** Package documents served, by name; tests may add or change them. */
  packuments: Map<string, Packument>;
  /** Package names asked for, in order. */
  requests: string[];
  stop(): Promise<void>;
}

/** `name/-/base-1.2.3.tgz` → the tarball of that version, built from its document (see `packTarball`). */
function tarballOf(packuments: Map<string, Packument>, path: string): Buffer | undefined {
  const [name, file] = path.split('/-/') as [string, string];
  const base = name.replace(/^@[^/]+\//, '');
  if (!file.startsWith(`${base}-`) || !file.endsWith('.tgz')) return undefined;
  const v = packuments.get(name)?.versions[file.slice(base.length + 1, -'.tgz'.length)];
  return v ? packTarball(v) : undefined;
}

/**
 * Serves package documents the way the npm registry does (`GET /{name}`, scoped names as `@scope%2fname` or
 * `@scope/name`, 404 `{"error":"Not found"}`) and their tarballs (`GET /{name}/-/{base}-{version}.tgz`), for the packages the org generator seeds: pin pull requests in drills
 * and tests resolve their last good versions here instead of on registry.npmjs.org.
 */
export async function startNpmRegistrySandbox(
  options: { exposure?: ExposedPackage[]; packuments?: Map<string, Packument> } = {},
): Promise<NpmRegistrySandbox> {
  const requests: string[] = [];
  let packuments = options.packuments ?? new Map<string, Packument>();
  const server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').split('?')[0]!.slice(1));
    requests.push(name);
    if (name.includes('/-/')) {
      const gz = req.method === 'GET' ? tarballOf(packuments, name) : undefined;
      res.writeHead(gz ? 200 : 404, { 'content-type': gz ? 'application/octet-stream' : 'application/json' });
      res.end(gz ?? JSON.stringify({ error: 'Not found' }));
      return;
    }
    const doc = req.method === 'GET' ? packuments.get(name) : undefined;
    res.writeHead(doc ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(doc ?? { error: 'Not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (!options.packuments) packuments = seededPackuments(url, options.exposure ?? MASTRA_EXPOSURE);
  return {
    url,
    packuments,
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
