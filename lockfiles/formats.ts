// The one table of lockfile formats cordon knows: which files they are, what ecosystem they lock, the manifest
// beside them, how they are read and how they are pinned. Detection, the org scan's name matching, SBOM coverage and
// the pin pull request's choice of pinner are all read from it, so they cannot disagree.
import type { LockfileEcosystem } from '../domain/advisory';
import { parseCargoLock } from './cargo/cargo-lock.read';
import { pinCargoLockfile } from './cargo/cargo-lock.pin';
import { parseBunLock } from './npm/bun-lock.read';
import { parsePackageLock } from './npm/package-lock.read';
import { pinNpmLockfile } from './npm/package-lock.pin';
import { parsePnpmLock } from './npm/pnpm-lock.read';
import { pinPnpmLockfile } from './npm/pnpm-lock.pin';
import { parseYarnLock } from './npm/yarn-lock.read';
import { pinYarnLockfile } from './npm/yarn-lock.pin';
import type { LockPinOptions, LockPinResult } from './pin-types';
import { parsePipfileLock } from './pypi/pipfile-lock.read';
import { pinPipfileLock } from './pypi/pipfile-lock.pin';
import { parsePoetryLock } from './pypi/poetry-lock.read';
import { pinPoetryLockfile } from './pypi/poetry-lock.pin';
import { parseRequirementsTxt } from './pypi/requirements-txt.read';
import { pinRequirementsTxt } from './pypi/requirements-txt.pin';
import { parseUvLock } from './pypi/uv-lock.read';
import { pinUvLockfile } from './pypi/uv-lock.pin';
import type { CratesRegistry, NpmRegistry, PyPiRegistry, RegistryKind } from './registries';
import type { LockfileParser } from './types';

/** The lockfile formats cordon reads, by the name their tools give the file. */
export type LockfileFormat =
  | 'package-lock'
  | 'yarn-lock'
  | 'pnpm-lock'
  | 'bun-lock'
  | 'requirements-txt'
  | 'poetry-lock'
  | 'uv-lock'
  | 'pipfile-lock'
  | 'cargo-lock';

/** The registry clients pinners read good versions from, one per kind. */
export interface PinRegistries {
  npm: NpmRegistry;
  pypi: PyPiRegistry;
  crates: CratesRegistry;
}

/** How a format is pinned: the registry it reads, the rewrite, and what the pull request says about how it holds. */
export interface FormatPinner {
  registry: RegistryKind;
  pin(options: LockPinOptions, registries: PinRegistries): Promise<LockPinResult>;
  note: string;
}

/** One row of the formats table. */
export interface LockfileFormatSpec {
  format: LockfileFormat;
  /** The file names its tool writes. */
  names: readonly string[];
  /** Other file names it goes by (pip's habits for requirements files), tested on the base name. */
  namePattern?: RegExp;
  /** A folder whose every `.txt` file is of this format (`requirements/dev.txt`). */
  folder?: string;
  ecosystem: LockfileEcosystem;
  /** The manifest beside it that receives the pin; null when the lockfile is its own manifest. */
  manifest: string | null;
  read: LockfileParser;
  /** Absent for formats cordon reads but does not rewrite: their findings are pinned by hand. */
  pinner?: FormatPinner;
  /**
   * Whether GitHub's dependency graph reads it, so its SBOM can vouch for the file. bun.lock and uv.lock are left
   * out: their support is recent or partial, and a clean SBOM must not hide a file it never read.
   * https://docs.github.com/code-security/supply-chain-security/understanding-your-software-supply-chain/dependency-graph-supported-package-ecosystems
   */
  sbom: boolean;
}

const NPM_NOTE =
  'The npm lockfile entries carry the good versions’ resolution and integrity from the registry; the overrides ' +
  'in `package.json` (`overrides` for npm, `pnpm.overrides` for pnpm, `resolutions` for yarn) keep the pin on ' +
  'the next install.';

const npm = (pin: (o: LockPinOptions & { registry: NpmRegistry }) => Promise<LockPinResult>): FormatPinner => ({
  registry: 'npm',
  pin: (o, r) => pin({ ...o, registry: r.npm }),
  note: NPM_NOTE,
});

const pypi = (
  pin: (o: LockPinOptions & { registry: PyPiRegistry }) => Promise<LockPinResult>,
  note: string,
): FormatPinner => ({ registry: 'pypi', pin: (o, r) => pin({ ...o, registry: r.pypi }), note });

