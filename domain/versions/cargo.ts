import semver from 'semver';

import type { VersionScheme } from './scheme';

/**
 * Cargo versions are strict SemVer 2.0 (https://doc.rust-lang.org/cargo/reference/semver.html). Build metadata
 * (`0.10.2+wasi-snapshot-preview1`) is kept in the string but ignored when ordering, which is also why crates.io
 * refuses to publish two versions that differ only in it.
 */
export const cargoVersions: VersionScheme = {
  ecosystem: 'crates.io',
  valid: (version) => semver.valid(version, { loose: false }) !== null && !version.startsWith('v'),
  compare: (a, b) => semver.compare(a, b),
};
