import { parseJsonText } from '../../domain/text/json-syntax';
import { JsonKeyLocator } from '../text/json-keys';
import { isObject } from '../lock-values';
import { failedResult, packagesResult } from '../result';
import type { LockedPackage, LockfileParseResult, LockfileProblem } from '../types';

/**
 * Pipfile.lock (pipenv): `default` and `develop` map each locked distribution to `{ "version": "==1.2.3", … }`; git
 * dependencies carry `git` and `ref` instead of a version. Every locked distribution is listed flat, so which ones the
 * Pipfile asked for is not known here.
 */
export function parsePipfileLock(_path: string, text: string): LockfileParseResult {
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const { line, column, message } = parsed.error;
    return failedResult(`not valid JSON at column ${column}: ${message}`, line);
  }
  const lock = parsed.value;
  if (!isObject(lock) || (!isObject(lock.default) && !isObject(lock.develop))) {
    return failedResult('expected a JSON object with "default" and/or "develop" sections', 1);
  }
  const problems: LockfileProblem[] = [];
  const packages: LockedPackage[] = [];
  const keys = new JsonKeyLocator(text);
  for (const section of ['default', 'develop'] as const) {
    const entries = lock[section];
    if (!isObject(entries)) continue;
    keys.next(section, '{', 0);
    for (const [name, entry] of Object.entries(entries)) {
      const line = keys.next(name, '{');
      if (!isObject(entry)) {
        problems.push(
          line === undefined
            ? { message: `"${section}.${name}" is not an object` }
            : { line, message: `"${section}.${name}" is not an object` },
        );
        continue;
      }
      const version = typeof entry.version === 'string' ? entry.version.replace(/^===?/, '') : '';
      const pkg: LockedPackage = { ecosystem: 'PyPI', name, version };
      if (line !== undefined) pkg.line = line;
      if (typeof entry.ref === 'string' && /^[0-9a-f]{40}$/.test(entry.ref)) pkg.commit = entry.ref;
      packages.push(pkg);
    }
  }
  return packagesResult(packages, problems);
}
