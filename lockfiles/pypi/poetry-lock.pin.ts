import * as pep440 from '@renovatebot/pep440';
import { parse as parseToml, TomlError } from 'smol-toml';
import { normalizePyPiName, type PyPiProject, type PyPiRegistry } from '../registries';
import { chooseRelease, goodReleases, liveFiles, parseRequiresDist, type RequiresDist } from './choose-release';
import { assembleLock, dropUnreached, readLockBlocks } from './lock-blocks';
import { PinInputError, unchangedPin, type LockPinOptions, type LockPinResult, type PinChange } from '../pin-types';

/** Options of `pinPoetryLockfile`: `manifestText` is the pyproject.toml beside poetry.lock. */
export interface PoetryPinOptions extends LockPinOptions {
  registry: PyPiRegistry;
}

/** The lock versions whose layout (`files` inline, `[package.dependencies]` tables) this pinner writes. */
const LOCK_VERSIONS = ['2.0', '2.1'];

type Table = Record<string, unknown>;

/** One `[[package]]` of the lock: its parsed table and the text lines it spans (header to the next header). */
interface LockedPackage {
  name: string;
  key: string;
  version: string;
  raw: Table;
  start: number;
  end: number;
}

/** A dependency as a lock entry names it: normalized key, Poetry constraint, extras asked of it. */
interface LockDep {
  key: string;
  constraint: string;
  extras: string[];
}

/** What pyproject.toml asks of one package: the constraints as written. */
interface ProjectDep {
  key: string;
  constraints: string[];
  extras: string[];
}

const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);

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

/** A TOML basic string: JSON's escapes are TOML's for everything Poetry writes. */
const quote = (s: string): string => JSON.stringify(s);
/** A TOML key: bare when it can be, quoted otherwise (`"Dep.X"`). */
const tomlKey = (k: string): string => (/^[A-Za-z0-9_-]+$/.test(k) ? k : quote(k));

// ---- Constraints: Poetry's syntax in, Poetry's syntax out ---------------------------------------------------------

const release = (v: string): number[] => (/^\s*v?(?:\d+!)?(\d+(?:\.\d+)*)/i.exec(v)?.[1] ?? '0').split('.').map(Number);

/** `^V`'s exclusive upper bound: the first non-zero component (or the last given) raised by one. */
function caretUpper(v: string): string {
  const r = release(v);
  let i = r.findIndex((n) => n !== 0);
  if (i < 0) i = r.length - 1;
  return [...r.slice(0, i), r[i]! + 1].join('.');
}

/** `~V`'s exclusive upper bound: `~1` is `<2`, `~1.2` and `~1.2.3` are `<1.3`. */
function tildeUpper(v: string): string {
  const r = release(v);
  return r.length === 1 ? `${r[0]! + 1}` : `${r[0]}.${r[1]! + 1}`;
}

/** One Poetry or PEP 440 constraint clause as PEP 440 specifiers, or undefined for "any". */
function clauseSpecifiers(clause: string): string[] | undefined {
  const c = clause.trim();
  if (c === '' || c === '*') return undefined;
  if (c.startsWith('^')) return [`>=${c.slice(1).trim()}`, `<${caretUpper(c.slice(1))}`];
  if (c.startsWith('~') && !c.startsWith('~=')) return [`>=${c.slice(1).trim()}`, `<${tildeUpper(c.slice(1))}`];
  if (/^(===|==|!=|<=|>=|<|>|~=)/.test(c)) return [c.replace(/\s+/g, '')];
  return [`==${c}`];
}

/**
 * Whether `version` meets a constraint written in Poetry's syntax (`^1.2`, `~1.2`, `>=1,<2`, `1.0`, `<1.5 || >1.5`)
 * or as a PEP 440 specifier set. A constraint it cannot read allows everything: it never blocks a pin on its own.
 */
