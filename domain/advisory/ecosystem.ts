/** The OSV spellings of the ecosystems cordon reads lockfiles for. */
export const ECOSYSTEMS = ['npm', 'PyPI', 'crates.io'] as const;

/** An ecosystem whose lockfiles cordon reads. */
export type LockfileEcosystem = (typeof ECOSYSTEMS)[number];

const aliases: ReadonlyMap<string, LockfileEcosystem> = new Map([
  ['npm', 'npm'],
  ['pypi', 'PyPI'],
  ['crates.io', 'crates.io'],
  ['crates-io', 'crates.io'],
  ['cargo', 'crates.io'],
]);

/** The OSV name for a user-typed ecosystem (`pypi`, `PyPI`, `crates.io`, `cargo`…), or undefined if unknown. */
export function parseEcosystem(text: string): LockfileEcosystem | undefined {
  return aliases.get(text.toLowerCase());
}

/**
 * The form under which two names of one package compare equal. PyPI names are normalized per PEP 503
 * (https://peps.python.org/pep-0503/#normalized-names: case-insensitive, runs of `-_.` are one `-`); crates.io
 * refuses names that differ only in case or `-`/`_`; npm names are exact.
 */
export function normalizePackageName(ecosystem: string, name: string): string {
  if (ecosystem === 'PyPI') return name.toLowerCase().replace(/[-_.]+/g, '-');
  if (ecosystem === 'crates.io') return name.toLowerCase().replace(/-/g, '_');
  return name;
}

/**
 * OSV ecosystems may carry a suffix (`Debian:11`, `Ubuntu:22.04:LTS`); only the part before the colon names the
 * ecosystem. `crates.io` and `PyPI` have no colon, so this is safe for the ones cordon matches.
 */
export function baseEcosystem(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return colon === -1 ? ecosystem : ecosystem.slice(0, colon);
}
