import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

import { detectLockfileFormat, isSkippedDir, sniffLockfileFormat, type LockfileFormat } from '../lockfiles';

/** A lockfile to scan: where it is, how to show it, and its format. */
export interface LockfileLocation {
  absolute: string;
  /** Relative to the working directory. */
  display: string;
  format: LockfileFormat;
}

/** What walking the scan paths found, and the paths that could not be used. */
export interface FoundLockfiles {
  lockfiles: LockfileLocation[];
  problems: { file: string; message: string }[];
  /** Scan paths that do not exist or cannot be read. */
  missing: { file: string; message: string }[];
}

/**
 * Finds lockfiles: a path naming a file is taken as a lockfile, by its name or else its content (and reported if neither
 * says which); a
 * directory is searched recursively, skipping `node_modules` and `.git`, in name order so output is stable. Symbolic
 * links to directories are not followed, which keeps a link cycle from looping.
 */
export async function findLockfiles(paths: readonly string[], cwd: string): Promise<FoundLockfiles> {
  const found: FoundLockfiles = { lockfiles: [], problems: [], missing: [] };
  const seen = new Set<string>();
  const add = (absolute: string, format: LockfileFormat): void => {
    if (seen.has(absolute)) return;
    seen.add(absolute);
    found.lockfiles.push({ absolute, display: displayPath(cwd, absolute), format });
  };
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      found.problems.push({ file: displayPath(cwd, dir), message: `cannot read directory: ${errorCode(err)}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!isSkippedDir(entry.name)) await walk(full);
        continue;
      }
      const format = detectLockfileFormat(full);
      if (format && (entry.isFile() || entry.isSymbolicLink())) add(full, format);
    }
  };
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    let info;
    try {
      info = await stat(absolute);
    } catch (err) {
      found.missing.push({ file: given, message: `cannot read ${given}: ${errorCode(err)}` });
      continue;
    }
    if (info.isDirectory()) {
      await walk(absolute);
      continue;
    }
    // A file named explicitly is read even under another name (a backup, a fixture, a copy from a host): by its
    // content when its name says nothing.
    const format = detectLockfileFormat(absolute) ?? (await sniffFile(absolute));
    if (format) add(absolute, format);
    else {
      found.problems.push({
        file: displayPath(cwd, absolute),
        message: `${displayPath(cwd, absolute)}: neither its name nor its content is that of a lockfile cordon reads (package-lock.json, npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml, bun.lock, requirements*.txt, poetry.lock, uv.lock, Pipfile.lock, Cargo.lock)`,
      });
    }
  }
  return found;
}

async function sniffFile(absolute: string): Promise<LockfileFormat | undefined> {
  try {
    return sniffLockfileFormat(absolute, await readFile(absolute, 'utf8'));
  } catch {
    return undefined; // unreadable: reported as not a lockfile, and the scan goes on
  }
}

/** The path relative to the working directory, as the scan reports it. */
export function displayPath(cwd: string, absolute: string): string {
  return path.relative(cwd, absolute) || path.basename(absolute);
}

function errorCode(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  return code ?? String(err);
}
