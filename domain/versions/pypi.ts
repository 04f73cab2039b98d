import * as pep440 from '@renovatebot/pep440';
import { parse as parseSpecifier } from '@renovatebot/pep440/lib/specifier';

import type { VersionScheme } from './scheme';

/** PyPI versions follow PEP 440 (https://peps.python.org/pep-0440/): `1.0 == 1.0.0`, epochs, pre/post/dev releases. */
export const pypiVersions: VersionScheme = {
  ecosystem: 'PyPI',
  valid: (version) => pep440.valid(version) !== null,
  compare: (a, b) => pep440.compare(a, b),
};

/** Whether `version` is admitted by a PEP 440 specifier set such as `>=2.8.1, ==2.8.*`; the empty set admits all. */
export function pypiSatisfies(version: string, specifier: string): boolean {
  if (specifier.trim() === '') return pep440.valid(version) !== null;
  // Pre-releases count: a requirement that would admit a malicious pre-release is still exposed to it.
  return pep440.satisfies(version, specifier, { prereleases: true });
}

/** The versions named by the clauses of a specifier set (`>=1.2, <2` gives `1.2` and `2`); empty if unparseable. */
export function pypiSpecifierVersions(specifier: string): string[] {
  if (specifier.trim() === '') return [];
  // The library's types say an array, but it returns null for text it cannot parse.
  const clauses = parseSpecifier(specifier) as ReturnType<typeof parseSpecifier> | null;
  return clauses ? clauses.map((c) => c.version) : [];
}

/** Whether a specifier set parses as PEP 440 at all. */
export function pypiValidSpecifier(specifier: string): boolean {
  return specifier.trim() === '' || pep440.validRange(specifier);
}
