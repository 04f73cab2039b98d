import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { canonicalProjectName } from './protocol';
import { fileOf, projectDocument, SEEDED_PROJECTS, wheelBytes, wheelOf, type SandboxProject } from './projects';

/** A running sandbox package index. */
export interface PyPiSandbox {
  /** Base URL, e.g. `http://127.0.0.1:41236`: give it to cordon as `PYPI_URL`, and to pip as `{url}/simple/`. */
  url: string;
  /** Projects served, by normalized name; tests may add or change them. */
  projects: Map<string, SandboxProject>;
  /** Paths asked for, in order. */
  requests: string[];
  stop(): Promise<void>;
}

const escape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Serves what pip and cordon read from PyPI: the simple repository API (PEP 503 HTML, with `#sha256=` fragments,
 * `data-requires-python` and `data-yanked`), the JSON API (`/pypi/{name}/json`, `/pypi/{name}/{version}/json`) and
 * the wheels themselves (`/packages/{file}`, real zips; see `buildWheel`). Names are matched normalized (PEP 503).
 */
export async function startPyPiSandbox(options: { projects?: SandboxProject[] } = {}): Promise<PyPiSandbox> {
  const requests: string[] = [];
  const projects = new Map<string, SandboxProject>(
    (options.projects ?? SEEDED_PROJECTS).map((p) => [canonicalProjectName(p.name), p]),
  );
  let url = '';
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    requests.push(path);
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return json(405, { message: 'Method Not Allowed' });
    let m: RegExpExecArray | null;
    if ((m = /^\/simple\/([^/]+)\/?$/.exec(path))) {
      const p = projects.get(canonicalProjectName(m[1]!));
      if (!p) return json(404, { message: 'Not Found' });
      const links = p.releases.map((r) => {
        const f = fileOf(url, p.name, r);
        const attrs = [
          `href="${escape(f.url)}#sha256=${f.digests.sha256}"`,
          ...(f.requires_python ? [`data-requires-python="${escape(f.requires_python)}"`] : []),
          ...(r.yanked !== undefined ? [`data-yanked="${escape(r.yanked)}"`] : []),
        ];
        return `    <a ${attrs.join(' ')}>${escape(f.filename)}</a><br />`;
      });
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        `<!DOCTYPE html>\n<html>\n  <head><meta name="pypi:repository-version" content="1.0"><title>Links for ${escape(p.name)}</title></head>\n  <body>\n    <h1>Links for ${escape(p.name)}</h1>\n${links.join('\n')}\n  </body>\n</html>\n`,
      );
      return;
    }
    if ((m = /^\/pypi\/([^/]+)\/json$/.exec(path))) {
      const p = projects.get(canonicalProjectName(m[1]!));
      return p ? json(200, projectDocument(url, p)) : json(404, { message: 'Not Found' });
    }
    if ((m = /^\/pypi\/([^/]+)\/([^/]+)\/json$/.exec(path))) {
      const p = projects.get(canonicalProjectName(m[1]!));
      const r = p?.releases.find((x) => x.version === m![2]);
      if (!p || !r) return json(404, { message: 'Not Found' });
      const w = wheelOf(p.name, r);
      return json(200, {
        info: {
          name: p.name,
          version: r.version,
          requires_dist: w.requiresDist ?? null,
          requires_python: w.requiresPython ?? null,
          yanked: r.yanked !== undefined,
        },
        urls: [fileOf(url, p.name, r)],
      });
    }
    if ((m = /^\/packages\/([^/]+\.whl)$/.exec(path))) {
      const bytes = wheelBytes(projects.values(), m[1]!);
      if (!bytes) return json(404, { message: 'Not Found' });
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
      res.end(bytes);
      return;
    }
    json(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    projects,
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
