import { packagesResult } from '../result';
import { isObject } from '../lock-values';
import { readPackageTables } from '../text/toml-text';
import type { LockedPackage, LockfileParseResult, LockfileProblem } from '../types';

/**
 * poetry.lock (Poetry 1.x and 2.x): one `[[package]]` table per installed distribution. The lockfile does not say
 * which packages pyproject.toml asked for, so `direct` is left out.
 */
export function parsePoetryLock(_path: string, text: string): LockfileParseResult {
  const read = readPackageTables(text);
  if (!read.ok) return read.result;
  const { tables, lines } = read;
  const problems: LockfileProblem[] = [];
  const packages: LockedPackage[] = [];
  tables.forEach((table, index) => {
    const line = lines[index];
    if (typeof table.name !== 'string' || typeof table.version !== 'string') {
      const message = `[[package]] #${index + 1} lacks a name or version string`;
      problems.push(line === undefined ? { message } : { line, message });
      return;
    }
    const pkg: LockedPackage = { ecosystem: 'PyPI', name: table.name, version: table.version };
    if (line !== undefined) pkg.line = line;
    const source = isObject(table.source) ? table.source : undefined;
    if (source?.type === 'git' && typeof source.resolved_reference === 'string') pkg.commit = source.resolved_reference;
    packages.push(pkg);
  });
  return packagesResult(packages, problems);
}
