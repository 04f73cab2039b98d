// Choosing a PyPI project's last good release and reading what it requires: shared by the Python lockfile pinners.
import * as pep440 from '@renovatebot/pep440';
import { normalizePyPiName, type PyPiFile, type PyPiProject } from '../registries';

/** One `Requires-Dist` entry: name as written, normalized key, extras asked of it, specifier, marker, and its extra. */
export interface RequiresDist {
  name: string;
  key: string;
  /** Extras asked of the dependency (`requests[socks]`). */
  extras: string[];
  /** The PEP 440 specifier, `''` for any version. */
  specifier: string;
  /** The environment marker without its `extra == "…"` clause, if any is left. */
  marker?: string;
  /** The extra of the requiring package that brings this dependency in, if it is one. */
  extra?: string;
}

const EXTRA_CLAUSE = /^\s*extra\s*==\s*(["'])([^"']*)\1\s*$/;

/**
 * Splits a `Requires-Dist` value (`urllib3 (<3,>=1.21.1) ; python_version >= "3.8"`) into its parts. An
 * `extra == "x"` marker is taken out into `extra` when it is the marker or one `and` clause of it.
 */
export function parseRequiresDist(value: string): RequiresDist | undefined {
  const [spec = '', ...markerParts] = value.split(';');
  let marker = markerParts.join(';').trim();
  const m = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?\s*\(?([^)]*)\)?\s*$/.exec(spec);
  if (!m) return undefined;
  let extra: string | undefined;
  if (/\bextra\s*==/.test(marker)) {
    const clauses = marker.split(/\s+and\s+/);
    const at = clauses.findIndex((c) => EXTRA_CLAUSE.test(c.replace(/^\(+|\)+$/g, '')));
    if (at < 0 || /\bor\b/.test(marker)) return { ...base(m), extra: '*', ...(marker ? { marker } : {}) };
    extra = EXTRA_CLAUSE.exec(clauses[at]!.replace(/^\(+|\)+$/g, ''))![2]!;
    marker = clauses.filter((_, i) => i !== at).join(' and ');
  }
  return { ...base(m), ...(marker ? { marker } : {}), ...(extra !== undefined ? { extra } : {}) };
}

function base(m: RegExpExecArray): Omit<RequiresDist, 'marker' | 'extra'> {
  const name = m[1]!;
  const extras = (m[2] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  return { name, key: normalizePyPiName(name), extras, specifier: m[3]!.trim() };
}

/** The files of a release an installer may take: not yanked. */
export const liveFiles = (doc: PyPiProject, version: string): PyPiFile[] =>
  (doc.releases[version] ?? []).filter((f) => !f.yanked);

/** When a release was complete: its last live file's upload (a file added later, inside the window, disqualifies it). */
export function lastUploadAt(doc: PyPiProject, version: string): string | undefined {
  return liveFiles(doc, version)
    .map((f) => f.upload_time_iso_8601)
    .sort()
    .at(-1);
}

/**
 * Final releases that no advisory affects, have live files all uploaded before `publishedBefore`, and meet every
 * specifier (PEP 440 specifier sets; `''` allows any), lowest first.
 */
export function goodReleases(
  doc: PyPiProject,
  affected: (version: string) => boolean,
  publishedBefore: string | undefined,
  specifiers: string[],
): string[] {
  return Object.keys(doc.releases)
    .filter((v) => pep440.valid(v) && !pep440.explain(v)?.is_prerelease && !affected(v))
    .filter((v) => {
      const at = lastUploadAt(doc, v);
      return at !== undefined && (!publishedBefore || Date.parse(at) < Date.parse(publishedBefore));
    })
    .filter((v) => specifiers.every((s) => s.trim() === '' || pep440.satisfies(v, s)))
    .sort(pep440.compare);
}

/** The last good release in place of `bad`: the highest good one below it, else the lowest above it. */
export function lastGoodRelease(candidates: string[], bad: string): string | undefined {
  return candidates.filter((v) => pep440.lt(v, bad)).at(-1) ?? candidates.find((v) => pep440.gt(v, bad));
}

/** What `chooseRelease` needs to pick a lock entry's replacement. */
export interface ReleaseChoice<F> {
  /** The package and its bad version, and `name version` for messages. */
  name: string;
  bad: string;
  label: string;
  /** Good releases (see `goodReleases`) the other locked packages allow, lowest first. */
  base: string[];
  /** What the project's own manifest asks of the package, and whether a version meets one such constraint. */
  own: string[];
  allows(constraint: string, version: string): boolean;
  /** What the other locked packages ask of it, for messages. */
  fromOthers: string[];
  /** The release's facts (files, requirements), read once per candidate. */
  facts(version: string): Promise<F>;
  /** Why a candidate cannot be locked without a new resolve (a dependency the lock holds at another version). */
  conflict(version: string, facts: F): string | undefined;
  /** The lock tool (`poetry`, `uv`) and the index, for messages. */
  tool: string;
  registryUrl: string;
}

/**
 * The release to lock in place of a bad one: the first candidate without a conflict, preferring the highest below
 * the bad release, then the lowest above it; or, when none fits, why — the manifest's constraint excludes the good
 * release, every candidate conflicts with the lock, or no release is good at all.
 */
export async function chooseRelease<F>(
  c: ReleaseChoice<F>,
): Promise<{ version: string; facts: F } | { problem: string }> {
  const allowed = c.base.filter((v) => c.own.every((o) => c.allows(o, v)));
  const ordered = [
    ...allowed.filter((v) => pep440.lt(v, c.bad)).reverse(),
    ...allowed.filter((v) => pep440.gt(v, c.bad)),
  ];
  const conflicts: string[] = [];
  for (const version of ordered) {
    const facts = await c.facts(version);
    const conflict = c.conflict(version, facts);
    if (conflict === undefined) return { version, facts };
    conflicts.push(conflict);
  }
  const excludedGood = lastGoodRelease(c.base, c.bad);
  if (allowed.length === 0 && excludedGood)
    return {
      problem: `pyproject.toml requires ${c.name} ${c.own.join(', ')}, which excludes ${excludedGood}: change it and run \`${c.tool} lock\``,
    };
  if (conflicts.length > 0)
    return {
      problem: `${c.label}: ${conflicts.join('; ')}, which the lock does not hold: pin it in pyproject.toml and run \`${c.tool} lock\``,
    };
  return {
    problem:
      `${c.label}: no release on ${c.registryUrl} is unaffected, published before the window` +
      (c.fromOthers.length > 0 ? ` and allowed by ${c.fromOthers.join(', ')}` : '') +
      ': remove or replace the dependency by hand',
  };
}
