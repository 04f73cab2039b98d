import type { AdvisoryLookup } from '../domain/advisory';
import type { LockfileParseResult } from './types';

/** One exposure: an installed (or installable) package version that an advisory names. */
export interface Finding {
  /** The lockfile, relative to the working directory (or the repository root in an org-wide scan). */
  file: string;
  ecosystem: string;
  /** Real package name (npm aliases resolved). */
  package: string;
  /** Installed version; for `could-resolve`, the requirement's specifier (`*` for none). */
  version: string;
  /** Advisory id (OSV id, IOC list path, or `--package` spec). */
  advisory: string;
  /** `installed`: the lockfile pins an affected version; `could-resolve`: an unpinned requirement admits one. */
  kind: 'installed' | 'could-resolve';
  line?: number;
  direct?: boolean;
  path?: string[];
  commit?: string;
  /** Other ids of the advisory (GHSA, CVE, PYSEC). */
  aliases?: string[];
  /** For `could-resolve`: an affected version the requirement admits. */
  affectedVersion?: string;
}

/** Matches what one lockfile holds against the advisories: pure, so org-wide scans reuse it on fetched files. */
export function findingsFor(file: string, parsed: LockfileParseResult, lookup: AdvisoryLookup): Finding[] {
  const findings: Finding[] = [];
  for (const pkg of parsed.packages) {
    for (const { advisory } of lookup.affecting(pkg.ecosystem, pkg.name, pkg.version)) {
      const finding: Finding = {
        file,
        ecosystem: pkg.ecosystem,
        package: pkg.name,
        version: pkg.version,
        advisory: advisory.id,
        kind: 'installed',
      };
      if (pkg.line !== undefined) finding.line = pkg.line;
      if (pkg.direct !== undefined) finding.direct = pkg.direct;
      if (pkg.path) finding.path = pkg.path;
      if (pkg.commit) finding.commit = pkg.commit;
      if (advisory.aliases.length > 0) finding.aliases = advisory.aliases;
      findings.push(finding);
    }
  }
  for (const req of parsed.requirements) {
    for (const { advisory, witness } of lookup.admitting(req.ecosystem, req.name, req.specifier)) {
      const finding: Finding = {
        file,
        ecosystem: req.ecosystem,
        package: req.name,
        version: req.specifier === '' ? '*' : req.specifier,
        advisory: advisory.id,
        kind: 'could-resolve',
        line: req.line,
        direct: true,
        affectedVersion: witness,
      };
      if (advisory.aliases.length > 0) finding.aliases = advisory.aliases;
      findings.push(finding);
    }
  }
  return findings;
}
