import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

import { detectLockfileFormat, isSkippedDir, sniffLockfileFormat, type LockfileFormat } from '../lockfiles';
import { errorCode, isInside, kindOf, readInsideRoot } from './read-inside-root';

/** A lockfile to scan: where it is, how to show it, and its format. */
export interface LockfileLocation {
  absolute: string;
  /** Relative to the working directory. */
  display: string;
  format: LockfileFormat;
  /** The real path of the tree it was found in: it, and any file it includes, is read only from inside it. */
  root: string;
}

/** What walking the scan paths found, and the paths that could not be used. */
export interface FoundLockfiles {
  lockfiles: LockfileLocation[];
  /** Files that could not be used, and files skipped unread (FIFOs, devices, links leaving the tree): one line each. */
  problems: { file: string; message: string }[];
  /** Scan paths that do not exist or cannot be read. */
  missing: { file: string; message: string }[];
}

/**
 * Finds lockfiles: a path naming a file is taken as a lockfile, by its name or else its content (and reported if neither
 * says which); a
 * directory is searched recursively, skipping `node_modules` and `.git`, in name order so output is stable. Symbolic
 * links to directories are not followed, which keeps a link cycle from looping. Only regular files are read: a FIFO
 * or device with a lockfile's name is reported as skipped, and so, when it is read, is a link leaving the tree.
 */
export async function findLockfiles(paths: readonly string[], cwd: string): Promise<FoundLockfiles> {
  const found: FoundLockfiles = { lockfiles: [], problems: [], missing: [] };
  const seen = new Set<string>();
  const add = (absolute: string, format: LockfileFormat, root: string): void => {
    if (seen.has(absolute)) return;
    seen.add(absolute);
    found.lockfiles.push({ absolute, display: displayPath(cwd, absolute), format, root });
  };
  const skip = (absolute: string, why: string): void => {
    const display = displayPath(cwd, absolute);
    found.problems.push({ file: display, message: `${display}: skipped: ${why}` });
  };
  const walk = async (dir: string, root: string): Promise<void> => {
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
        if (!isSkippedDir(entry.name)) await walk(full, root);
        continue;
      }
      const format = detectLockfileFormat(full);
      if (!format) continue;
      // A link is checked when it is read: where it leads may change, and its target decides.
      if (entry.isFile() || entry.isSymbolicLink()) add(full, format, root);
      else skip(full, `${kindOf(entry)}, not a regular file`);
    }
  };
  const realCwd = await realpath(cwd).catch(() => cwd);
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
      await walk(absolute, await realpath(absolute));
      continue;
    }
    if (!info.isFile()) {
      skip(absolute, `${kindOf(info)}, not a regular file`);
      continue;
    }
    // A file named explicitly is read wherever its link leads: the caller chose it. What it includes stays inside the
    // working directory when it is in there, else inside its own folder.
    const real = await realpath(absolute);
    const root = isInside(realCwd, real) ? realCwd : path.dirname(real);
    // A file named explicitly is read even under another name (a backup, a fixture, a copy from a host): by its
    // content when its name says nothing.
    const format = detectLockfileFormat(absolute) ?? (await sniffFile(real, root));
    if (format) add(absolute, format, root);
    else {
      found.problems.push({
        file: displayPath(cwd, absolute),
        message: `${displayPath(cwd, absolute)}: neither its name nor its content is that of a lockfile cordon reads (package-lock.json, npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml, bun.lock, requirements*.txt, poetry.lock, uv.lock, Pipfile.lock, Cargo.lock)`,
      });
    }
  }
  return found;
}

async function sniffFile(real: string, root: string): Promise<LockfileFormat | undefined> {
  const read = await readInsideRoot(real, root);
  // Unreadable: reported as not a lockfile, and the scan goes on.
  return 'text' in read ? sniffLockfileFormat(real, read.text) : undefined;
}

/** The path relative to the working directory, as the scan reports it. */
export function displayPath(cwd: string, absolute: string): string {
  return path.relative(cwd, absolute) || path.basename(absolute);
}
