import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

import { parseIocCsv, parseOsvJson, type Advisory, type AdvisoryProblem } from '../domain/advisory';

/** Advisories read from `--advisory` paths, what could not be read, and withdrawn records skipped. */
export interface LoadedAdvisories {
  advisories: Advisory[];
  problems: AdvisoryProblem[];
  withdrawn: string[];
  /** Advisory paths that do not exist or cannot be read at all: bad input, not bad content. */
  unreadable: AdvisoryProblem[];
}

const SKIPPED_DIRS = new Set(['node_modules', '.git']);

/**
 * Reads OSV JSON records and IOC CSV lists from files or directory trees (`*.json` and `*.csv` files in them).
 * Paths in messages and ids of IOC lists are relative to `cwd`. An advisory id seen twice is kept once (first wins),
 * so overlapping directories do not double every finding.
 */
export async function loadAdvisories(inputs: readonly string[], cwd: string): Promise<LoadedAdvisories> {
  const out: LoadedAdvisories = { advisories: [], problems: [], withdrawn: [], unreadable: [] };
  const seen = new Set<string>();
  for (const input of inputs) {
    const absolute = path.resolve(cwd, input);
    let files: string[];
    try {
      files = (await stat(absolute)).isDirectory() ? await advisoryFiles(absolute) : [absolute];
    } catch (err) {
      out.unreadable.push({ source: input, message: `cannot read advisory path ${input}: ${reason(err)}` });
      continue;
    }
    for (const file of files) {
      const source = path.relative(cwd, file) || file;
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        out.unreadable.push({ source, message: `cannot read advisory file ${source}: ${reason(err)}` });
        continue;
      }
      const parsed = looksLikeCsv(file, text) ? parseIocCsv(source, text) : parseOsvJson(source, text);
      out.problems.push(...parsed.problems);
      out.withdrawn.push(...parsed.withdrawn);
      for (const advisory of parsed.advisories) {
        if (seen.has(advisory.id)) continue;
        seen.add(advisory.id);
        out.advisories.push(advisory);
      }
    }
  }
  return out;
}

async function advisoryFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) files.push(...(await advisoryFiles(full)));
    } else if (/\.(?:json|csv)$/i.test(entry.name)) {
      files.push(full);
    }
  }
  return files;
}

/** `.csv` files are IOC lists, `.json` files OSV; anything else given by name is judged by its first character. */
function looksLikeCsv(file: string, text: string): boolean {
  if (/\.csv$/i.test(file)) return true;
  if (/\.json$/i.test(file)) return false;
  const first = text.trimStart()[0];
  return first !== '{' && first !== '[';
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  return code ?? (err as Error).message;
}
