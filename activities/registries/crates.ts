import { indexPath, type CrateVersion, type CratesRegistry } from '../../lockfiles/registries';
import { notFoundFailure, registryGet, trimUrl } from './http';
import { onceEach } from './once-each';

export { indexPath, type CrateDep, type CrateVersion, type CratesRegistry } from '../../lockfiles/registries';

/** Options of `createCratesRegistry`. */
export interface CratesRegistryOptions {
  /** The sparse index. @default https://index.crates.io */
  indexUrl?: string;
  /** The web API that knows when each version was published. @default https://crates.io */
  apiUrl?: string;
  /** Sent as is in `Authorization`, the way Cargo sends a registry token. */
  token?: string;
  fetch?: typeof fetch;
}

/** crates.io asks every API client for a User-Agent that names it (https://crates.io/data-access). */
const USER_AGENT = 'cordon (incident response)';

interface IndexLine extends Omit<CrateVersion, 'created_at'> {
  features2?: Record<string, string[]>;
}

interface ApiVersions {
  versions?: Array<{ num: string; created_at?: string }>;
  meta?: { next_page?: string | null };
}

/**
 * A client for a Cargo registry: versions, dependencies and checksums from the sparse index, publish times from the
 * web API (the index has none, and the last good version must predate the exposure window). A crate missing from the
 * index is a non-retryable `CRATE_NOT_FOUND`; other registry errors are thrown as is, so the activity is retried. A
 * version the API does not list keeps `created_at` undefined.
 */
export function createCratesRegistry(options: CratesRegistryOptions = {}): CratesRegistry {
  const indexUrl = trimUrl(options.indexUrl ?? 'https://index.crates.io');
  const apiUrl = trimUrl(options.apiUrl ?? 'https://crates.io');
  const http = {
    fetch: options.fetch ?? fetch,
    headers: { 'user-agent': USER_AGENT, ...(options.token ? { authorization: options.token } : {}) },
  };

  const readIndex = async (name: string): Promise<CrateVersion[]> => {
    // Cargo reads 404, 410 and 451 from a sparse index as "no such crate".
    const res = await registryGet(http, `${indexUrl}/${indexPath(name)}`, `crate index ${indexUrl}: GET ${name}`, {
      missing: [404, 410, 451],
    });
    if (!res) throw notFoundFailure('crates', `${name} is not in the crate index at ${indexUrl}`);
    const versions: CrateVersion[] = [];
    for (const line of (await res.text()).split('\n')) {
      if (line.trim() === '') continue;
      const { features2, ...v } = JSON.parse(line) as IndexLine;
      versions.push({ ...v, features: { ...v.features, ...features2 } });
    }
    return versions;
  };

  /** Publish times by version; the API follows `meta.next_page` only when it paginates (it does not by default). */
  const readTimes = async (name: string): Promise<Map<string, string>> => {
    const times = new Map<string, string>();
    const base = `${apiUrl}/api/v1/crates/${encodeURIComponent(name)}/versions`;
    let query = '';
    for (;;) {
      const res = await registryGet(http, `${base}${query}`, `crates API ${apiUrl}: GET ${name} versions`, {
        accept: 'application/json',
      });
      if (!res) return times;
      const page = (await res.json()) as ApiVersions;
      for (const v of page.versions ?? []) if (v.created_at) times.set(v.num, v.created_at);
      const next = page.meta?.next_page;
      if (!next || next === query) return times;
      query = next;
    }
  };

  const load = async (name: string): Promise<CrateVersion[]> => {
    // The index first: a crate it does not have is not looked up in the API.
    const versions = await readIndex(name);
    const times = await readTimes(name);
    return versions.map((v) => {
      const created = times.get(v.vers);
      return created ? { ...v, created_at: created } : v;
    });
  };

  return {
    url: indexUrl,
    versions: onceEach(load),
  };
}
