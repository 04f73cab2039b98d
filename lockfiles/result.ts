import type { LockedPackage, LockfileParseResult, LockfileProblem } from './types';

/** A result with only packages. */
export function packagesResult(packages: LockedPackage[], problems: LockfileProblem[] = []): LockfileParseResult {
  return { packages, requirements: [], problems };
}

/** A result for a file that could not be read at all. */
export function failedResult(message: string, line?: number): LockfileParseResult {
  return { packages: [], requirements: [], problems: [line === undefined ? { message } : { line, message }] };
}

/** "unsupported lockfileVersion 4 (expected …)", or "no lockfileVersion (expected …)" when the field is missing. */
export function unsupportedVersion(version: unknown, expected: string): LockfileParseResult {
  const what = version === undefined ? 'no lockfileVersion' : `unsupported lockfileVersion ${JSON.stringify(version)}`;
  return failedResult(`${what} (expected ${expected})`);
}
