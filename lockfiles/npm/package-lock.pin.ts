import semver from 'semver';
import type { NpmRegistry, Packument, PackumentVersion } from '../registries';
import { PinInputError, unchangedPin, type LockPinOptions, type LockPinResult, type PinChange } from '../pin-types';

export { PinInputError, type PinChange } from '../pin-types';

/** One `packages` entry of an npm lockfile (v2/v3). */
interface LockEntry {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  inBundle?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

interface PackageLock {
  name?: string;
  version?: string;
  lockfileVersion?: number;
  requires?: boolean;
  packages?: Record<string, LockEntry>;
  dependencies?: Record<string, unknown>;
  [field: string]: unknown;
}

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  overrides?: Record<string, unknown>;
  [field: string]: unknown;
}

/** The rewritten lockfile and package.json, or why a person has to do it. */
export type NpmPinResult = LockPinResult;

/** Options of `pinNpmLockfile`. */
export interface NpmPinOptions extends LockPinOptions {
  registry: NpmRegistry;
}

/** Fields of a lockfile entry that come from the package's own manifest, replaced when the version changes. */
const MANIFEST_FIELDS = [
  'dependencies',
  'optionalDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'engines',
  'os',
  'cpu',
  'bin',
  'license',
  'deprecated',
  'hasInstallScript',
] as const;

/** JSON.parse that says which input is not JSON. */
export function parseJsonInput<T>(file: 'lockfile' | 'manifest', text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new PinInputError(file, `is not valid JSON: ${(err as Error).message}`);
  }
}

/** The package name an install path holds: the last `node_modules/<name>` (two segments for a scope). */
export function nameAtPath(path: string): string {
  const i = path.lastIndexOf('node_modules/');
  return path.slice(i + 'node_modules/'.length);
}

/** The install path that holds `path`'s package: `a/node_modules/b` → `a`; `node_modules/a` → the root `''`. */
function parentPath(path: string): string {
  const i = path.lastIndexOf('/node_modules/');
  return i < 0 ? '' : path.slice(0, i);
}

/** The real package name of an entry: an alias (`"x": "npm:y@1"`) records the real name in `name`. */
function realName(path: string, entry: LockEntry): string {
  return path !== '' && !entry.link && typeof entry.name === 'string' ? entry.name : nameAtPath(path);
}

/**
 * Node's resolution of `dep` required from the package at `from`: the nearest `node_modules/dep` walking up.
 * Workspace folders (`packages/x`) resolve through their own `node_modules` first, then the root's.
 */
function resolveFrom(packages: Record<string, LockEntry>, from: string, dep: string): string | undefined {
  let at = from;
  for (;;) {
    const key = at === '' ? `node_modules/${dep}` : `${at}/node_modules/${dep}`;
    if (packages[key]) return key;
    if (at === '') return undefined;
    at = at.includes('node_modules/') ? parentPath(at) : '';
  }
}

/** The ranges an entry requires, with whether each edge is optional. */
function edgesOf(entry: LockEntry, withDev: boolean): Array<{ name: string; range: string; optional: boolean }> {
  const out: Array<{ name: string; range: string; optional: boolean }> = [];
  for (const [name, range] of Object.entries(entry.dependencies ?? {})) out.push({ name, range, optional: false });
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {}))
    out.push({ name, range, optional: true });
  for (const [name, range] of Object.entries(entry.peerDependencies ?? {}))
    out.push({ name, range, optional: entry.peerDependenciesMeta?.[name]?.optional === true });
  if (withDev)
    for (const [name, range] of Object.entries(entry.devDependencies ?? {})) out.push({ name, range, optional: false });
  return out;
}

/** A range as semver reads it: `npm:real@range` aliases give their range; tags, URLs and paths give undefined. */
function semverRange(range: string): string | undefined {
  const r = range.startsWith('npm:') ? range.slice(range.lastIndexOf('@') + 1) : range;
  return semver.validRange(r) ?? undefined;
}

/**
 * The last good version of a package: the highest published version that no advisory affects, is not deprecated
 * or a prerelease, was published before the exposure window, satisfies every range that requires it, and is lower
 * than the bad version (a rollback, not an upgrade past the compromise) — or, when no lower one qualifies, the
 * lowest higher one that does (a fixed release).
 */
