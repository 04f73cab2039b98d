// The uv.lock pinner: moves a compromised package back to its last good release by editing uv.lock's text, every
// other byte as uv wrote it, so `uv lock --check` and `uv sync --locked` accept the result.
import * as pep440 from '@renovatebot/pep440';
import { parse as parseToml, TomlError } from 'smol-toml';
import { normalizePyPiName, type PyPiFile, type PyPiProject, type PyPiRegistry } from '../registries';
import { chooseRelease, goodReleases, liveFiles, parseRequiresDist, type RequiresDist } from './choose-release';
import { assembleLock, dropUnreached, readLockBlocks } from './lock-blocks';
import { PinInputError, unchangedPin, type LockPinOptions, type LockPinResult, type PinChange } from '../pin-types';

/** Options of `pinUvLockfile`: `manifestText` is the pyproject.toml beside uv.lock. */
export interface UvPinOptions extends LockPinOptions {
  registry: PyPiRegistry;
}

/** The lock `version` whose layout this pinner writes (any `revision` of it: the fields it writes are in all). */
const LOCK_VERSION = 1;

type Table = Record<string, unknown>;

/** One `[[package]]` of the lock: its parsed table and the text lines it spans (header to the next header). */
interface LockedPackage {
  name: string;
  key: string;
  version: string;
  raw: Table;
  start: number;
  end: number;
  /** The registry it came from (`source = { registry = … }`), undefined for any other source. */
  registry?: string | undefined;
}

/** A reference from one lock entry to another: `{ name = "x", extra = ["y"], marker = "…" }`. */
interface LockRef {
  key: string;
  version?: string | undefined;
  extras: string[];
}

const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);
const tables = (v: unknown): Table[] => (Array.isArray(v) ? v.filter(isTable) : []);
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** smol-toml's parse, its error as the one line a person needs. */
function parseInput(file: 'lockfile' | 'manifest', text: string): Table {
  try {
    return parseToml(text) as Table;
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    const what = err.message.split('\n')[0]!.replace(/^Invalid TOML document:\s*/, '');
    throw new PinInputError(file, `is not valid TOML: line ${err.line}: ${what}`, 'pyproject.toml');
  }
}

/** A TOML basic string: JSON's escapes are TOML's for everything uv writes. */
const quote = (s: string): string => JSON.stringify(s);

// ---- Markers and Python versions as uv writes them ------------------------------------------------------------------

const release = (v: string): number[] => (/^\s*v?(?:\d+!)?(\d+(?:\.\d+)*)/i.exec(v)?.[1] ?? '0').split('.').map(Number);

/** The lowest Python a `requires-python` allows (`>=3.9` is 3.9), or undefined when it has no lower bound. */
function lowestPython(requiresPython: string | undefined): string | undefined {
  const m = /(?:^|,)\s*(>=|>|==|~=)\s*([0-9][0-9.]*)/.exec(requiresPython ?? '');
  return m ? m[2] : undefined;
}

/**
 * An environment marker as uv writes it in a dependency: single quotes, one space around operators, `python_version`
 * comparisons as `python_full_version` ones. Returns `null` when the marker never holds for the lock's Python range
 * (uv leaves the dependency out) and `undefined` when it always does (uv writes no marker). Only a marker of one
 * Python clause is simplified against `requires-python`; others are kept as written.
 */
