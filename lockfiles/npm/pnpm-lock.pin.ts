import semver from 'semver';
import { isMap, isScalar, parseDocument, type Document } from 'yaml';
import type { NpmRegistry, PackumentVersion } from '../registries';
import {
  bestFor,
  lastGoodVersion,
  parseJsonInput,
  PinInputError,
  type NpmPinOptions,
  type NpmPinResult,
  type PinChange,
} from './package-lock.pin';
import { unchangedPin } from '../pin-types';

type Deps = Record<string, string>;
interface Snapshot {
  dependencies?: Deps;
  optionalDependencies?: Deps;
  [field: string]: unknown;
}
interface Importer {
  dependencies?: Record<string, { specifier: string; version: string }>;
  devDependencies?: Record<string, { specifier: string; version: string }>;
  optionalDependencies?: Record<string, { specifier: string; version: string }>;
}
interface Manifest {
  dependencies?: Deps;
  devDependencies?: Deps;
  optionalDependencies?: Deps;
  pnpm?: { overrides?: Deps; [field: string]: unknown };
  [field: string]: unknown;
}

const IMPORTER_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

/** `name@version(peer@1)` → name and version (a scoped name keeps its leading `@`). */
function splitKey(key: string): { name: string; version: string } {
  const base = key.replace(/\(.*$/, '');
  const at = base.lastIndexOf('@');
  return { name: base.slice(0, at), version: base.slice(at + 1) };
}

/** The package key a snapshot reference resolves to: `name@1.2.3(peer@1)` for a dependency recorded as `1.2.3(peer@1)`. */
const refKey = (name: string, ref: string): string => (ref.startsWith('link:') ? '' : `${name}@${ref}`);

/** What pnpm writes in `packages:` for a version: its resolution and the manifest fields pnpm keeps. */
function packageEntry(v: PackumentVersion): Record<string, unknown> {
  return {
    resolution: { integrity: v.dist.integrity ?? `sha1-${v.dist.shasum ?? ''}` },
    ...(v.engines && Object.keys(v.engines).length > 0 ? { engines: v.engines } : {}),
    ...(v.cpu ? { cpu: v.cpu } : {}),
    ...(v.os ? { os: v.os } : {}),
    ...(v.bin ? { hasBin: true } : {}),
    ...(v.peerDependencies ? { peerDependencies: v.peerDependencies } : {}),
    ...(v.deprecated ? { deprecated: v.deprecated } : {}),
  };
}

function setFlow(doc: Document, path: string[], value: unknown): void {
  const node = doc.createNode(value);
  if (isMap(node)) {
    const res = node.get('resolution', true);
    if (isMap(res)) res.flow = true;
    if (node.items.length === 0) node.flow = true;
  }
  doc.setIn(path, node);
  // pnpm separates entries with a blank line.
  const parent = doc.getIn(path.slice(0, -1), true);
  if (isMap(parent)) {
    const pair = parent.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === path.at(-1));
    if (pair && isScalar(pair.key)) pair.key.spaceBefore = true;
    else if (pair) pair.key = Object.assign(doc.createNode(pair.key), { spaceBefore: true });
  }
}

/**
 * Moves every affected package version in a pnpm lockfile (lockfileVersion 9) to its last good version, as pnpm
 * would lock it: `packages` gets the good version's resolution from the registry, `snapshots` its dependencies
 * (resolved to versions already in the lockfile, or added), references and importers follow, entries nothing
 * reaches any more are dropped, and the lockfile's `overrides` and the manifest's `pnpm.overrides` (plus an exact
 * spec for a direct dependency) keep the pin on the next install. The rest of the file keeps its formatting.
 */