export function lastGoodVersion(
  doc: Packument,
  bad: string,
  ranges: string[],
  affected: (version: string) => boolean,
  publishedBefore?: string,
): string | undefined {
  const ok = Object.values(doc.versions)
    .filter((v) => semver.valid(v.version) && !semver.prerelease(v.version) && !v.deprecated)
    .filter((v) => !affected(v.version))
    .filter((v) => !publishedBefore || !doc.time?.[v.version] || doc.time[v.version]! < publishedBefore)
    .filter((v) => ranges.every((r) => semver.satisfies(v.version, semverRange(r) ?? '*')))
    .map((v) => v.version)
    .sort(semver.compare);
  return ok.filter((v) => semver.lt(v, bad)).at(-1) ?? ok.find((v) => semver.gt(v, bad));
}

/** The highest good version satisfying `range`, for a dependency a good version newly needs. */
export function bestFor(
  doc: Packument,
  range: string,
  affected: (version: string) => boolean,
): PackumentVersion | undefined {
  const r = semverRange(range) ?? '*';
  const candidates = Object.values(doc.versions).filter(
    (v) => semver.valid(v.version) && !affected(v.version) && semver.satisfies(v.version, r),
  );
  const nonDeprecated = candidates.filter((v) => !v.deprecated);
  return (nonDeprecated.length > 0 ? nonDeprecated : candidates)
    .sort((a, b) => semver.compare(a.version, b.version))
    .at(-1);
}

/** Rewrites an entry for another version of its package, keeping where and why it is installed. */
function entryFor(old: LockEntry | undefined, v: PackumentVersion, alias: boolean): LockEntry {
  const entry: LockEntry = {};
  if (alias) entry.name = v.name;
  entry.version = v.version;
  entry.resolved = v.dist.tarball;
  if (v.dist.integrity) entry.integrity = v.dist.integrity;
  for (const flag of ['dev', 'optional', 'devOptional', 'peer', 'inBundle'] as const)
    if (old?.[flag]) entry[flag] = true;
  for (const field of MANIFEST_FIELDS) {
    const value = v[field];
    if (value === undefined || value === false) continue;
    if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) continue;
    (entry as Record<string, unknown>)[field] = value;
  }
  return entry;
}

/** Sorts `packages` keys the way npm writes them: the root first, then by path. */
function sortedPackages(packages: Record<string, LockEntry>): Record<string, LockEntry> {
  return Object.fromEntries(
    Object.keys(packages)
      .sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b, 'en')))
      .map((k) => [k, packages[k]!]),
  );
}

/**
 * The legacy `dependencies` tree of a v2 lockfile, rebuilt from `packages` so npm 6 and npm 7+ read the same
 * versions. https://docs.npmjs.com/cli/configuring-npm/package-lock-json#dependencies
 */
function legacyDependencies(packages: Record<string, LockEntry>): Record<string, unknown> {
  type Legacy = Record<string, unknown> & { dependencies?: Record<string, Legacy> };
  const root: { dependencies: Record<string, Legacy> } = { dependencies: {} };
  const nodes = new Map<string, { dependencies?: Record<string, Legacy> }>([['', root]]);
  const keys = Object.keys(packages)
    .filter((k) => k.includes('node_modules/'))
    .sort((a, b) => a.split('/node_modules/').length - b.split('/node_modules/').length || a.localeCompare(b, 'en'));
  for (const key of keys) {
    const e = packages[key]!;
    const parent = nodes.get(parentPath(key)) ?? root;
    const node: Legacy = {
      version: e.link ? `file:${e.resolved ?? ''}` : e.name ? `npm:${e.name}@${e.version ?? ''}` : e.version,
      ...(e.resolved && !e.link ? { resolved: e.resolved } : {}),
      ...(e.integrity ? { integrity: e.integrity } : {}),
      ...(e.dev ? { dev: true } : {}),
      ...(e.optional ? { optional: true } : {}),
      ...(e.devOptional ? { devOptional: true } : {}),
      ...(e.peer ? { peer: true } : {}),
      ...(e.inBundle ? { bundled: true } : {}),
    };
    const requires = { ...e.dependencies, ...e.optionalDependencies };
    if (Object.keys(requires).length > 0) node.requires = requires;
    parent.dependencies ??= {};
    parent.dependencies[nameAtPath(key)] = node;
    nodes.set(key, node);
  }
  return root.dependencies;
}

