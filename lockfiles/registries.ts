// What the pinners read from package registries, as the registries' own protocols write it, and the interfaces they
// read it through. The HTTP clients that implement them live in activities/registries; tests pass fakes.
import { FailureType } from '../domain/failures';

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

/** The PEP 503 normalized name: lower case, runs of `-`, `_` and `.` as one `-`. */
export function normalizePyPiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

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
  /** Every version of a crate, in index order (oldest first). A crate the index lacks rejects: see `notFound`. */
  versions(name: string): Promise<CrateVersion[]>;
}

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

/**
 * The error `type` a registry client rejects with when the registry has no such package: part of the interfaces'
 * contract, so a pinner can tell "gone" (crates.io deletes malicious crates) from "try again" without knowing how
 * the client reports failures to its runtime.
 */
export const NOT_FOUND = {
  npm: FailureType.NpmPackageNotFound,
  pypi: FailureType.PypiPackageNotFound,
  crates: FailureType.CrateNotFound,
} as const;

/** The registries a pinner may read, by the key `NOT_FOUND` and the formats table use. */
export type RegistryKind = keyof typeof NOT_FOUND;

/** Whether a registry client's rejection says the package does not exist there. */
export function isNotFound(err: unknown, kind: RegistryKind): boolean {
  return typeof err === 'object' && err !== null && (err as { type?: unknown }).type === NOT_FOUND[kind];
}