export async function pinPnpmLockfile(options: NpmPinOptions): Promise<NpmPinResult> {
  const doc = parseDocument(options.lockText);
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new PinInputError('lockfile', `is not valid YAML: line ${e.linePos?.[0]?.line ?? '?'}: ${e.message}`);
  }
  const lock = doc.toJS() as {
    lockfileVersion?: string | number;
    importers?: Record<string, Importer>;
    packages?: Record<string, unknown>;
    snapshots?: Record<string, Snapshot>;
    overrides?: Deps;
  };
  if (String(lock.lockfileVersion) !== '9.0' || !lock.packages || !lock.snapshots) {
    return unchangedPin(options, [
      `pnpm lockfileVersion ${String(lock.lockfileVersion)} is not rewritten by cordon (only 9.0): run pnpm install with pnpm 9 to pin it`,
    ]);
  }
  const registry: NpmRegistry = options.registry;
  const packages = new Map(Object.entries(lock.packages));
  const snapshots = new Map(Object.entries(lock.snapshots));
  const problems: string[] = [];
  const added: string[] = [];
  const changes = new Map<string, PinChange>();
  /** Old snapshot key → new one (or null when the package goes). */
  const moved = new Map<string, string | null>();

  const versionsOf = (name: string): string[] =>
    [...packages.keys()]
      .map(splitKey)
      .filter((k) => k.name === name)
      .map((k) => k.version);

  /** Adds `name@version` and what it needs, reusing versions the lockfile already has. */
  const ensure = async (name: string, range: string): Promise<string | undefined> => {
    const have = versionsOf(name)
      .filter((v) => semver.valid(v) && semver.satisfies(v, range) && !options.affected(name, v))
      .sort(semver.compare)
      .at(-1);
    if (have) return have;
    const v = bestFor(await registry.packument(name), range, (x) => options.affected(name, x));
    if (!v) return undefined;
    await write(name, v);
    added.push(`${name}@${v.version}`);
    return v.version;
  };
  const write = async (name: string, v: PackumentVersion): Promise<void> => {
    const key = `${name}@${v.version}`;
    packages.set(key, packageEntry(v));
    const snap: Snapshot = {};
    snapshots.set(key, snap);
    for (const field of ['dependencies', 'optionalDependencies'] as const) {
      for (const [dep, range] of Object.entries(v[field] ?? {})) {
        const got = await ensure(dep, range);
        if (got) (snap[field] ??= {})[dep] = got;
        else if (field === 'dependencies') problems.push(`${key} needs ${dep}@${range}: no good version`);
      }
    }
  };

  for (const key of [...packages.keys()]) {
    const { name, version } = splitKey(key);
    if (!options.affected(name, version)) continue;
    const packument = await registry.packument(name);
    const good = lastGoodVersion(packument, version, [], (v) => options.affected(name, v), options.publishedBefore);
    changes.set(key, { package: name, from: version, to: good ?? null, paths: [key] });
    packages.delete(key);
    for (const s of [...snapshots.keys()].filter((s) => splitKey(s).name === name && splitKey(s).version === version)) {
      snapshots.delete(s);
      moved.set(s, good ? `${name}@${good}` : null);
    }
    if (good && !packages.has(`${name}@${good}`)) await write(name, packument.versions[good]!);
  }

  // References follow the move: other snapshots and the importers.
  const retarget = (name: string, ref: string): string | null | undefined => {
    const to = moved.get(refKey(name, ref));
    return to === undefined ? undefined : to === null ? null : splitKey(to).version;
  };
  for (const [key, snap] of snapshots) {
    for (const field of ['dependencies', 'optionalDependencies'] as const) {
      for (const [dep, ref] of Object.entries(snap[field] ?? {})) {
        const to = retarget(dep, ref);
        if (to === undefined) continue;
        if (to === null) problems.push(`${dep}: every version is affected, and ${key} still needs it`);
        else snap[field]![dep] = to;
      }
    }
  }
  const manifest =
    options.manifestText === undefined ? undefined : parseJsonInput<Manifest>('manifest', options.manifestText);
  for (const [path, importer] of Object.entries(lock.importers ?? {})) {
    for (const field of IMPORTER_FIELDS) {
      for (const [dep, entry] of Object.entries(importer[field] ?? {})) {
        const to = retarget(dep, entry.version);
        if (to === undefined) continue;
        if (to === null) {
          problems.push(`${dep}: every version is affected, and ${path === '.' ? 'the project' : path} depends on it`);
          continue;
        }
        entry.version = to;
        // pnpm refuses a lockfile whose specifiers differ from package.json: both get the exact pin.
        entry.specifier = to;
        if (path === '.' && manifest?.[field]?.[dep] !== undefined) manifest[field]![dep] = to;
        doc.setIn(['importers', path, field, dep, 'version'], to);
        doc.setIn(['importers', path, field, dep, 'specifier'], to);
      }
    }
  }

  // Whatever nothing reaches any more goes.
  const reached = new Set<string>();
  const queue: string[] = [];
  for (const importer of Object.values(lock.importers ?? {}))
    for (const field of IMPORTER_FIELDS)
      for (const [dep, entry] of Object.entries(importer[field] ?? {})) queue.push(refKey(dep, entry.version));
  while (queue.length > 0) {
    const key = queue.shift()!;
    if (!key || reached.has(key) || !snapshots.has(key)) continue;
    reached.add(key);
    const snap = snapshots.get(key)!;
    for (const field of ['dependencies', 'optionalDependencies'] as const)
      for (const [dep, ref] of Object.entries(snap[field] ?? {})) queue.push(refKey(dep, ref));
  }
  const removed: string[] = [];
  for (const key of [...snapshots.keys()]) if (!reached.has(key)) snapshots.delete(key);
  const keepPackages = new Set([...reached].map((k) => k.replace(/\(.*$/, '')));
  for (const key of [...packages.keys()]) if (!keepPackages.has(key)) packages.delete(key);
  for (const key of Object.keys(lock.packages)) if (!packages.has(key)) removed.push(key);

  // Write back: changed sections as nodes, keeping the order pnpm uses; the rest of the document untouched.
  const overrides: Deps = { ...(lock.overrides ?? {}) };
  for (const c of changes.values()) if (c.to) overrides[c.package] = c.to;
  if (changes.size > 0 && Object.keys(overrides).length > 0) {
    doc.setIn(['overrides'], doc.createNode(overrides));
    if (!lock.overrides && isMap(doc.contents)) {
      // pnpm writes overrides right after settings.
      const items = doc.contents.items;
      const pair = items.pop()!;
      const at = items.findIndex((p) => String((p.key as { value?: unknown })?.value ?? p.key) === 'settings');
      items.splice(at >= 0 ? at + 1 : 1, 0, pair);
    }
  }
  for (const key of Object.keys(lock.packages)) if (!packages.has(key)) doc.deleteIn(['packages', key]);
  for (const [key, value] of packages) if (!(key in lock.packages)) setFlow(doc, ['packages', key], value);
  for (const key of Object.keys(lock.snapshots)) if (!snapshots.has(key)) doc.deleteIn(['snapshots', key]);
  for (const [key, value] of snapshots) {
    if (!(key in lock.snapshots) || JSON.stringify(value) !== JSON.stringify(lock.snapshots[key]))
      setFlow(doc, ['snapshots', key], value);
  }
  let manifestText = options.manifestText;
  if (manifest && changes.size > 0) {
    manifest.pnpm = { ...manifest.pnpm, overrides: { ...manifest.pnpm?.overrides, ...overrides } };
    manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  }
  return {
    lockText:
      changes.size > 0
        ? doc
            .toString({ lineWidth: 0, singleQuote: true, flowCollectionPadding: false })
            .replace(/^[ \t]+$/gm, '')
            .replace(/\n{3,}/g, '\n\n')
        : options.lockText,
    ...(manifestText !== undefined ? { manifestText } : {}),
    changes: [...changes.values()],
    added,
    removed: removed.sort(),
    problems,
  };
}
