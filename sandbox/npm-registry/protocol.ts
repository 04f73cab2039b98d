// The npm registry's package document ("packument") as the registry serves it, written from the registry API
// (https://github.com/npm/registry/blob/main/docs/REGISTRY-API.md#getpackage) for the sandbox alone: the sandbox
// imports nothing of cordon, so a client that misreads the document is caught rather than agreed with.

/** One version's manifest inside a full packument: its `package.json` fields plus `dist`. */
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
  /** Where the tarball is, and its SRI `integrity` (sha512) and legacy sha1 `shasum`. */
  dist: { tarball: string; integrity?: string; shasum?: string };
}

/** The full packument `GET /{name}` answers: every version, the dist-tags, and each version's publish time. */
export interface Packument {
  name: string;
  'dist-tags'?: Record<string, string>;
  versions: Record<string, PackumentVersion>;
  /** ISO times by version, plus `created` and `modified`. */
  time?: Record<string, string>;
}
