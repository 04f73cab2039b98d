/** How one ecosystem spells and orders its versions. */
export interface VersionScheme {
  /** The OSV ecosystem name this scheme belongs to (`npm`, `PyPI`, `crates.io`). */
  readonly ecosystem: string;
  /** Whether the scheme can order this version at all (git URLs, empty strings and typos cannot be ordered). */
  valid(version: string): boolean;
  /** Negative, zero or positive like `Array.prototype.sort`; both arguments must be `valid`. */
  compare(a: string, b: string): number;
}