export function allowsVersion(constraint: string, version: string): boolean {
  const parts = constraint.split('||');
  return parts.some((part) => {
    const clauses = part
      .split(/,|\s+(?=[<>=!~^])/)
      .map((c) => c.trim())
      .filter(Boolean);
    return clauses.every((c) => {
      const specs = clauseSpecifiers(c);
      if (!specs) return true;
      try {
        return specs.every((s) => pep440.satisfies(version, s) !== false);
      } catch {
        return true;
      }
    });
  });
}

/** `~=V`'s exclusive upper bound, as Poetry writes it: `~=2.2` is `<3.0`, `~=2.2.1` is `<2.3.0`. */
function compatibleUpper(v: string): string {
  const r = release(v);
  const head = r.slice(0, Math.max(1, r.length - 1));
  head[head.length - 1]! += 1;
  while (head.length < r.length) head.push(0);
  return head.join('.');
}

/**
 * A PEP 440 specifier set as Poetry writes it in poetry.lock: `*` for none, the version for `==V`, else lower bound,
 * excluded versions, upper bound (`<3,>=2.5` is `>=2.5,<3`; `~=2.2` is `>=2.2,<3.0`). A set it does not model
 * (`===`, `!=V.*`, `==` beside other clauses) is kept as written, which Poetry reads as well.
 */
export function poetryConstraint(specifier: string): string {
  const clauses = specifier
    .split(',')
    .map((c) => c.trim().replace(/\s+/g, ''))
    .filter(Boolean);
  if (clauses.length === 0) return '*';
  const raw = clauses.join(',');
  const parsed = clauses.map((c) => /^(~=|===|==|!=|<=|>=|<|>)(\S+)$/.exec(c));
  if (parsed.some((m) => !m || m[1] === '===')) return raw;
  if (clauses.length === 1 && parsed[0]![1] === '==') return parsed[0]![2]!.endsWith('.*') ? raw : parsed[0]![2]!;
  let lower: { op: string; v: string } | undefined;
  let upper: { op: string; v: string } | undefined;
  const excluded: string[] = [];
  const setLower = (op: string, v: string) => {
    const c = lower ? pep440.compare(v, lower.v) : 1;
    if (c > 0 || (c === 0 && op === '>')) lower = { op, v };
  };
  const setUpper = (op: string, v: string) => {
    const c = upper ? pep440.compare(v, upper.v) : -1;
    if (c < 0 || (c === 0 && op === '<')) upper = { op, v };
  };
  for (const m of parsed) {
    const op = m![1]!;
    const v = m![2]!;
    if (v.endsWith('.*')) {
      if (op !== '==') return raw;
      const prefix = v.slice(0, -2);
      const r = release(prefix);
      r[r.length - 1]! += 1;
      setLower('>=', `${prefix}.dev0`);
      setUpper('<', r.join('.'));
    } else if (op === '==') return raw;
    else if (op === '~=') {
      setLower('>=', v);
      setUpper('<', compatibleUpper(v));
    } else if (op === '>=' || op === '>') setLower(op, v);
    else if (op === '<=' || op === '<') setUpper(op, v);
    else excluded.push(v);
  }
  const inside = excluded
    .filter((v) => (!lower || pep440.gt(v, lower.v)) && (!upper || pep440.lt(v, upper.v)))
    .sort(pep440.compare);
  return [
    ...(lower ? [`${lower.op}${lower.v}`] : []),
    ...inside.map((v) => `!=${v}`),
    ...(upper ? [`${upper.op}${upper.v}`] : []),
  ].join(',');
}