/**
 * Moves every affected package version in an npm lockfile (v2 or v3) to its last good version, the way npm itself
 * would lock it: the entry takes the good version's `resolved`, `integrity` and dependencies from the registry's
 * package document; dependencies the good version needs and the tree lacks are added; packages nothing needs any
 * more (the dropper the bad release pulled in) are removed; the manifest gains `overrides` (and an exact spec for
 * a direct dependency, as npm requires) so that the next `npm install` keeps the pin. An affected package with no
 * good version that something still needs is reported in `problems`, never silently kept.
 */
export async function pinNpmLockfile(options: NpmPinOptions): Promise<NpmPinResult> {
  const lock = parseJsonInput<PackageLock>('lockfile', options.lockText);
  const problems: string[] = [];
  if (!lock.packages || (lock.lockfileVersion ?? 1) < 2) {
    return unchangedPin(options, [
      `lockfileVersion ${lock.lockfileVersion ?? 1} (npm 6) has no "packages" map: run npm install with npm 7 or later to pin it`,
    ]);
  }
  const manifest =
    options.manifestText === undefined ? undefined : parseJsonInput<Manifest>('manifest', options.manifestText);
  const packages: Record<string, LockEntry> = { ...lock.packages };
  const root = (packages[''] ??= {});
  if (manifest) {
    // The root's edges are the manifest's: a lockfile whose root entry disagrees is read from package.json by npm.
    for (const f of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const)
      if (manifest[f]) root[f] = { ...manifest[f] };
  }
  const installers = (path: string): Array<{ from: string; range: string }> => {
    const out: Array<{ from: string; range: string }> = [];
    const name = nameAtPath(path);
    for (const [from, e] of Object.entries(packages)) {
      if (e.link) continue;
      for (const edge of edgesOf(e, from === '' || !from.includes('node_modules/')))
        if (edge.name === name && resolveFrom(packages, from, name) === path) out.push({ from, range: edge.range });
    }
    return out;
  };

  // 1. Each affected entry moves to its last good version, or is marked for removal.
  const changes = new Map<string, PinChange>();
  const toRemove = new Set<string>();
  const worklist: string[] = [];
  for (const [path, e] of Object.entries(packages)) {
    if (path === '' || e.link || !e.version) continue;
    const name = realName(path, e);
    if (!options.affected(name, e.version)) continue;
    // The project's own range is rewritten to the pin; a dependent's range is kept when a good version fits it,
    // else the override forces the last good version past it (a rollback beats a range).
    const ranges = installers(path)
      .filter((i) => i.from !== '')
      .map((i) => i.range);
    const doc = await options.registry.packument(name);
    const isBad = (v: string): boolean => options.affected(name, v);
    const good =
      lastGoodVersion(doc, e.version, ranges, isBad, options.publishedBefore) ??
      lastGoodVersion(doc, e.version, [], isBad, options.publishedBefore);
    const key = `${name}@${e.version}`;
    const change = changes.get(key) ?? { package: name, from: e.version, to: good ?? null, paths: [] };
    change.paths.push(path);
    changes.set(key, change);
    if (!good) {
      toRemove.add(path);
      continue;
    }
    packages[path] = entryFor(e, doc.versions[good]!, realName(path, e) !== nameAtPath(path));
    worklist.push(path);
  }

  // 2. Dependencies the good versions need that the tree does not satisfy are added, nearest the root that fits.
  const added: string[] = [];
  for (let guard = 0; worklist.length > 0 && guard < 10_000; guard++) {
    const path = worklist.shift()!;
    const e = packages[path];
    if (!e) continue;
    for (const edge of edgesOf(e, false)) {
      if (edge.optional && !e.dependencies?.[edge.name]) continue;
      const at = resolveFrom(packages, path, edge.name);
      const have = at ? packages[at] : undefined;
      const range = semverRange(edge.range);
      if (have && !toRemove.has(at!) && (!range || !have.version || semver.satisfies(have.version, range))) continue;
      const doc = await options.registry.packument(edge.name);
      const v = bestFor(doc, edge.range, (version) => options.affected(edge.name, version));
      if (!v) {
        problems.push(`${realName(path, e)}@${e.version ?? '?'} needs ${edge.name}@${edge.range}: no good version`);
        continue;
      }
      const top = `node_modules/${edge.name}`;
      const target = !packages[top] || toRemove.has(top) ? top : `${path}/node_modules/${edge.name}`;
      toRemove.delete(target);
      packages[target] = entryFor(packages[target], v, false);
      if (e.dev) packages[target].dev = true;
      added.push(`${edge.name}@${v.version}`);
      worklist.push(target);
    }
  }

  // 3. Whatever nothing reaches any more goes (the removed dropper, the bad version's other dependencies).
  for (const path of toRemove) delete packages[path];
  const reached = new Set<string>(['']);
  const queue = [''];
  for (const [path, e] of Object.entries(packages))
    if (path !== '' && !path.includes('node_modules/') && e) reached.add(path);
  queue.push(...[...reached].filter((p) => p !== ''));
  while (queue.length > 0) {
    const from = queue.shift()!;
    const e = packages[from];
    if (!e) continue;
    if (e.link && e.resolved && packages[e.resolved] && !reached.has(e.resolved)) {
      reached.add(e.resolved);
      queue.push(e.resolved);
    }
    for (const edge of edgesOf(e, !from.includes('node_modules/'))) {
      const at = resolveFrom(packages, from, edge.name);
      if (at && !reached.has(at)) {
        reached.add(at);
        queue.push(at);
      } else if (!at && !edge.optional && !e.link) {
        const still = [...changes.values()].find((c) => c.package === edge.name && c.to === null);
        if (still)
          problems.push(`${edge.name}: every version is affected, and ${from || 'the project'} still needs it`);
      }
    }
  }
  const removed: string[] = [];
  for (const path of Object.keys(packages)) {
    if (reached.has(path)) continue;
    const e = lock.packages[path] ?? packages[path]!;
    removed.push(`${realName(path, e)}@${e.version ?? '?'}`);
    delete packages[path];
  }
  for (const path of toRemove)
    if (lock.packages[path]) {
      const e = lock.packages[path];
      const id = `${realName(path, e)}@${e.version ?? '?'}`;
      if (!removed.includes(id)) removed.push(id);
    }

  // 4. The manifest keeps the pin for the next install.
  let manifestText = options.manifestText;
  if (manifest && options.manifestText !== undefined) {
    const overrides: Record<string, unknown> = { ...(manifest.overrides ?? {}) };
    const goodBy = new Map<string, Set<string>>();
    for (const c of changes.values()) if (c.to) goodBy.set(c.package, (goodBy.get(c.package) ?? new Set()).add(c.to));
    for (const c of changes.values()) {
      if (!c.to) continue;
      const direct = (['dependencies', 'devDependencies', 'optionalDependencies'] as const).find(
        (f) => manifest[f]?.[c.package] !== undefined,
      );
      if (direct) {
        // npm refuses an override of a direct dependency unless both say exactly the same (EOVERRIDE).
        manifest[direct]![c.package] = c.to;
        root[direct] = { ...root[direct], [c.package]: c.to };
        overrides[c.package] = c.to;
      } else if ((goodBy.get(c.package)?.size ?? 0) > 1) {
        overrides[`${c.package}@${c.from}`] = c.to;
      } else {
        overrides[c.package] = c.to;
      }
    }
    if (Object.keys(overrides).length > 0) manifest.overrides = overrides;
    manifestText = `${JSON.stringify(manifest, null, indentOf(options.manifestText))}\n`;
  }

  const out: PackageLock = { ...lock, packages: sortedPackages(packages) };
  if (lock.lockfileVersion === 2 || lock.dependencies) out.dependencies = legacyDependencies(out.packages!);
  return {
    lockText: `${JSON.stringify(out, null, indentOf(options.lockText))}\n`,
    ...(manifestText !== undefined ? { manifestText } : {}),
    changes: [...changes.values()],
    added,
    removed: removed.sort(),
    problems,
  };
}

/** The indentation a JSON file uses (npm and yarn keep the project's own). */
export function indentOf(text: string): string | number {
  const m = /^[{[]\r?\n([ \t]+)/.exec(text);
  return m ? m[1]! : 2;
}
