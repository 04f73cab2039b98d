// Reads a lockfile the way its own package manager does: the check that a pin left a lockfile the project's tooling
// still accepts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { generateOrg, type GenerateOrgOptions } from '../../sandbox/github';
import { runTool } from './run';

const ROOT = path.resolve(__dirname, '../..');
const YARN = path.join(ROOT, 'node_modules/.bin/yarn');

/** What a package manager said, and the folder it ran in (node_modules and the lockfile as it left them). */
export interface PackageManagerRun {
  status: number | null;
  output: string;
  dir: string;
}

/**
 * yarn 1 in `dir` against `registry`, with a cache of its own and install scripts off. `frozen` is
 * `--frozen-lockfile`: yarn refuses a lockfile that does not satisfy package.json instead of rewriting it. It runs
 * asynchronously: the sandbox registry it installs from usually serves from the test's own process.
 */
export function yarnInstall(dir: string, registry: string, frozen: boolean): Promise<PackageManagerRun> {
  return runTool(
    YARN,
    [
      'install',
      ...(frozen ? ['--frozen-lockfile'] : []),
      '--ignore-scripts',
      '--non-interactive',
      '--no-progress',
      '--registry',
      registry,
      '--cache-folder',
      path.join(dir, '.yarn-cache'),
    ],
    { cwd: dir, env: { ...process.env, YARN_IGNORE_PATH: '1', YARN_DISABLE_SELF_UPDATE_CHECK: 'true' } },
  );
}

/** The version of `name` installed in `dir`'s node_modules, or undefined. */
export function installedVersion(dir: string, name: string): string | undefined {
  try {
    return (
      JSON.parse(readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }
    ).version;
  } catch {
    return undefined;
  }
}

/**
 * Reads a lockfile with its manifest by the package manager that owns it: `npm ls` for npm and, for pnpm, a frozen
 * lockfile-only install (both offline), which refuse a lockfile that disagrees with package.json or its overrides;
 * for yarn 1, which has no lockfile-only mode, a frozen install from `registry` (the sandbox registry serves real
 * tarballs), with the public registry hosts in `resolved` pointed at it the way a company mirror is.
 */
export async function readByPackageManager(
  format: string,
  file: string,
  lockText: string,
  manifestText: string,
  registry?: string,
): Promise<PackageManagerRun> {
  const work = mkdtempSync(path.join(tmpdir(), 'cordon-pin-pm-'));
  writeFileSync(path.join(work, 'package.json'), manifestText);
  if (format === 'yarn-lock') {
    if (!registry) throw new Error('yarn reads a lockfile only by installing it: pass the sandbox registry URL');
    writeFileSync(path.join(work, file), mirrored(lockText, registry));
    return yarnInstall(work, registry, true);
  }
  writeFileSync(path.join(work, file), lockText);
  const [cmd, args] =
    format === 'pnpm-lock'
      ? [path.join(ROOT, 'node_modules/.bin/pnpm'), ['install', '--frozen-lockfile', '--lockfile-only', '--offline']]
      : ['npm', ['ls', '--package-lock-only', '--all', '--json']];
  const r = spawnSync(cmd, args, { cwd: work, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}`, dir: work };
}

/** A lockfile with the public registry hosts in its tarball URLs replaced by `registry`, as a mirror serves them. */
export function mirrored(lockText: string, registry: string): string {
  return lockText.replace(/https:\/\/registry\.(?:yarnpkg\.com|npmjs\.org)/g, registry);
}

/**
 * The first exposed lockfile of `format` in a generated org (at the repository root when `atRoot`), with the
 * package.json beside it: what the pin tests and the pin bench rewrite.
 */
export function exposedLockfile(
  format: string,
  org: GenerateOrgOptions,
  atRoot = false,
): { path: string; lockText: string; manifestText: string } {
  const { spec, truth } = generateOrg(org);
  const lf = truth.exposed.find((e) => e.format === format && (!atRoot || !e.path.includes('/')))!;
  const files = spec.repos!.find((r) => r.name === lf.repo)!.files!;
  const dir = path.posix.dirname(lf.path);
  return {
    path: lf.path,
    lockText: files[lf.path]!,
    manifestText: files[dir === '.' ? 'package.json' : `${dir}/package.json`]!,
  };
}