/** An environment marker as Poetry prints it: double quotes, one space around each operator. */
export function poetryMarker(marker: string): string {
  return marker
    .replace(
      /([A-Za-z_.]+)\s*(===|==|!=|<=|>=|~=|<|>|not\s+in|in)\s*(["'])(.*?)\3/g,
      (_m, v: string, op: string, _q, val: string) => `${v} ${op.replace(/\s+/g, ' ')} "${val}"`,
    )
    .replace(/\s+/g, ' ')
    .trim();
}

// ---- Reading the lock and the project ------------------------------------------------------------------------------

/** The dependencies a lock entry lists: `name = "c"`, `name = {version = …}` or a list of such tables. */
function lockDeps(raw: Table): LockDep[] {
  const out: LockDep[] = [];
  const deps = raw.dependencies;
  if (!isTable(deps)) return out;
  for (const [name, value] of Object.entries(deps)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      const key = normalizePyPiName(name);
      if (typeof v === 'string') out.push({ key, constraint: v, extras: [] });
      else if (isTable(v)) out.push({ key, constraint: str(v.version) ?? '*', extras: strings(v.extras) });
    }
  }
  return out;
}

/** What a lock entry's extras bring in (`[package.extras] socks = ["PySocks (>=1.5.6,!=1.5.7)"]`). */
function extraDeps(raw: Table, extras: string[]): RequiresDist[] {
  const table = raw.extras;
  if (!isTable(table) || extras.length === 0) return [];
  const wanted = new Set(extras.map(normalizePyPiName));
  return Object.entries(table)
    .filter(([name]) => wanted.has(normalizePyPiName(name)))
    .flatMap(([, list]) => strings(list))
    .map(parseRequiresDist)
    .filter((d) => d !== undefined);
}

/**
 * What pyproject.toml depends on, from every place Poetry reads: `[project]` dependencies and optional
 * dependencies, `[dependency-groups]`, and `[tool.poetry]` dependencies, dev-dependencies and groups.
 */
function projectDeps(pyproject: Table): Map<string, ProjectDep> {
  const out = new Map<string, ProjectDep>();
  const add = (name: string, constraint: string | undefined, extras: string[]) => {
    const key = normalizePyPiName(name);
    if (key === 'python') return;
    const d = out.get(key) ?? { key, constraints: [], extras: [] };
    if (constraint !== undefined && constraint.trim() !== '' && constraint.trim() !== '*')
      d.constraints.push(constraint.trim());
    d.extras.push(...extras);
    out.set(key, d);
  };
  const pep508 = (list: unknown) => {
    for (const s of strings(list)) {
      const d = parseRequiresDist(s);
      if (d) add(d.name, d.specifier, d.extras);
    }
  };
  const poetryTable = (table: unknown) => {
    if (!isTable(table)) return;
    for (const [name, value] of Object.entries(table))
      for (const v of Array.isArray(value) ? value : [value]) {
        if (typeof v === 'string') add(name, v, []);
        else if (isTable(v)) add(name, str(v.version), strings(v.extras));
      }
  };
  const project = isTable(pyproject.project) ? pyproject.project : {};
  pep508(project.dependencies);
  if (isTable(project['optional-dependencies'])) Object.values(project['optional-dependencies']).forEach(pep508);
  if (isTable(pyproject['dependency-groups'])) Object.values(pyproject['dependency-groups']).forEach(pep508);
  const tool = isTable(pyproject.tool) && isTable(pyproject.tool.poetry) ? pyproject.tool.poetry : {};
  poetryTable(tool.dependencies);
  poetryTable(tool['dev-dependencies']);
  if (isTable(tool.group)) for (const g of Object.values(tool.group)) if (isTable(g)) poetryTable(g.dependencies);
  return out;
}

// ---- Writing entries -----------------------------------------------------------------------------------------------

/** The `files = [...]` lines Poetry writes for a release: every live file, by file name. */
function filesLines(doc: PyPiProject, version: string): string[] {
  const files = [...new Map(liveFiles(doc, version).map((f) => [f.filename, f])).values()].sort((a, b) =>
    a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0,
  );
  if (files.length === 0) return ['files = []'];
  return [
    'files = [',
    ...files.map((f) => `    {file = ${quote(f.filename)}, hash = ${quote(`sha256:${f.digests.sha256}`)}},`),
    ']',
  ];
}

/** One dependency's value in `[package.dependencies]`: the constraint alone, or an inline table. */
function depValue(d: RequiresDist): string {
  const version = poetryConstraint(d.specifier);
  const extras = [...new Set(d.extras)].sort();
  if (extras.length === 0 && !d.marker) return quote(version);
  return `{${[
    `version = ${quote(version)}`,
    ...(extras.length > 0 ? [`extras = [${extras.map(quote).join(', ')}]`] : []),
    ...(d.marker ? [`markers = ${quote(poetryMarker(d.marker))}`] : []),
  ].join(', ')}}`;
}

/** `[package.dependencies]` and `[package.extras]` as Poetry writes them from a release's `Requires-Dist`. */
function dependencyTables(requires: RequiresDist[]): { dependencies: string[]; extras: string[] } {
  const byKey = new Map<string, RequiresDist[]>();
  for (const d of requires.filter((r) => r.extra === undefined)) byKey.set(d.key, [...(byKey.get(d.key) ?? []), d]);
  const dependencies: string[] = [];
  for (const key of [...byKey.keys()].sort()) {
    const list = byKey.get(key)!;
    const name = tomlKey(list[0]!.name);
    if (list.length === 1) dependencies.push(`${name} = ${depValue(list[0]!)}`);
    else dependencies.push(`${name} = [`, ...list.map((d) => `    ${depValue(d)},`), ']');
  }
  const byExtra = new Map<string, string[]>();
  for (const d of requires.filter((r) => r.extra !== undefined && r.extra !== '*')) {
    const extra = normalizePyPiName(d.extra!);
    const c = poetryConstraint(d.specifier);
    const spec = c === '*' ? '' : ` (${/^[0-9]/.test(c) ? `==${c}` : c})`;
    const extras = d.extras.length > 0 ? `[${d.extras.join(',')}]` : '';
    const marker = d.marker ? ` ; ${poetryMarker(d.marker)}` : '';
    byExtra.set(extra, [...(byExtra.get(extra) ?? []), `${d.name}${extras}${spec}${marker}`]);
  }
  const extras = [...byExtra.keys()]
    .sort()
    .map((e) => `${tomlKey(e)} = [${[...byExtra.get(e)!].sort().map(quote).join(', ')}]`);
  return { dependencies, extras };
}

/** Index of the sub-table header `[package.<name>]` in a block's lines, or -1. */
const subtableAt = (lines: string[], name: string) => lines.findIndex((l) => l.trim() === `[package.${name}]`);

/** Where a sub-table's content ends: before the blank lines that precede the next header or the block's end. */
function subtableEnd(lines: string[], header: number): number {
  let end = header + 1;
  while (end < lines.length && !lines[end]!.startsWith('[')) end++;
  while (end > header + 1 && lines[end - 1]!.trim() === '') end--;
  return end;
}

/** Replaces (or adds, or removes) a `[package.<name>]` sub-table of a block, in Poetry's sub-table order. */
function setSubtable(lines: string[], name: 'dependencies' | 'extras', body: string[]): string[] {
  const at = subtableAt(lines, name);
  if (at >= 0) {
    const end = subtableEnd(lines, at);
    if (body.length > 0) return [...lines.slice(0, at + 1), ...body, ...lines.slice(end)];
    let next = end;
    while (next < lines.length && lines[next]!.trim() === '') next++;
    return [...lines.slice(0, at), ...lines.slice(next)];
  }
  if (body.length === 0) return lines;
  const later = (name === 'dependencies' ? ['extras', 'source'] : ['source'])
    .map((n) => subtableAt(lines, n))
    .filter((i) => i >= 0);
  let insertAt = later.length > 0 ? Math.min(...later) : lines.length;
  if (later.length === 0) while (insertAt > 0 && lines[insertAt - 1]!.trim() === '') insertAt--;
  const piece = [`[package.${name}]`, ...body, ''];
  const before = lines.slice(0, insertAt);
  if (before.length > 0 && before.at(-1)!.trim() !== '') before.push('');
  const after = lines.slice(insertAt);
  return [...before, ...(later.length > 0 ? piece : piece.slice(0, -1)), ...after];
}

/** Replaces a top-level key's line (`version = "…"`) of a block; the key must sit before the first sub-table. */
function setKey(lines: string[], key: string, value: string): string[] {
  const firstSub = lines.findIndex((l, i) => i > 0 && l.startsWith('['));
  const at = lines.findIndex((l, i) => i > 0 && (firstSub < 0 || i < firstSub) && new RegExp(`^${key}\\s*=`).test(l));
  if (at < 0) return lines;
  return [...lines.slice(0, at), `${key} = ${value}`, ...lines.slice(at + 1)];
}

/** Replaces the `files = [...]` array of a block (one line or many). */
function setFiles(lines: string[], files: string[]): string[] {
  const at = lines.findIndex((l) => /^files\s*=\s*\[/.test(l));
  if (at < 0) return lines;
  let end = at;
  if (!/\]\s*$/.test(lines[at]!)) while (end + 1 < lines.length && !/^\]\s*$/.test(lines[end]!)) end++;
  return [...lines.slice(0, at), ...files, ...lines.slice(end + 1)];
}

