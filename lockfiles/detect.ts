import { parseBunLock } from './npm/bun-lock.read';
import { parseCargoLock } from './cargo/cargo-lock.read';
import { parsePackageLock } from './npm/package-lock.read';
import { parsePipfileLock } from './pypi/pipfile-lock.read';
import { parsePnpmLock } from './npm/pnpm-lock.read';
import { parsePoetryLock } from './pypi/poetry-lock.read';
import { parseRequirementsTxt } from './pypi/requirements-txt.read';
import type { LockfileParser } from './types';
import { parseUvLock } from './pypi/uv-lock.read';
import { parseYarnLock } from './npm/yarn-lock.read';

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

const byFileName: ReadonlyMap<string, LockfileFormat> = new Map([
  ['package-lock.json', 'package-lock'],
  ['npm-shrinkwrap.json', 'package-lock'],
  ['yarn.lock', 'yarn-lock'],
  ['pnpm-lock.yaml', 'pnpm-lock'],
  ['bun.lock', 'bun-lock'],
  ['poetry.lock', 'poetry-lock'],
  ['uv.lock', 'uv-lock'],
  ['Pipfile.lock', 'pipfile-lock'],
  ['Cargo.lock', 'cargo-lock'],
]);

/** The parser of each format. */
export const PARSERS: Readonly<Record<LockfileFormat, LockfileParser>> = {
  'package-lock': parsePackageLock,
  'yarn-lock': parseYarnLock,
  'pnpm-lock': parsePnpmLock,
  'bun-lock': parseBunLock,
  'requirements-txt': parseRequirementsTxt,
  'poetry-lock': parsePoetryLock,
  'uv-lock': parseUvLock,
  'pipfile-lock': parsePipfileLock,
  'cargo-lock': parseCargoLock,
};

/**
 * The format of a lockfile from its path, or undefined for files cordon does not read. requirements files go by
 * pip's naming habits: `requirements.txt`, `requirements-dev.txt`, `dev-requirements.txt`, and any `.txt` in a
 * `requirements/` folder.
 */
export function detectLockfileFormat(filePath: string): LockfileFormat | undefined {
  const parts = filePath.split(/[\\/]/);
  const base = parts[parts.length - 1] ?? '';
  const known = byFileName.get(base);
  if (known) return known;
  if (/^(?:[\w.-]*[-_.])?requirements(?:[-_.][\w.-]*)?\.txt$/i.test(base)) return 'requirements-txt';
  if (base.endsWith('.txt') && parts[parts.length - 2] === 'requirements') return 'requirements-txt';
  return undefined;
}
