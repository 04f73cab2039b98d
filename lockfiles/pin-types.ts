// What every lockfile pinner (npm, pnpm, yarn, pip requirements, Cargo) takes and gives back: the pin pull request
// action picks a pinner by lockfile format and treats them all alike.

/** What pinning did to one package version in a lockfile. */
export interface PinChange {
  package: string;
  from: string;
  /** The last good version it now resolves to; `null` when it was removed (nothing needs it any more). */
  to: string | null;
  /** The lockfile entries (install paths, requirement lines, lock entries) that changed. */
  paths: string[];
}

/** The rewritten lockfile and manifest, or why a person has to do it. */
export interface LockPinResult {
  lockText: string;
  /** The rewritten manifest (package.json, Cargo.toml), when one was given and it changed or is kept as is. */
  manifestText?: string;
  changes: PinChange[];
  /** Entries added to satisfy the good versions' dependencies (`name@version`). */
  added: string[];
  /** Entries no longer reachable after the pin, removed (`name@version`). */
  removed: string[];
  /** What could not be pinned automatically: each one a line for the pull request and the plan. */
  problems: string[];
}

/** What every pinner is given besides its registry. */
export interface LockPinOptions {
  lockText: string;
  /** The manifest next to the lockfile (package.json, Cargo.toml): it receives the pin so a fresh resolve keeps it. */
  manifestText?: string;
  /** Whether a version of a package is affected by the incident's advisories. */
  affected(name: string, version: string): boolean;
  /** Only versions published before this time count as good (the exposure window's start). */
  publishedBefore?: string;
}

// Pinners and their callers import the error from here; it lives in the error catalogue with the other codes.
export { PinInputError } from '../config/errors';

/** The result of a pin that rewrote nothing: the files as they were, and why, for the person who will. */
export function unchangedPin(
  options: Pick<LockPinOptions, 'lockText' | 'manifestText'>,
  problems: string[],
): LockPinResult {
  return {
    lockText: options.lockText,
    ...(options.manifestText !== undefined ? { manifestText: options.manifestText } : {}),
    changes: [],
    added: [],
    removed: [],
    problems,
  };
}
