import type { LockfileEcosystem } from '../domain/advisory';

/** One installed copy of a package, as a lockfile records it. */
export interface LockedPackage {
  ecosystem: LockfileEcosystem;
  /** The real package name (an npm alias `"foo": "npm:bar@1"` gives `bar`). */
  name: string;
  /** The resolved version; empty when the lockfile records none (some git dependencies). */
  version: string;
  /** 1-based line of the package's entry, where the format has one. */
  line?: number;
  /** Whether the project asks for it itself (true) or it comes in through another package (false); absent if unknown. */
  direct?: boolean;
  /** One dependency path from a direct dependency down to this package, as `name@version`, when the format gives it. */
  path?: string[];
  /** The commit of a git dependency. */
  commit?: string;
}

/** An unpinned requirement (requirements.txt `keyring>=4.1.1`, bare `pytest`): what pip could resolve, not a version. */
export interface LooseRequirement {
  ecosystem: LockfileEcosystem;
  name: string;
  /** The PEP 440 specifier set as written, `''` for none. */
  specifier: string;
  line: number;
}

/** A problem in a lockfile: where (line when known) and what was expected. */
export interface LockfileProblem {
  line?: number;
  message: string;
}

/** What a parser read from one lockfile. */
export interface LockfileParseResult {
  packages: LockedPackage[];
  requirements: LooseRequirement[];
  problems: LockfileProblem[];
}

/**
 * A lockfile parser: a pure function of the file's path and text, so the org-wide scan can feed it file contents
 * fetched from GitHub. It never throws on bad input; it reports problems and returns what it could read.
 */
export type LockfileParser = (path: string, text: string) => LockfileParseResult;
