import { ApplicationFailure } from '@temporalio/common';
import { onceEach } from './once-each';
import { FailureType } from '../../domain/failures';

/** One file of a release, as PyPI's JSON API lists it (https://docs.pypi.org/api/json/). */
export interface PyPiFile {
  filename: string;
  url: string;
  packagetype: 'bdist_wheel' | 'sdist' | string;
  digests: { sha256: string; md5?: string };
  /** The file's length in bytes (what uv.lock records as `size`). */
  size?: number;
  upload_time_iso_8601: string;
  requires_python?: string | null;
  yanked: boolean;
  yanked_reason?: string | null;
}

/** A project's document (`GET {url}/pypi/{name}/json`): every release's files. */
export interface PyPiProject {
  info: { name: string; version: string };
  releases: Record<string, PyPiFile[]>;
}

/** One release's own document (`GET {url}/pypi/{name}/{version}/json`): what it depends on. */
export interface PyPiRelease {
  info: { name: string; version: string; requires_dist?: string[] | null; yanked?: boolean };
  urls: PyPiFile[];
}

/** Reads project and release documents from PyPI (or a mirror serving its JSON API), each at most once per client. */
export interface PyPiRegistry {
  /** The index's base URL, e.g. `https://pypi.org`. */
  readonly url: string;
  project(name: string): Promise<PyPiProject>;
  release(name: string, version: string): Promise<PyPiRelease>;
}

/** Options of `createPyPiRegistry`. */
export interface PyPiRegistryOptions {
  /** @default https://pypi.org */
  url?: string;
  /** Bearer token for a private index that asks for one. */
  token?: string;
  fetch?: typeof fetch;
}

/** The PEP 503 normalized name: lower case, runs of `-`, `_` and `.` as one `-`. */
export function normalizePyPiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * A client for PyPI's JSON API. It reads the project document (every release's files, hashes and upload times:
 * what choosing the last good version and writing `--hash` lines need) and a release's own document (its
 * `requires_dist`). A missing project or release is a non-retryable `PYPI_PACKAGE_NOT_FOUND`; any other error is
 * thrown as is, so the activity is retried.
 */
export function createPyPiRegistry(options: PyPiRegistryOptions = {}): PyPiRegistry {
  const url = (options.url ?? 'https://pypi.org').replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const get = async <T>(path: string, what: string): Promise<T> => {
    const res = await doFetch(`${url}${path}`, {
      headers: {
        accept: 'application/json',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
    });
    if (res.status === 404) {
      throw ApplicationFailure.create({
        type: FailureType.PypiPackageNotFound,
        message: `${what} is not on the package index at ${url}`,
        nonRetryable: true,
      });
    }
    if (!res.ok) throw new Error(`package index ${url}: GET ${path} answered ${res.status}`);
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
