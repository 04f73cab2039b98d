export type {
  Advisory,
  AdvisoryParseResult,
  AdvisoryProblem,
  AffectedPackage,
  AffectedRange,
  RangeEvent,
} from './types';
export { ECOSYSTEMS, baseEcosystem, normalizePackageName, parseEcosystem, type LockfileEcosystem } from './ecosystem';
export { parseOsvJson } from './osv';
export { parseIocCsv } from './ioc-csv';
export { parsePackageSpec, type PackageSpecOutcome } from './package-spec';
export { affectedVersionAdmitted, versionAffected } from './match';
export { AdvisoryLookup, type AdmittedHit, type AdvisoryHit } from './lookup';
