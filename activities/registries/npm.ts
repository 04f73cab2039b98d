import { ApplicationFailure } from '@temporalio/common';
import { onceEach } from './once-each';
import { FailureType } from '../../domain/failures';

/** One published version as the npm registry's packument lists it: what a lockfile entry is written from. */
export interface PackumentVersion {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  engines?: Record<string, string>;
  os?: string[];
  cpu?: string[];
  bin?: Record<string, string> | string;
  license?: string;
  deprecated?: string;
  hasInstallScript?: boolean;
  dist: { tarball: string; integrity?: string; shasum?: string };
}

/** A package document (`GET {registry}/{name}`): every version, and when each was published. */
export interface Packument {
  name: string;
  'dist-tags'?: Record<string, string>;
  versions: Record<string, PackumentVersion>;
  time?: Record<string, string>;
}

/** Reads package documents from an npm registry, each at most once per client. */
export interface NpmRegistry {
  /** The registry's base URL, e.g. `https://registry.npmjs.org`. */
  readonly url: string;
  packument(name: string): Promise<Packument>;
}

/** Options of `createNpmRegistry`. */
export interface NpmRegistryOptions {
  /** @default https://registry.npmjs.org */
  url?: string;
  /** Bearer token for a private registry. */
  token?: string;
  fetch?: typeof fetch;
}

/** The registry URL path of a package: a scoped name keeps its `@` and encodes its `/` (`@scope%2fname`). */
export function packumentPath(name: string): string {
  return name.startsWith('@') ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name);
}

/**
 * A client for the npm registry's package documents. It asks for the full document (not the abbreviated install
 * one) because choosing the last good version needs each version's publish time. A missing package is a
 * non-retryable `NPM_PACKAGE_NOT_FOUND`; a registry error is thrown as is, so the activity is retried.
 */
export function createNpmRegistry(options: NpmRegistryOptions = {}): NpmRegistry {
  const url = (options.url ?? 'https://registry.npmjs.org').replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const load = async (name: string): Promise<Packument> => {
    const res = await doFetch(`${url}/${packumentPath(name)}`, {
      headers: {
        accept: 'application/json',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
    });
    if (res.status === 404) {
      throw ApplicationFailure.create({
        type: FailureType.NpmPackageNotFound,
        message: `${name} is not in the npm registry at ${url}`,
        nonRetryable: true,
      });
    }
    if (!res.ok) throw new Error(`npm registry ${url}: GET ${name} answered ${res.status}`);
    const doc = (await res.json()) as Packument;
    if (!doc || typeof doc !== 'object' || !doc.versions) throw new Error(`npm registry ${url}: ${name}: no versions`);
    return doc;
  };
  return {
    url,
    packument: onceEach(load),
  };
}
