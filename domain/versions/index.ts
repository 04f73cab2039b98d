import { cargoVersions } from './cargo';
import { npmVersions } from './npm';
import { pypiVersions } from './pypi';
import type { VersionScheme } from './scheme';

export type { VersionScheme } from './scheme';
export { cargoVersions } from './cargo';
export { npmVersions, semverVersions } from './npm';
export { pypiSatisfies, pypiSpecifierVersions, pypiValidSpecifier, pypiVersions } from './pypi';

const schemes: ReadonlyMap<string, VersionScheme> = new Map([
  ['npm', npmVersions],
  ['PyPI', pypiVersions],
  ['crates.io', cargoVersions],
]);

/** The version scheme of an OSV ecosystem, or undefined for ecosystems cordon cannot order (e.g. `GitHub Actions`). */
export function versionSchemeFor(ecosystem: string): VersionScheme | undefined {
  return schemes.get(ecosystem);
}
