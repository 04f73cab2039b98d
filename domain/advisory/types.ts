/** One OSV range event (https://ossf.github.io/osv-schema/#affectedrangesevents-fields); exactly one key is set. */
export type RangeEvent = { introduced: string } | { fixed: string } | { last_affected: string } | { limit: string };

/** An OSV affected range: `SEMVER` and `ECOSYSTEM` ranges are evaluated, `GIT` ranges are kept but cannot match. */
export interface AffectedRange {
  type: 'SEMVER' | 'ECOSYSTEM' | 'GIT';
  events: RangeEvent[];
}

/** One package an advisory names, with the versions it affects (an explicit list, ranges, or both). */
export interface AffectedPackage {
  /** OSV ecosystem name: `npm`, `PyPI`, `crates.io`, or anything else OSV uses (kept, never matched). */
  ecosystem: string;
  name: string;
  versions: string[];
  ranges: AffectedRange[];
}

/** A compromise notice cordon matches installs against: an OSV record, an IOC list, or a `--package` spec. */
export interface Advisory {
  /** OSV id, or for IOC lists and `--package` specs the label of where it came from. */
  id: string;
  aliases: string[];
  summary?: string;
  /** Where it was read from (file path or `--package`), for error messages and reports. */
  source: string;
  affected: AffectedPackage[];
}

/** A problem with one advisory input: which input, and what is wrong with it. */
export interface AdvisoryProblem {
  source: string;
  message: string;
}

/** What reading one advisory input gave: the advisories in it, and what could not be read. */
export interface AdvisoryParseResult {
  advisories: Advisory[];
  problems: AdvisoryProblem[];
  /** Ids of withdrawn OSV records, skipped on purpose (false positives moved out of the database). */
  withdrawn: string[];
}
