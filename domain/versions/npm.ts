import semver from 'semver';

import type { VersionScheme } from './scheme';

/**
 * npm versions are SemVer 2.0 as implemented by npm's own `semver` package: a leading `v` is tolerated,
 * build metadata does not take part in ordering.
 */
export const npmVersions: VersionScheme = {
  ecosystem: 'npm',
  valid: (version) => semver.valid(version) !== null,
  compare: (a, b) => semver.compare(a, b),
};

/** Plain SemVer 2.0, which OSV `SEMVER` ranges use whatever the ecosystem. */
export const semverVersions: VersionScheme = { ...npmVersions, ecosystem: 'SEMVER' };