export function uvMarker(marker: string, requiresPython?: string): string | undefined | null {
  const normalized = marker
    .replace(
      /([A-Za-z_.]+)\s*(===|==|!=|<=|>=|~=|<|>|not\s+in|in)\s*(["'])(.*?)\3/g,
      (_m, v: string, op: string, _q, val: string) => {
        let name = v;
        let value = val;
        if (v === 'python_version' && ['>=', '<', '<=', '>', '==', '!='].includes(op)) {
          name = 'python_full_version';
          if (op === '==' || op === '!=') value = `${val}.*`;
          else if (op === '<=' || op === '>') {
            const r = release(val);
            return `python_full_version ${op === '<=' ? '<' : '>='} '${[r[0], (r[1] ?? 0) + 1].join('.')}'`;
          }
        }
        return `${name} ${op.replace(/\s+/g, ' ')} '${value}'`;
      },
    )
    .replace(/\s+/g, ' ')
    .trim();
  const low = lowestPython(requiresPython);
  const single = /^python_full_version (>=|<) '([0-9.]+)'$/.exec(normalized);
  if (single && low) {
    const [, op, v] = single;
    if (op === '>=' && pep440.compare(v!, low) <= 0) return undefined;
    if (op === '<' && pep440.compare(v!, low) <= 0) return null;
  }
  return normalized;
}

/** Whether a wheel can be installed on some Python the lock allows: uv leaves out the ones that cannot. */
function wheelFitsPython(filename: string, requiresPython: string | undefined): boolean {
  const low = lowestPython(requiresPython);
  const parts = filename.replace(/\.whl$/, '').split('-');
  if (!low || parts.length < 5) return true;
  const [pyTags, abiTags] = [parts.at(-3)!.split('.'), parts.at(-2)!.split('.')];
  const [major, minor] = release(low);
  return pyTags.some((tag) => {
    const m = /^(?:py|cp|pp)(\d)(\d*)$/.exec(tag);
    if (!m) return true;
    const tagMajor = Number(m[1]);
    if (tagMajor !== major) return tagMajor > major!;
    if (m[2] === '' || abiTags.some((a) => a === 'abi3' || a === 'none')) return true;
    return Number(m[2]) >= minor!;
  });
}

/** An upload time as uv writes it: RFC 3339 in UTC, to the millisecond, trailing zeros of the fraction dropped. */
export function uvUploadTime(iso: string): string | undefined {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return undefined;
  return new Date(t)
    .toISOString()
    .replace(/\.(\d*?)0*Z$/, (_m, f: string) => (f ? `.${f}Z` : 'Z'))
    .replace(/\.Z$/, 'Z');
}

// ---- Writing an entry ---------------------------------------------------------------------------------------------

/** What of a file the lock being edited records: uv writes `size` and `upload-time` only when its index gave them. */
interface FileStyle {
  size: boolean;
  uploadTime: boolean;
}

/** One file's inline table: `{ url = …, hash = "sha256:…", size = N, upload-time = "…" }`. */
function fileTable(f: PyPiFile, style: FileStyle): string {
  const uploaded = uvUploadTime(f.upload_time_iso_8601);
  return `{ ${[
    `url = ${quote(f.url)}`,
    `hash = ${quote(`sha256:${f.digests.sha256}`)}`,
    ...(style.size && f.size !== undefined ? [`size = ${f.size}`] : []),
    ...(style.uploadTime && uploaded ? [`upload-time = ${quote(uploaded)}`] : []),
  ].join(', ')} }`;
}

/** The `sdist = …` line and `wheels = [...]` lines uv writes for a release's live files. */
function fileLines(
  files: PyPiFile[],
  style: FileStyle,
  requiresPython: string | undefined,
): { sdist: string[]; wheels: string[] } {
  const unique = [...new Map(files.map((f) => [f.filename, f])).values()].sort((a, b) =>
    byText(a.filename, b.filename),
  );
  const sdist = unique.find((f) => f.packagetype === 'sdist' || /\.(tar\.gz|zip)$/.test(f.filename));
  const wheels = unique.filter((f) => f.filename.endsWith('.whl') && wheelFitsPython(f.filename, requiresPython));
  return {
    sdist: sdist ? [`sdist = ${fileTable(sdist, style)}`] : [],
    wheels: wheels.length > 0 ? ['wheels = [', ...wheels.map((f) => `    ${fileTable(f, style)},`), ']'] : [],
  };
}

/** A dependency reference as uv writes it: `{ name = "x", extra = ["y"], marker = "…" }`. */
function refTable(key: string, extras: string[], marker: string | undefined): string {
  return `{ ${[
    `name = ${quote(key)}`,
    ...(extras.length > 0 ? [`extra = [${extras.map(quote).join(', ')}]`] : []),
    ...(marker ? [`marker = ${quote(marker)}`] : []),
  ].join(', ')} }`;
}

/** The references uv writes for `Requires-Dist` entries: sorted by name, marker-less first, markers kept. */
function refLines(requires: RequiresDist[], requiresPython: string | undefined): { refs: LockRef[]; lines: string[] } {
  const seen = new Map<string, { ref: LockRef; text: string }>();
  for (const d of requires) {
    const marker = d.marker ? uvMarker(d.marker, requiresPython) : undefined;
    if (marker === null) continue;
    const extras = [...new Set(d.extras.map(normalizePyPiName))].sort();
    const text = refTable(d.key, extras, marker);
    seen.set(text, { ref: { key: d.key, extras }, text });
  }
  const list = [...seen.values()].sort((a, b) => byText(a.ref.key, b.ref.key) || byText(a.text, b.text));
  return { refs: list.map((x) => x.ref), lines: list.map((x) => `    ${x.text},`) };
}

// ---- Reading the lock -----------------------------------------------------------------------------------------------

/** What an entry refers to: `dependencies`, every `optional-dependencies` and `dev-dependencies` list. */
function entryRefs(raw: Table, which: 'all' | 'base' = 'all'): LockRef[] {
  const lists: unknown[] = [raw.dependencies];
  if (which === 'all') {
    if (isTable(raw['optional-dependencies'])) lists.push(...Object.values(raw['optional-dependencies']));
    if (isTable(raw['dev-dependencies'])) lists.push(...Object.values(raw['dev-dependencies']));
  }
  return lists.flatMap(tables).map((t) => ({
    key: normalizePyPiName(str(t.name) ?? ''),
    ...(str(t.version) !== undefined ? { version: str(t.version) } : {}),
    extras: strings(t.extra).map(normalizePyPiName),
  }));
}

/** What a project entry (`source = { virtual | editable | directory = … }`) asks in `[package.metadata]`. */
function metadataRequires(raw: Table): RequiresDist[] {
  const metadata = isTable(raw.metadata) ? raw.metadata : {};
  const lists: unknown[] = [metadata['requires-dist']];
  if (isTable(metadata['requires-dev'])) lists.push(...Object.values(metadata['requires-dev']));
  return lists.flatMap(tables).map((t) => {
    const name = str(t.name) ?? '';
    return {
      name,
      key: normalizePyPiName(name),
      extras: strings(t.extras),
      specifier: str(t.specifier) ?? '',
      ...(str(t.marker) ? { marker: str(t.marker)! } : {}),
    };
  });
}

/** What pyproject.toml asks: `[project]` dependencies and optional dependencies, `[dependency-groups]`. */
function pyprojectRequires(pyproject: Table): RequiresDist[] {
  const project = isTable(pyproject.project) ? pyproject.project : {};
  const lists: unknown[] = [project.dependencies];
  if (isTable(project['optional-dependencies'])) lists.push(...Object.values(project['optional-dependencies']));
  if (isTable(pyproject['dependency-groups'])) lists.push(...Object.values(pyproject['dependency-groups']));
  return lists
    .flatMap(strings)
    .map(parseRequiresDist)
    .filter((d) => d !== undefined);
}

// ---- Editing a block's text -----------------------------------------------------------------------------------------

/** Where a block's top-level keys end: at its first sub-table header, else before its trailing blank lines. */
function topEnd(lines: string[]): number {
  const sub = lines.findIndex((l, i) => i > 0 && l.startsWith('['));
  let end = sub < 0 ? lines.length : sub;
  while (end > 1 && lines[end - 1]!.trim() === '') end--;
  return end;
}

/** The line span `[from, to)` of a top-level key of a block (a multi-line array included), or undefined. */
function keySpan(lines: string[], key: string): [number, number] | undefined {
  const end = topEnd(lines);
  const at = lines.findIndex((l, i) => i > 0 && i < end && new RegExp(`^${key}\\s*=`).test(l));
  if (at < 0) return undefined;
  let to = at;
  if (/=\s*\[\s*$/.test(lines[at]!)) while (to + 1 < lines.length && !/^\]\s*$/.test(lines[to]!)) to++;
  return [at, to + 1];
}

/** uv's order of an entry's top-level keys. */
const KEY_ORDER = ['name', 'version', 'source', 'resolution-markers', 'dependencies', 'sdist', 'wheels'];

/** Replaces, adds (in uv's key order) or removes (`[]`) a top-level key of a block. */
function setKey(lines: string[], key: string, value: string[]): string[] {
  const span = keySpan(lines, key);
  if (span) return [...lines.slice(0, span[0]), ...value, ...lines.slice(span[1])];
  if (value.length === 0) return lines;
  const later = KEY_ORDER.slice(KEY_ORDER.indexOf(key) + 1)
    .map((k) => keySpan(lines, k)?.[0])
    .filter((i) => i !== undefined);
  const at = later.length > 0 ? Math.min(...later) : topEnd(lines);
  return [...lines.slice(0, at), ...value, ...lines.slice(at)];
}

/** Replaces, adds (before the other sub-tables) or removes a `[package.optional-dependencies]` sub-table. */
function setOptional(lines: string[], body: string[]): string[] {
  const at = lines.findIndex((l) => l.trim() === '[package.optional-dependencies]');
  if (at >= 0) {
    let end = at + 1;
    while (end < lines.length && !lines[end]!.startsWith('[')) end++;
    while (end > at + 1 && lines[end - 1]!.trim() === '') end--;
    let next = end;
    while (next < lines.length && lines[next]!.trim() === '') next++;
    if (body.length > 0) return [...lines.slice(0, at + 1), ...body, ...lines.slice(end)];
    const rest = lines.slice(next);
    const before = lines.slice(0, at);
    return rest.length > 0
      ? [...before, ...rest]
      : before.length > 0
        ? [...before.slice(0, -1), ...lines.slice(end)]
        : before;
  }
  if (body.length === 0) return lines;
  const end = topEnd(lines);
  const piece = ['', '[package.optional-dependencies]', ...body];
  return [...lines.slice(0, end), ...piece, ...lines.slice(end)];
}

// ---- The pin --------------------------------------------------------------------------------------------------------

/** What a release declares: its `Requires-Dist` entries and Python requirement. */
async function releaseFacts(registry: PyPiRegistry, doc: PyPiProject, name: string, version: string) {
  const info = (await registry.release(name, version)).info as {
    requires_dist?: string[] | null;
    requires_python?: string | null;
  };
  const requires = (info.requires_dist ?? []).map(parseRequiresDist).filter((d) => d !== undefined);
  const requiresPython =
    info.requires_python ?? liveFiles(doc, version).find((f) => f.requires_python)?.requires_python ?? null;
  return { requires, requiresPython };
}

/** A release's `dependencies` and `[package.optional-dependencies]` lines for the extras the lock activates. */
function dependencyLines(requires: RequiresDist[], extras: string[], requiresPython: string | undefined) {
  const base = refLines(
    requires.filter((d) => d.extra === undefined),
    requiresPython,
  );
  const optional: string[] = [];
  const optionalRefs: LockRef[] = [];
  for (const extra of [...new Set(extras)].sort()) {
    const list = refLines(
      requires.filter((d) => d.extra !== undefined && normalizePyPiName(d.extra) === extra),
      requiresPython,
    );
    if (list.lines.length === 0) continue;
    optional.push(`${/^[A-Za-z0-9_-]+$/.test(extra) ? extra : quote(extra)} = [`, ...list.lines, ']');
    optionalRefs.push(...list.refs);
  }
  return {
    dependencies: base.lines.length > 0 ? ['dependencies = [', ...base.lines, ']'] : [],
    optional,
    refs: [...base.refs, ...optionalRefs],
  };
}

/** Whether a release's Python requirement allows every Python the lock covers (checked at its lowest). */
function allowsLockPython(requiresPython: string | null, lockPython: string | undefined): boolean {
  const low = lowestPython(lockPython);
  if (!requiresPython?.trim() || !low) return true;
  try {
    return pep440.satisfies(low, requiresPython) !== false;
  } catch {
    return true;
  }
}

/**
 * Pins a uv.lock (`version = 1`, any revision) by editing its text, every other byte as uv wrote it: each registry
 * `[[package]]` locked at an affected version moves to its last good release — the highest final release below the
 * bad one that no advisory affects, whose files were all uploaded before the exposure window, that meets what the
 * project (`[package.metadata] requires-dist`, pyproject.toml) and the other locked packages (their releases'
 * `Requires-Dist`) require of it and allows the lock's Python range (else the lowest such release above it) — with
 * that release's `sdist` and `wheels` (URL and sha256 from the index, which `uv sync` checks; `size` and
 * `upload-time` when the lock records them) and its `dependencies` from its metadata. Packages only the bad release
 * needed (walked from the project entries) are removed; what the good release needs that the lock lacks is added in
 * sorted position. The project's own entry and pyproject.toml are never edited: when they exclude the good release the
 * package is left as is and the problem says to run `uv lock`.
 */
export async function pinUvLockfile(options: UvPinOptions): Promise<LockPinResult> {
  const { registry, affected, publishedBefore } = options;
  const unchanged = (problems: string[]): LockPinResult => unchangedPin(options, problems);
  const crlf = options.lockText.includes('\r\n');
  const text = crlf ? options.lockText.replace(/\r\n/g, '\n') : options.lockText;
  const doc = parseInput('lockfile', text);
  const pyproject = options.manifestText !== undefined ? parseInput('manifest', options.manifestText) : undefined;
  if (doc.version !== LOCK_VERSION)
    return unchanged([
      `uv.lock has version ${String(doc.version ?? '(none)')}, which cordon does not rewrite: run \`uv lock\` with uv 0.4 or later, then pin again`,
    ]);
  const lockPython = str(doc['requires-python']);

  const lines = text.split('\n');
  const read = readLockBlocks(lines, tables(doc.package), () => lines.length);
  if (!read)
    return unchanged(['uv.lock is not laid out as uv writes it (one `[[package]]` header per entry): run `uv lock`']);
  const packages: LockedPackage[] = read.map((b) => {
    const source = isTable(b.raw.source) ? b.raw.source : {};
    return {
      ...b,
      raw: b.raw as Table,
      ...(str(source.registry) !== undefined ? { registry: str(source.registry) } : {}),
    };
  });
  const pathOf = (p: LockedPackage) => `uv.lock [[package]] ${p.name} (line ${p.start + 1})`;
  const roots = packages.filter((p) => {
    const source = isTable(p.raw.source) ? p.raw.source : {};
    return 'virtual' in source || 'editable' in source || 'directory' in source;
  });
  /** What the project asks of each package, as written (its lock metadata and pyproject.toml alike). */
  const projectAsks = new Map<string, string[]>();
  for (const d of [
    ...roots.flatMap((r) => metadataRequires(r.raw)),
    ...(pyproject ? pyprojectRequires(pyproject) : []),
  ])
    if (d.specifier.trim() !== '')
      projectAsks.set(d.key, [...new Set([...(projectAsks.get(d.key) ?? []), d.specifier])]);
  const lockedVersions = (key: string) => packages.filter((p) => p.key === key).map((p) => p.version);

  const problems: string[] = [];
  const unpinned = new Map<number, string>();
  const changes: PinChange[] = [];
  const added: string[] = [];
  const removed: string[] = [];
  /** Rewritten blocks by start line; `[]` removes the block. */
  const blocks = new Map<number, string[]>();
  /** What each pinned entry refers to after the pin, by start line. */
  const newRefs = new Map<number, LockRef[]>();
  /** The good release's `Requires-Dist` of each pinned entry, by start line. */
  const newRequires = new Map<number, RequiresDist[]>();
  /** The style of the lock's file tables: taken from the entries uv wrote. */
  const fileStyle = (raw: Table): FileStyle => {
    const files = [...(isTable(raw.sdist) ? [raw.sdist] : []), ...tables(raw.wheels)];
    return { size: files.some((f) => 'size' in f), uploadTime: files.some((f) => 'upload-time' in f) };
  };

  for (const p of packages) {
    if (!p.name || !affected(p.name, p.version)) continue;
    const label = `${p.name} ${p.version}`;
    if (p.registry === undefined) {
      problems.push(`${label} does not come from a package index: pin it by hand`);
      continue;
    }
    if (lockedVersions(p.key).length > 1) {
      problems.push(
        `${label}: uv.lock holds ${p.name} at more than one version (a forked resolution): pin it in pyproject.toml and run \`uv lock\``,
      );
      continue;
    }
    const project = await registry.project(p.name);
    const fromOthers: string[] = [];
    for (const q of packages) {
      if (q.key === p.key || !entryRefs(q.raw).some((r) => r.key === p.key) || q.registry === undefined) continue;
      const facts = await releaseFacts(registry, await registry.project(q.name), q.name, q.version);
      for (const d of facts.requires) if (d.key === p.key && d.specifier.trim()) fromOthers.push(d.specifier);
    }
    const own = projectAsks.get(p.key) ?? [];
    const base = goodReleases(project, (v) => affected(p.name, v), publishedBefore, fromOthers);
    const chosen = await chooseRelease({
      name: p.name,
      bad: p.version,
      label,
      base,
      own,
      allows: (spec, v) => pep440.satisfies(v, spec),
      fromOthers,
      facts: (v) => releaseFacts(registry, project, p.name, v),
      conflict: (v, facts) => {
        if (!allowsLockPython(facts.requiresPython, lockPython))
          return `${p.name} ${v} requires Python ${facts.requiresPython}`;
        // A dependency the lock holds at a version the release does not accept needs a new resolve, not an edit.
        const clash = facts.requires.find(
          (d) =>
            d.extra === undefined &&
            !d.marker &&
            lockedVersions(d.key).length > 0 &&
            !lockedVersions(d.key).some((lv) => d.specifier.trim() === '' || pep440.satisfies(lv, d.specifier)),
        );
        return clash ? `${p.name} ${v} requires ${clash.name} ${clash.specifier}` : undefined;
      },
      tool: 'uv',
      registryUrl: registry.url,
    });
    if ('problem' in chosen) {
      unpinned.set(p.start, chosen.problem);
      continue;
    }
    const { version: good, facts } = chosen;
    const files = fileLines(liveFiles(project, good), fileStyle(p.raw), lockPython);
    if (files.sdist.length === 0 && files.wheels.length === 0) {
      problems.push(`${p.name} ${good}: the index lists no files to lock: pin it by hand`);
      continue;
    }
    const activeExtras = isTable(p.raw['optional-dependencies']) ? Object.keys(p.raw['optional-dependencies']) : [];
    const deps = dependencyLines(facts.requires, activeExtras.map(normalizePyPiName), lockPython);
    let block = lines.slice(p.start, p.end);
    block = setKey(block, 'version', [`version = ${quote(good)}`]);
    block = setKey(block, 'dependencies', deps.dependencies);
    block = setKey(block, 'sdist', files.sdist);
    block = setKey(block, 'wheels', files.wheels);
    block = setOptional(block, deps.optional);
    blocks.set(p.start, block);
    newRefs.set(p.start, deps.refs);
    newRequires.set(p.start, facts.requires);
    changes.push({
      package: p.name,
      from: p.version,
      to: good,
      paths: [pathOf(p)],
    });
  }
  if (changes.length === 0) return unchanged([...problems, ...unpinned.values()]);

  // Dropped: entries the project entries reached through the bad releases and no longer reach through the good ones.
  const reach = (after: boolean): Set<string> => {
    const seen = new Set<string>(roots.map((r) => r.key));
    const queue = roots.flatMap((r) => entryRefs(r.raw));
    while (queue.length > 0) {
      const ref = queue.shift()!;
      if (seen.has(ref.key)) continue;
      seen.add(ref.key);
      for (const p of packages.filter((q) => q.key === ref.key))
        queue.push(...((after ? newRefs.get(p.start) : undefined) ?? entryRefs(p.raw)));
    }
    return seen;
  };
  if (roots.length > 0) {
    const before = reach(false);
    const after = reach(true);
    dropUnreached(packages, before, after, { blocks, unpinned, changes, removed }, pathOf);
  } else {
    problems.push(
      'uv.lock has no project entry (`source = { virtual = "." }` or `editable = "."`), so entries only the bad releases needed were not looked for: run `uv lock` to drop them',
    );
  }
  problems.push(...unpinned.values());

  // Missing: what the good releases need that the lock lacks, added as uv writes an entry.
  const present = new Set(packages.filter((p) => blocks.get(p.start)?.length !== 0).map((p) => p.key));
  const sourceLine = (p: LockedPackage) => lines.slice(p.start, p.end).find((l) => /^source\s*=/.test(l))!;
  const askOf = (requires: RequiresDist[], key: string) =>
    requires
      .filter((d) => d.key === key)
      .map((d) => d.specifier)
      .filter((s) => s.trim() !== '');
  const queue: Array<{ ref: LockRef; specs: string[]; parent: string; source: string }> = [];
  for (const p of packages)
    if (blocks.get(p.start)?.length !== 0)
      for (const ref of newRefs.get(p.start) ?? [])
        queue.push({ ref, specs: askOf(newRequires.get(p.start)!, ref.key), parent: p.name, source: sourceLine(p) });
  const style = fileStyle(packages.find((p) => p.registry !== undefined)?.raw ?? {});
  const additions: Array<{ key: string; lines: string[] }> = [];
  while (queue.length > 0) {
    const { ref, specs, parent, source } = queue.shift()!;
    if (present.has(ref.key)) continue;
    present.add(ref.key);
    const project = await registry.project(ref.key);
    const version = goodReleases(project, (v) => affected(ref.key, v), publishedBefore, specs).at(-1);
    if (!version) {
      problems.push(
        `${parent} needs ${ref.key} ${specs.join(',') || '*'}, and no good release of it qualifies: add it to pyproject.toml and run \`uv lock\``,
      );
      continue;
    }
    const facts = await releaseFacts(registry, project, ref.key, version);
    const files = fileLines(liveFiles(project, version), style, lockPython);
    const deps = dependencyLines(facts.requires, ref.extras, lockPython);
    additions.push({
      key: ref.key,
      lines: [
        '[[package]]',
        `name = ${quote(ref.key)}`,
        `version = ${quote(version)}`,
        source,
        ...deps.dependencies,
        ...files.sdist,
        ...files.wheels,
        ...(deps.optional.length > 0 ? ['', '[package.optional-dependencies]', ...deps.optional] : []),
        '',
      ],
    });
    added.push(`${ref.key}@${version}`);
    for (const r of deps.refs) queue.push({ ref: r, specs: askOf(facts.requires, r.key), parent: ref.key, source });
  }

  // Every block ends with one empty line (the blank between entries, or the file's final newline), as do additions.
  const out = assembleLock(lines, packages, blocks, additions, lines.length);
  const lockText = out.join('\n');
  return {
    lockText: crlf ? lockText.replace(/\n/g, '\r\n') : lockText,
    ...(options.manifestText !== undefined ? { manifestText: options.manifestText } : {}),
    changes,
    added: added.sort(),
    removed,
    problems,
  };
}
