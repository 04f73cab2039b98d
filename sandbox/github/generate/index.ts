export { generateOrg, MASTRA_EXPOSURE } from './org';
export type { ExposedPackage, GenerateOrgOptions, SeededLockfile, SeededTruth } from './org';
export type { GeneratedFormat, LockPackage } from './lockfile-writers';