/** Every format, once. */
export const FORMATS: readonly LockfileFormatSpec[] = [
  {
    format: 'package-lock',
    names: ['package-lock.json', 'npm-shrinkwrap.json'],
    ecosystem: 'npm',
    manifest: 'package.json',
    read: parsePackageLock,
    pinner: npm(pinNpmLockfile),
    sbom: true,
  },
  {
    format: 'yarn-lock',
    names: ['yarn.lock'],
    ecosystem: 'npm',
    manifest: 'package.json',
    read: parseYarnLock,
    pinner: npm(pinYarnLockfile),
    sbom: true,
  },
  {
    format: 'pnpm-lock',
    names: ['pnpm-lock.yaml'],
    ecosystem: 'npm',
    manifest: 'package.json',
    read: parsePnpmLock,
    pinner: npm(pinPnpmLockfile),
    sbom: true,
  },
  {
    format: 'bun-lock',
    names: ['bun.lock'],
    ecosystem: 'npm',
    manifest: 'package.json',
    read: parseBunLock,
    sbom: false,
  },
  {
    format: 'requirements-txt',
    names: [],
    // pip's naming habits: `requirements.txt`, `requirements-dev.txt`, `dev-requirements.txt`, `requirements/*.txt`.
    namePattern: /^(?:[\w.-]*[-_.])?requirements(?:[-_.][\w.-]*)?\.txt$/i,
    folder: 'requirements',
    ecosystem: 'PyPI',
    manifest: null,
    read: parseRequirementsTxt,
    pinner: pypi(
      pinRequirementsTxt,
      'Requirements files name the last good release with `==`; where they use `--hash`, the hashes are that ' +
        'release’s file digests from the package index, and requirements only the bad release needed are gone.',
    ),
    sbom: true,
  },
  {
    format: 'poetry-lock',
    names: ['poetry.lock'],
    ecosystem: 'PyPI',
    manifest: 'pyproject.toml',
    read: parsePoetryLock,
    pinner: pypi(
      pinPoetryLockfile,
      'poetry.lock entries take the good release’s files and hashes from the package index and its dependencies; ' +
        'pyproject.toml is unchanged, so the lock’s content-hash still holds.',
    ),
    sbom: true,
  },
  {
    format: 'uv-lock',
    names: ['uv.lock'],
    ecosystem: 'PyPI',
    manifest: 'pyproject.toml',
    read: parseUvLock,
    pinner: pypi(
      pinUvLockfile,
      'uv.lock entries take the good release’s files, hashes and dependencies from the package index, as uv writes ' +
        'them; pyproject.toml is unchanged, so `uv lock --check` still holds.',
    ),
    sbom: false,
  },
  {
    format: 'pipfile-lock',
    names: ['Pipfile.lock'],
    ecosystem: 'PyPI',
    manifest: 'Pipfile',
    read: parsePipfileLock,
    pinner: pypi(
      pinPipfileLock,
      'Pipfile.lock entries take the good release’s hashes from the package index; the Pipfile is unchanged, so ' +
        'the lock’s hash of it still holds.',
    ),
    sbom: true,
  },
  {
    format: 'cargo-lock',
    names: ['Cargo.lock'],
    ecosystem: 'crates.io',
    manifest: 'Cargo.toml',
    read: parseCargoLock,
    pinner: {
      registry: 'crates',
      pin: (o, r) => pinCargoLockfile({ ...o, registry: r.crates }),
      note:
        'Cargo.lock entries carry the good versions’ checksums from the crates index, written as cargo writes them; ' +
        'a direct dependency is pinned with `=` in Cargo.toml, so `cargo update` cannot move it back.',
    },
    sbom: true,
  },
];

const BY_FORMAT = new Map(FORMATS.map((f) => [f.format, f]));
const BY_NAME = new Map(FORMATS.flatMap((f) => f.names.map((n) => [n, f] as const)));

/** The table's row of a format. */
export function formatSpec(format: LockfileFormat): LockfileFormatSpec {
  return BY_FORMAT.get(format)!;
}

/** The reader of each format. */
export const PARSERS: Readonly<Record<LockfileFormat, LockfileParser>> = Object.fromEntries(
  FORMATS.map((f) => [f.format, f.read]),
) as Record<LockfileFormat, LockfileParser>;

/** The table's row for a file path (`/` or `\` separated), by its name or its folder; undefined for other files. */
export function formatOfPath(filePath: string): LockfileFormatSpec | undefined {
  const parts = filePath.split(/[\\/]/);
  const base = parts[parts.length - 1] ?? '';
  const parent = parts[parts.length - 2];
  return (
    BY_NAME.get(base) ??
    FORMATS.find(
      (f) => f.namePattern?.test(base) || (f.folder !== undefined && f.folder === parent && base.endsWith('.txt')),
    )
  );
}

/** The format of a lockfile from its path, or undefined for files cordon does not read. */
export function detectLockfileFormat(filePath: string): LockfileFormat | undefined {
  return formatOfPath(filePath)?.format;
}

/** Folders whose contents are installed copies, not the project's own lockfiles. */
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

/** Whether a folder is never searched for lockfiles (`node_modules`, `.git`). */
export function isSkippedDir(name: string): boolean {
  return SKIPPED_DIRS.has(name);
}

/** The ecosystem of a lockfile in a repository tree, or undefined for other files and anything under a skipped folder. */
export function lockfileEcosystem(path: string): LockfileEcosystem | undefined {
  if (path.split('/').some(isSkippedDir)) return undefined;
  return formatOfPath(path)?.ecosystem;
}

/** Whether the dependency graph's SBOM accounts for this lockfile. */
export function sbomCovers(path: string): boolean {
  return formatOfPath(path)?.sbom ?? false;
}