// ---- The pin -------------------------------------------------------------------------------------------------------

/** What a release declares: its `Requires-Dist` entries, Python requirement and summary. */
async function releaseFacts(registry: PyPiRegistry, doc: PyPiProject, name: string, version: string) {
  const info = (await registry.release(name, version)).info as {
    requires_dist?: string[] | null;
    requires_python?: string | null;
    summary?: string | null;
  };
  const requires = (info.requires_dist ?? []).map(parseRequiresDist).filter((d) => d !== undefined);
  const requiresPython =
    info.requires_python ?? liveFiles(doc, version).find((f) => f.requires_python)?.requires_python ?? null;
  return { requires, requiresPython, summary: info.summary ?? undefined };
}

/** `python-versions` as Poetry writes a release's `Requires-Python`: `*` when it has none. */
const pythonVersions = (requiresPython: string | null): string =>
  requiresPython?.trim() ? requiresPython.trim().replace(/\s*,\s*/g, ',') : '*';

/**
 * Pins a poetry.lock (lock-version 2.0 or 2.1) by editing its text, every other byte as Poetry wrote it: each
 * `[[package]]` locked at an affected version moves to its last good release — the highest final release below the
 * bad one that no advisory affects, whose files were all uploaded before the exposure window, and that meets what
 * the other locked packages and pyproject.toml require of it (else the lowest such release above it) — with that
 * release's `files` (name and sha256 from the index, which `poetry install` checks), `python-versions` and
 * `[package.dependencies]`/`[package.extras]` from its metadata. Packages only the bad release needed (walked from
 * pyproject.toml's dependencies) are removed; what the good release needs that the lock lacks is added in sorted
 * position. pyproject.toml is never edited, so `[metadata] content-hash` stays valid: when its constraint excludes
 * the good release the package is left as is and the problem says to run `poetry lock`.
 */
