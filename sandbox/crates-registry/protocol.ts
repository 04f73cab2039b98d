// The Cargo sparse registry index as the sandbox serves it, written from Cargo's registry documentation
// (https://doc.rust-lang.org/cargo/reference/registry-index.html) for the sandbox alone: it imports nothing of
// cordon, so a client that misreads the index is caught rather than agreed with.

/** One dependency in an index line. */
export interface IndexDependency {
  /** The name the dependent uses; the real crate is `package` when set (a rename). */
  name: string;
  req: string;
  features: string[];
  optional: boolean;
  default_features: boolean;
  target: string | null;
  /** `normal`, `dev` or `build`; older lines write `null` for normal. */
  kind: 'normal' | 'dev' | 'build' | null;
  package?: string;
}

/** One line of a crate's index file: one published version. */
export interface IndexEntry {
  name: string;
  vers: string;
  deps: IndexDependency[];
  /** sha256 of the `.crate` file, hex. */
  cksum: string;
  features: Record<string, string[]>;
  yanked: boolean;
}

/**
 * The path of a crate's file under the index root, from the documented layout: names of one and two characters go
 * in `1/` and `2/`, three-character names in `3/{first character}/`, and longer names in
 * `{first two}/{third and fourth}/`; crates.io serves them under the lowercased name.
 */
export function indexFileFor(crate: string): string {
  const name = crate.toLowerCase();
  switch (name.length) {
    case 1:
      return `1/${name}`;
    case 2:
      return `2/${name}`;
    case 3:
      return `3/${name.charAt(0)}/${name}`;
    default:
      return `${name.substring(0, 2)}/${name.substring(2, 4)}/${name}`;
  }
}
