import path from 'node:path';

import type { AdvisoryLookup } from '../domain/advisory';
import { findingsFor, type Finding } from '../lockfiles/findings';
import { displayPath, findLockfiles, type LockfileLocation } from './find-lockfiles';
import { PARSERS, type LockfileParseResult, type LockfileProblem, type RequirementsParseResult } from '../lockfiles';
import { readInsideRoot } from './read-inside-root';

/** The result of a scan, in the shape `cordon scan --format json` prints. */
export interface ScanReport {
  findings: Finding[];
  scanned: { files: number; packages: number };
  errors: { file: string; message: string }[];
}

/** What to scan and against what. */
export interface ScanOptions {
  /** Files or directories; relative ones are resolved against `cwd`. */
  paths: readonly string[];
  cwd: string;
  lookup: AdvisoryLookup;
  /** Called after each lockfile with how many are done out of how many found so far. */
  onProgress?: (done: number, total: number, file: string) => void;
}

/** A scan path that does not exist: bad input for the caller to refuse, not a finding-less scan. */
export interface ScanPathProblem {
  file: string;
  message: string;
}

/**
 * Scans lockfiles on disk: finds them under `paths`, parses each with its format's parser, follows requirements `-r`
 * includes, and matches every package against the advisories. A file that cannot be read or parsed becomes one entry
 * in `errors` and the scan goes on; so does one skipped unread (not a regular file, or a link or include leaving the
 * scanned tree), which is not counted as scanned.
 */
export async function scanPaths(options: ScanOptions): Promise<ScanReport & { missing: ScanPathProblem[] }> {
  const { cwd, lookup } = options;
  const found = await findLockfiles(options.paths, cwd);
  const report: ScanReport = { findings: [], scanned: { files: 0, packages: 0 }, errors: [...found.problems] };
  const queue: LockfileLocation[] = [...found.lockfiles];
  const queued = new Set(queue.map((l) => l.absolute));
  for (let i = 0; i < queue.length; i++) {
    const location = queue[i] as LockfileLocation;
    const parsed = await parseLocation(location);
    if ('skipped' in parsed) {
      report.errors.push({ file: location.display, message: `${location.display}: skipped: ${parsed.skipped}` });
      options.onProgress?.(i + 1, queue.length, location.display);
      continue;
    }
    report.scanned.files++;
    if ('error' in parsed) {
      report.errors.push({ file: location.display, message: parsed.error });
    } else {
      report.scanned.packages += parsed.packages.length + parsed.requirements.length;
      report.findings.push(...findingsFor(location.display, parsed, lookup));
      if (parsed.problems.length > 0) {
        report.errors.push({ file: location.display, message: summarize(location.display, parsed.problems) });
      }
      for (const include of includesOf(parsed)) {
        const absolute = path.resolve(path.dirname(location.absolute), include.path);
        if (queued.has(absolute)) continue;
        queued.add(absolute);
        queue.push({ absolute, display: displayPath(cwd, absolute), format: 'requirements-txt', root: location.root });
      }
    }
    options.onProgress?.(i + 1, queue.length, location.display);
  }
  report.findings.sort(
    (a, b) => compareText(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || compareText(a.advisory, b.advisory),
  );
  return { ...report, missing: found.missing };
}

async function parseLocation(
  location: LockfileLocation,
): Promise<LockfileParseResult | { error: string } | { skipped: string }> {
  const read = await readInsideRoot(location.absolute, location.root);
  if ('skipped' in read) return read;
  if ('error' in read) return { error: `${location.display}: cannot read: ${read.error}` };
  try {
    return PARSERS[location.format](location.display, read.text);
  } catch (err) {
    // Parsers report bad input as problems; a throw is a bug in cordon, still reported per file so the scan goes on.
    return { error: `${location.display}: internal error while parsing (please report it): ${(err as Error).message}` };
  }
}

function includesOf(parsed: LockfileParseResult): RequirementsParseResult['includes'] {
  return 'includes' in parsed ? (parsed as RequirementsParseResult).includes : [];
}

/** One message per file: the first problem with its line, and how many more there are. */
function summarize(file: string, problems: readonly LockfileProblem[]): string {
  const [first] = problems;
  if (!first) return file;
  const where = first.line === undefined ? file : `${file}:${first.line}`;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return `${where}: ${first.message}${more}`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
