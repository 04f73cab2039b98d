// Reads a lockfile the way its own package manager does, offline: the check that a pin left a lockfile the
// project's tooling still accepts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/**
 * Reads a lockfile with its manifest by the package manager that owns it, offline: `npm ls` for npm, and for pnpm
 * a frozen lockfile-only install, which refuses a lockfile that disagrees with package.json or its overrides.
 */
export function readByPackageManager(
  format: string,
  file: string,
  lockText: string,
  manifestText: string,
): { status: number | null; output: string } {
  const work = mkdtempSync(path.join(tmpdir(), 'cordon-pin-pm-'));
  writeFileSync(path.join(work, file), lockText);
  writeFileSync(path.join(work, 'package.json'), manifestText);
  const [cmd, args] =
    format === 'pnpm-lock'
      ? [path.join(ROOT, 'node_modules/.bin/pnpm'), ['install', '--frozen-lockfile', '--lockfile-only', '--offline']]
      : ['npm', ['ls', '--package-lock-only', '--all', '--json']];
  const r = spawnSync(cmd, args, { cwd: work, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
