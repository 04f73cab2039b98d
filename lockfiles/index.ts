// What lockfiles/ offers the rest of cordon: the formats table, a reader and (where cordon rewrites it) a pinner per
// format, the registry interfaces pinners read through, and the findings of a read lockfile.
export type { LockedPackage, LockfileParseResult, LockfileParser, LockfileProblem, LooseRequirement } from './types';
export {
  FORMATS,
  PARSERS,
  detectLockfileFormat,
  formatOfPath,
  formatSpec,
  isSkippedDir,
  lockfileEcosystem,
  sbomCovers,
  type FormatPinner,
  type LockfileFormat,
  type LockfileFormatSpec,
  type PinRegistries,
} from './formats';
export { sniffLockfileFormat } from './sniff';
export { findingsFor, type Finding } from './findings';

// Readers.
export { parseBunLock } from './npm/bun-lock.read';
export { parseCargoLock } from './cargo/cargo-lock.read';
export { parsePackageLock } from './npm/package-lock.read';
export { parsePipfileLock } from './pypi/pipfile-lock.read';
export { parsePnpmLock } from './npm/pnpm-lock.read';
export { parsePoetryLock } from './pypi/poetry-lock.read';
export {
  parseRequirementsTxt,
  type RequirementsInclude,
  type RequirementsParseResult,
} from './pypi/requirements-txt.read';
export { parseUvLock } from './pypi/uv-lock.read';
export { parseYarnLock } from './npm/yarn-lock.read';

// Pinners.
export { PinInputError, unchangedPin, type LockPinOptions, type LockPinResult, type PinChange } from './pin-types';
export { pinCargoLockfile, type CargoPinOptions } from './cargo/cargo-lock.pin';
export { lastGoodVersion, pinNpmLockfile, type NpmPinOptions } from './npm/package-lock.pin';
export { pinPnpmLockfile } from './npm/pnpm-lock.pin';
export { pinYarnLockfile } from './npm/yarn-lock.pin';
export { pinPipfileLock, type PipfilePinOptions } from './pypi/pipfile-lock.pin';
export { pinPoetryLockfile, type PoetryPinOptions } from './pypi/poetry-lock.pin';
export { pinRequirementsTxt, type RequirementsPinOptions } from './pypi/requirements-txt.pin';
export { pinUvLockfile, type UvPinOptions } from './pypi/uv-lock.pin';

// Registry protocol types and the interfaces pinners read through.
export {
  NOT_FOUND,
  indexPath,
  isNotFound,
  normalizePyPiName,
  type CrateDep,
  type CrateVersion,
  type CratesRegistry,
  type NpmRegistry,
  type Packument,
  type PackumentVersion,
  type PyPiFile,
  type PyPiProject,
  type PyPiRegistry,
  type PyPiRelease,
  type RegistryKind,
} from './registries';
