import { normalizePyPiName, type PyPiProject, type PyPiRegistry, type PyPiRelease } from '../../lockfiles/registries';
import { bearer, notFoundFailure, registryGet, trimUrl } from './http';
import { onceEach } from './once-each';

export {
  normalizePyPiName,
  type PyPiFile,
  type PyPiProject,
  type PyPiRegistry,
  type PyPiRelease,
} from '../../lockfiles/registries';

/** Options of `createPyPiRegistry`. */
export interface PyPiRegistryOptions {
  /** @default https://pypi.org */
  url?: string;
  /** Bearer token for a private index that asks for one. */
  token?: string;
  fetch?: typeof fetch;
}

/**
 * A client for PyPI's JSON API. It reads the project document (every release's files, hashes and upload times:
 * what choosing the last good version and writing `--hash` lines need) and a release's own document (its
 * `requires_dist`). A missing project or release is a non-retryable `PYPI_PACKAGE_NOT_FOUND`; any other error is
 * thrown as is, so the activity is retried.
 */
export function createPyPiRegistry(options: PyPiRegistryOptions = {}): PyPiRegistry {
  const url = trimUrl(options.url ?? 'https://pypi.org');
  const http = { fetch: options.fetch ?? fetch, headers: { accept: 'application/json', ...bearer(options.token) } };
  const get = async <T>(path: string, what: string): Promise<T> => {
    const res = await registryGet(http, `${url}${path}`, `package index ${url}: GET ${path}`);
    if (!res) throw notFoundFailure('pypi', `${what} is not on the package index at ${url}`);
    return (await res.json()) as T;
  };
  const project = onceEach(async (key) => {
    const doc = await get<PyPiProject>(`/pypi/${key}/json`, key);
    if (!doc?.releases) throw new Error(`package index ${url}: ${key}: no releases`);
    return doc;
  });
  const release = onceEach((key) => {
    const [name, version] = key.split(' ') as [string, string];
    return get<PyPiRelease>(`/pypi/${name}/${encodeURIComponent(version)}/json`, key);
  });
  return {
    url,
    project: (name) => project(normalizePyPiName(name)),
    release: (name, version) => release(`${normalizePyPiName(name)} ${version}`),
  };
}
