import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '@temporalio/common';
import { detectLockfileFormat, PARSERS } from '../../../../lockfiles';
import type { PackageRef, RepoLockfileScan } from '../../../../activities/github';

const OSV = path.resolve(__dirname, '../../../../../shared/data/osv/npm');

/** The bad versions of the real Mastra advisory (MAL-2026-6011) and its dropper (MAL-2026-5979), from OSV. */
export function mastraAdvisory(): { packages: PackageRef[]; bad: Set<string> } {
  const records = ['@mastra/core/MAL-2026-6011.json', 'easy-day-js/MAL-2026-5979.json'].map(
    (f) =>
      JSON.parse(readFileSync(path.join(OSV, f), 'utf8')) as {
        affected: Array<{ package: PackageRef; versions: string[] }>;
      },
  );
  const affected = records.flatMap((r) => r.affected);
  return {
    packages: affected.map((a) => a.package),
    bad: new Set(affected.flatMap((a) => a.versions.map((v) => `${a.package.name}@${v}`))),
  };
}

/** `repo/path` of every returned lockfile that locks a bad version, read with cordon's own lockfile parsers. */
export function exposedFiles(scans: Array<Pick<RepoLockfileScan, 'repo' | 'lockfiles'>>, bad: Set<string>): string[] {
  return scans
    .flatMap((s) =>
      s.lockfiles.flatMap((l) => {
        const format = detectLockfileFormat(l.path);
        if (!format) return [];
        const { packages } = PARSERS[format](l.path, l.text);
        return packages.some((p) => bad.has(`${p.name}@${p.version}`))
          ? [`${s.repo.replace(/^[^/]+\//, '')}/${l.path}`]
          : [];
      }),
    )
    .sort();
}

/** Sum of a per-repository call tally. */
export function total(tally: Record<string, number>): number {
  return Object.values(tally).reduce((a, b) => a + b, 0);
}

/** A logger that keeps warnings, to assert the client logged its rate-limit decisions. */
export function recordingLogger(): Logger & { warnings: Array<{ message: string; meta?: Record<string, unknown> }> } {
  const warnings: Array<{ message: string; meta?: Record<string, unknown> }> = [];
  const noop = () => undefined;
  return {
    warnings,
    log: noop,
    trace: noop,
    debug: noop,
    info: noop,
    warn: (message: string, meta?: Record<string, unknown>) =>
      void warnings.push({ message, ...(meta ? { meta } : {}) }),
    error: noop,
  };
}
