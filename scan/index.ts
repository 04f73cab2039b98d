export { findingsFor, type Finding } from '../lockfiles/findings';
export { findLockfiles, displayPath, type FoundLockfiles, type LockfileLocation } from './find-lockfiles';
export { loadAdvisories, type LoadedAdvisories } from './load-advisories';
export { scanPaths, type ScanOptions, type ScanPathProblem, type ScanReport } from './scan-paths';
export {
  pinDiff,
  pinPaths,
  writePin,
  type LocalPin,
  type PinByHand,
  type PinPathsOptions,
  type PinnedFile,
} from './pin-paths';
export { unifiedDiff } from './unified-diff';
