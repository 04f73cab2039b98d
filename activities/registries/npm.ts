import type { NpmRegistry, Packument } from '../../lockfiles/registries';
import { bearer, notFoundFailure, registryGet, trimUrl } from './http';
import { onceEach } from './once-each';

export type { NpmRegistry, Packument, PackumentVersion } from '../../lockfiles/registries';

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
  const url = trimUrl(options.url ?? 'https://registry.npmjs.org');
  const http = { fetch: options.fetch ?? fetch, headers: { accept: 'application/json', ...bearer(options.token) } };
  const load = async (name: string): Promise<Packument> => {
    const res = await registryGet(http, `${url}/${packumentPath(name)}`, `npm registry ${url}: GET ${name}`);
    if (!res) throw notFoundFailure('npm', `${name} is not in the npm registry at ${url}`);
    const doc = (await res.json()) as Packument;
    if (!doc || typeof doc !== 'object' || !doc.versions) throw new Error(`npm registry ${url}: ${name}: no versions`);
    return doc;
  };
  return {
    url,
    packument: onceEach(load),
  };
}