export async function pinPoetryLockfile(options: PoetryPinOptions): Promise<LockPinResult> {
  const { registry, affected, publishedBefore } = options;
  const unchanged = (problems: string[]): LockPinResult => unchangedPin(options, problems);
  const crlf = options.lockText.includes('\r\n');
  const text = crlf ? options.lockText.replace(/\r\n/g, '\n') : options.lockText;
  const doc = parseInput('lockfile', text);
  const pyproject = options.manifestText !== undefined ? parseInput('manifest', options.manifestText) : undefined;
  const metadata = isTable(doc.metadata) ? doc.metadata : {};
  const lockVersion = str(metadata['lock-version']);
  if (!lockVersion || !LOCK_VERSIONS.includes(lockVersion))
    return unchanged([
      `poetry.lock has lock-version ${lockVersion ?? '(none)'}, which cordon does not rewrite: run \`poetry lock\` with Poetry 1.3 or later, then pin again`,
    ]);

  const lines = text.split('\n');
  const metadataAt = lines.findIndex((l) => /^\[metadata\]\s*$/.test(l));
  const rawPackages = Array.isArray(doc.package) ? (doc.package as unknown[]).filter(isTable) : [];
  const read = readLockBlocks(lines, rawPackages, (start) => (metadataAt > start ? metadataAt : lines.length));
  if (!read)
    return unchanged([
      'poetry.lock is not laid out as Poetry writes it (one `[[package]]` header per entry): run `poetry lock`',
    ]);
  const packages = read as LockedPackage[];
  const pathOf = (p: LockedPackage) => `poetry.lock [[package]] ${p.name} (line ${p.start + 1})`;
  const wanted = pyproject ? projectDeps(pyproject) : new Map<string, ProjectDep>();

  const problems: string[] = [];
  /** Why an affected entry could not be pinned, by start line: moot when the pin of another one drops it. */
  const unpinned = new Map<number, string>();
  const changes: PinChange[] = [];
  const added: string[] = [];
  const removed: string[] = [];
  /** Rewritten blocks by start line; `[]` removes the block. */
  const blocks = new Map<number, string[]>();
  /** The dependencies and extras each pinned entry has after the pin, by start line. */
  const newDeps = new Map<number, RequiresDist[]>();
  const lockedVersions = (key: string) => packages.filter((p) => p.key === key).map((p) => p.version);

  for (const p of packages) {
    if (!p.name || !affected(p.name, p.version)) continue;
    const label = `${p.name} ${p.version}`;
    const source = isTable(p.raw.source) ? str(p.raw.source.type) : undefined;
    if (source && source !== 'legacy') {
      problems.push(`${label} comes from a ${source} source, not a package index: pin it by hand`);
      continue;
    }
    const project = await registry.project(p.name);
    const fromOthers = packages
      .filter((q) => q.key !== p.key)
      .flatMap((q) => lockDeps(q.raw).filter((d) => d.key === p.key))
      .map((d) => d.constraint);
    const own = wanted.get(p.key)?.constraints ?? [];
    const base = goodReleases(project, (v) => affected(p.name, v), publishedBefore, []).filter((v) =>
      fromOthers.every((c) => allowsVersion(c, v)),
    );
    const chosen = await chooseRelease({
      name: p.name,
      bad: p.version,
      label,
      base,
      own,
      allows: allowsVersion,
      fromOthers,
      facts: (v) => releaseFacts(registry, project, p.name, v),
      // A dependency the lock holds at a version the release does not accept needs a new resolve, not an edit.
      conflict: (v, facts) => {
        const clash = facts.requires.find(
          (d) =>
            d.extra === undefined &&
            !d.marker &&
            lockedVersions(d.key).length > 0 &&
            !lockedVersions(d.key).some((lv) => allowsVersion(d.specifier, lv)),
        );
        return clash ? `${p.name} ${v} requires ${clash.name} ${clash.specifier}` : undefined;
      },
      tool: 'poetry',
      registryUrl: registry.url,
    });
    if ('problem' in chosen) {
      unpinned.set(p.start, chosen.problem);
      continue;
    }
    const { version: good, facts } = chosen;
    const files = filesLines(project, good);
    if (files.length === 1) {
      problems.push(`${p.name} ${good}: the index lists no files to lock: pin it by hand`);
      continue;
    }
    let block = lines.slice(p.start, p.end);
    block = setKey(block, 'version', quote(good));
    if (facts.summary !== undefined) block = setKey(block, 'description', quote(facts.summary));
    const pv = pythonVersions(facts.requiresPython);
    if (str(p.raw['python-versions']) !== pv) block = setKey(block, 'python-versions', quote(pv));
    block = setFiles(block, files);
    const tables = dependencyTables(facts.requires);
    block = setSubtable(block, 'dependencies', tables.dependencies);
    block = setSubtable(block, 'extras', tables.extras);
    blocks.set(p.start, block);
    newDeps.set(p.start, facts.requires);
    changes.push({
      package: p.name,
      from: p.version,
      to: good,
      paths: [pathOf(p)],
    });
  }
  if (changes.length === 0) return unchanged([...problems, ...unpinned.values()]);

  // Dropped: entries the project reached through the bad releases and no longer reaches through the good ones.
  const reach = (after: boolean): Set<string> => {
    const seen = new Set<string>();
    const seenExtras = new Set<string>();
    const queue: Array<{ key: string; extras: string[] }> = [...wanted.values()].map((d) => ({
      key: d.key,
      extras: d.extras.map(normalizePyPiName),
    }));
    while (queue.length > 0) {
      const { key, extras } = queue.shift()!;
      const fresh = !seen.has(key);
      seen.add(key);
      const newExtras = extras.filter((e) => !seenExtras.has(`${key}[${e}]`));
      for (const e of newExtras) seenExtras.add(`${key}[${e}]`);
      for (const p of packages.filter((q) => q.key === key)) {
        const moved = after ? newDeps.get(p.start) : undefined;
        const next = moved
          ? moved.filter((d) => (d.extra === undefined ? fresh : newExtras.includes(normalizePyPiName(d.extra))))
          : [...(fresh ? lockDeps(p.raw) : []), ...extraDeps(p.raw, newExtras)];
        for (const d of next) queue.push({ key: d.key, extras: d.extras.map(normalizePyPiName) });
      }
    }
    return seen;
  };
  if (pyproject) {
    const before = reach(false);
    const after = reach(true);
    dropUnreached(packages, before, after, { blocks, unpinned, changes, removed }, pathOf);
  } else {
    problems.push(
      'pyproject.toml was not given, so entries only the bad releases needed were not looked for: run `poetry lock` to drop them',
    );
  }

  problems.push(...unpinned.values());

  // Missing: what the good releases need that the lock lacks, added as Poetry writes an entry.
  const present = new Set(packages.filter((p) => blocks.get(p.start)?.length !== 0).map((p) => p.key));
  const queue: Array<{ dep: RequiresDist; parent: LockedPackage }> = [];
  for (const p of packages)
    if (blocks.get(p.start)?.length !== 0)
      for (const d of newDeps.get(p.start) ?? []) if (d.extra === undefined) queue.push({ dep: d, parent: p });
  const additions: Array<{ key: string; lines: string[] }> = [];
  while (queue.length > 0) {
    const { dep, parent } = queue.shift()!;
    if (present.has(dep.key)) continue;
    present.add(dep.key);
    const project = await registry.project(dep.name);
    const version = goodReleases(project, (v) => affected(dep.name, v), publishedBefore, [dep.specifier]).at(-1);
    if (!version) {
      problems.push(
        `${parent.name} needs ${dep.name} ${dep.specifier || '*'}, and no good release of it qualifies: add it in pyproject.toml and run \`poetry lock\``,
      );
      continue;
    }
    const facts = await releaseFacts(registry, project, dep.name, version);
    const key = normalizePyPiName(project.info.name || dep.name);
    const entry = [
      '[[package]]',
      `name = ${quote(key)}`,
      `version = ${quote(version)}`,
      `description = ${quote(facts.summary ?? '')}`,
      'optional = false',
      `python-versions = ${quote(pythonVersions(facts.requiresPython))}`,
    ];
    const groups = strings(parent.raw.groups);
    if (parent.raw.groups !== undefined) {
      entry.push(`groups = [${groups.map(quote).join(', ')}]`);
      const parentMarker = str(parent.raw.markers);
      const own = dep.marker ? poetryMarker(dep.marker) : undefined;
      const marker = parentMarker && own ? `(${parentMarker}) and (${own})` : (parentMarker ?? own);
      if (marker) entry.push(`markers = ${quote(marker)}`);
    }
    entry.push(...filesLines(project, version), '');
    const tables = dependencyTables(facts.requires);
    if (tables.dependencies.length > 0) entry.push('[package.dependencies]', ...tables.dependencies, '');
    if (tables.extras.length > 0) entry.push('[package.extras]', ...tables.extras, '');
    const source = subtableAt(lines.slice(parent.start, parent.end), 'source');
    if (source >= 0) {
      const from = lines.slice(parent.start, parent.end);
      entry.push(...from.slice(source, subtableEnd(from, source)), '');
    }
    additions.push({ key, lines: entry });
    added.push(`${key}@${version}`);
    const addedPkg: LockedPackage = {
      ...parent,
      name: key,
      key,
      version,
      raw: { groups, markers: parent.raw.markers },
    };
    for (const d of facts.requires) if (d.extra === undefined) queue.push({ dep: d, parent: addedPkg });
  }

  const out = assembleLock(lines, packages, blocks, additions, metadataAt >= 0 ? metadataAt : lines.length);
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
