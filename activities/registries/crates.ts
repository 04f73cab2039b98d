import { ApplicationFailure } from '@temporalio/common';
import { onceEach } from './once-each';
import { FailureType } from '../../domain/failures';

/** One dependency of a crate version as the registry index lists it. */
export interface CrateDep {
  /** The name the dependent uses for it: the crate's name, or its rename when `package` is set. */
  name: string;
  /** A Cargo version requirement (`^1.2`, `>=0.3, <0.5`, `=1.0.0`, `*`). */
  req: string;
  features: string[];
  optional: boolean;
  default_features: boolean;
  /** A `cfg(…)` expression or target triple the dependency is limited to; `null` on every target. */
  target: string | null;
  /** `null` is a normal dependency, as older index entries write it. */
  kind: 'normal' | 'dev' | 'build' | null;
  /** The crate's real name, when `name` is a rename. */
  package?: string;
}

/** One published version of a crate: its line of the registry index, and when it was published. */
export interface CrateVersion {
  name: string;
  vers: string;
  deps: CrateDep[];
  /** sha256 of the `.crate` file, hex: what Cargo.lock records as `checksum`. */
  cksum: string;
  /** Features, with the index's `features2` (the `dep:` and `?` syntax) merged in. */
  features: Record<string, string[]>;
  yanked: boolean;
  /** from the web API */
  created_at?: string;
}

/** Reads crate versions from a Cargo registry, each crate at most once per client. */
export interface CratesRegistry {
  /** The index URL, e.g. `https://index.crates.io`. */
  readonly url: string;
  /** Every version of a crate, in index order (oldest first). */
  versions(name: string): Promise<CrateVersion[]>;
}

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

/**
 * A crate's file in a sparse index: `1/a`, `2/ab`, `3/a/abc`, else `ab/cd/abcd…`, all lowercased
 * (https://doc.rust-lang.org/cargo/reference/registry-index.html#index-files).
 */
export function indexPath(name: string): string {
  const lower = name.toLowerCase();
  if (lower.length <= 2) return `${lower.length}/${lower}`;
  if (lower.length === 3) return `3/${lower[0]}/${lower}`;
  return `${lower.slice(0, 2)}/${lower.slice(2, 4)}/${lower}`;
}

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
  const indexUrl = (options.indexUrl ?? 'https://index.crates.io').replace(/\/+$/, '');
  const apiUrl = (options.apiUrl ?? 'https://crates.io').replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const headers = {
    'user-agent': USER_AGENT,
    ...(options.token ? { authorization: options.token } : {}),
  };

  const readIndex = async (name: string): Promise<CrateVersion[]> => {
    const res = await doFetch(`${indexUrl}/${indexPath(name)}`, { headers });
    // Cargo reads 404, 410 and 451 from a sparse index as "no such crate".
    if (res.status === 404 || res.status === 410 || res.status === 451) {
      throw ApplicationFailure.create({
        type: FailureType.CrateNotFound,
        message: `${name} is not in the crate index at ${indexUrl}`,
        nonRetryable: true,
      });
    }
    if (!res.ok) throw new Error(`crate index ${indexUrl}: GET ${name} answered ${res.status}`);
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
      const res = await doFetch(`${base}${query}`, { headers: { ...headers, accept: 'application/json' } });
      if (res.status === 404) return times;
      if (!res.ok) throw new Error(`crates API ${apiUrl}: GET ${name} versions answered ${res.status}`);
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
