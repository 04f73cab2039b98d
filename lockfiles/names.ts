import type { LockfileEcosystem } from '../domain/advisory';

const BY_NAME: ReadonlyMap<string, LockfileEcosystem> = new Map([
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
  ['yarn.lock', 'npm'],
  ['pnpm-lock.yaml', 'npm'],
  ['bun.lock', 'npm'],
  ['poetry.lock', 'PyPI'],
  ['uv.lock', 'PyPI'],
  ['Pipfile.lock', 'PyPI'],
  ['Cargo.lock', 'crates.io'],
]);

/**
 * Lockfile names GitHub's dependency graph reads, so an SBOM can vouch for them. bun.lock and uv.lock are left
 * out: their support is recent or partial, and a clean SBOM must not hide a file it never read.
 * https://docs.github.com/code-security/supply-chain-security/understanding-your-software-supply-chain/dependency-graph-supported-package-ecosystems
 */
const SBOM_COVERED = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'poetry.lock',
  'Pipfile.lock',
  'Cargo.lock',
]);

/** Folders whose contents are installed copies, not the project's own lockfiles. */
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

/**
 * The ecosystem of a lockfile cordon reads, from its path, or undefined for other files. requirements files go by
 * pip's naming habits (`requirements.txt`, `requirements-dev.txt`, `dev-requirements.txt`, `requirements/*.txt`).
 */
export function lockfileEcosystem(path: string): LockfileEcosystem | undefined {
  const parts = path.split('/');
  if (parts.some((p) => SKIPPED_DIRS.has(p))) return undefined;
  const base = parts[parts.length - 1] ?? '';
  const known = BY_NAME.get(base);
  if (known) return known;
  if (/^(?:[\w.-]*[-_.])?requirements(?:[-_.][\w.-]*)?\.txt$/i.test(base)) return 'PyPI';
  if (base.endsWith('.txt') && parts[parts.length - 2] === 'requirements') return 'PyPI';
  return undefined;
}

/** Whether the dependency graph's SBOM accounts for this lockfile. */
export function sbomCovers(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return SBOM_COVERED.has(base) || (lockfileEcosystem(path) === 'PyPI' && base.endsWith('.txt'));
}

/** Whether a folder is never searched for lockfiles (`node_modules`, `.git`). */
export function isSkippedDir(name: string): boolean {
  return SKIPPED_DIRS.has(name);
}
