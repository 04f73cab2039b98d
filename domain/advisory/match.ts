import {
  pypiSatisfies,
  pypiSpecifierVersions,
  semverVersions,
  versionSchemeFor,
  type VersionScheme,
} from '../versions';
import { baseEcosystem } from './ecosystem';
import type { AffectedPackage, AffectedRange, RangeEvent } from './types';

/**
 * Whether `version` of the package is one an advisory entry names, with the ecosystem's own semantics: listed
 * versions compare equal under the ecosystem's ordering (PyPI `1.0` is `1.0.0`), `SEMVER` ranges use SemVer 2.0 and
 * `ECOSYSTEM` ranges the ecosystem's scheme. A version the scheme cannot order (a git URL, an empty string) can only
 * match a listed version spelled exactly the same.
 */
export function versionAffected(affected: AffectedPackage, version: string): boolean {
  if (affected.versions.includes(version)) return true;
  const scheme = versionSchemeFor(baseEcosystem(affected.ecosystem));
  if (scheme?.valid(version)) {
    for (const listed of affected.versions) {
      if (scheme.valid(listed) && scheme.compare(listed, version) === 0) return true;
    }
  }
  return affected.ranges.some((range) => {
    const rangeScheme = range.type === 'SEMVER' ? semverVersions : range.type === 'ECOSYSTEM' ? scheme : undefined;
    return rangeScheme !== undefined && rangeScheme.valid(version) && inRange(range, version, rangeScheme);
  });
}

/**
 * The OSV evaluation (https://ossf.github.io/osv-schema/#evaluation): sort events by version, `introduced: "0"` first;
 * walking up, `introduced` at or below the version turns it affected, `fixed` at or below and `last_affected` below
 * turn it unaffected. A range with an event the scheme cannot order is skipped whole: dropping only that event could
 * turn "fixed in X" into "affected forever".
 */
function inRange(range: AffectedRange, version: string, scheme: VersionScheme): boolean {
  const events = range.events.filter((e) => !('limit' in e));
  if (events.some((e) => !isZero(e) && !scheme.valid(eventVersion(e)))) return false;
  const sorted = [...events].sort((a, b) => {
    if (isZero(a) || isZero(b)) return Number(isZero(b)) - Number(isZero(a));
    return scheme.compare(eventVersion(a), eventVersion(b));
  });
  let affected = false;
  for (const event of sorted) {
    if ('introduced' in event) {
      if (isZero(event) || scheme.compare(version, event.introduced) >= 0) affected = true;
    } else if ('fixed' in event) {
      if (scheme.compare(version, event.fixed) >= 0) affected = false;
    } else if ('last_affected' in event) {
      if (scheme.compare(version, event.last_affected) > 0) affected = false;
    }
  }
  return affected;
}

function isZero(event: RangeEvent): boolean {
  return 'introduced' in event && event.introduced === '0';
}

function eventVersion(event: RangeEvent): string {
  if ('introduced' in event) return event.introduced;
  if ('fixed' in event) return event.fixed;
  if ('last_affected' in event) return event.last_affected;
  return event.limit;
}

/**
 * For an unpinned PyPI requirement (`keyring >= 4.1.1`, bare `pytest`): an affected version the requirement admits,
 * i.e. one a fresh `pip install` could resolve to, or undefined if none. Candidates are the listed versions, the range
 * boundaries and the versions the specifier itself names; two intervals overlap exactly when one's lower end lies in
 * the other, so this finds the overlap except at open lower ends (`>1.2` against a range introduced at 1.2).
 */
export function affectedVersionAdmitted(affected: AffectedPackage, specifier: string): string | undefined {
  if (baseEcosystem(affected.ecosystem) !== 'PyPI') return undefined;
  const candidates = [
    ...affected.versions,
    ...affected.ranges.flatMap((r) =>
      r.events.filter((e) => 'introduced' in e || 'last_affected' in e).map(eventVersion),
    ),
    ...pypiSpecifierVersions(specifier),
  ];
  return candidates.find((v) => pypiSatisfies(v, specifier) && versionAffected(affected, v));
}
