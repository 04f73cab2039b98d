export { generateOrg, MASTRA_EXPOSURE, seededNpmPackages } from './org';
export type { ExposedPackage, GenerateOrgOptions, SeededLockfile, SeededTruth } from './org';
export { integrity, tarball } from './lockfile-writers';
export type { GeneratedFormat, LockPackage } from './lockfile-writers';
