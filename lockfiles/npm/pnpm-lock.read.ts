import { DependencyGraph } from '../dependency-graph';
import { commitOf } from '../git-commit';
import { failedResult, packagesResult, unsupportedVersion } from '../result';
import type { LockedPackage, LockfileParseResult, LockfileProblem } from '../types';
import { readSimpleYaml } from '../text/simple-yaml';
import { parseYamlText, sectionKeyLines } from '../text/yaml-text';

type Json = Record<string, unknown>;

const IMPORTER_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'];
const PACKAGE_FIELDS = ['dependencies', 'optionalDependencies'];

/**
 * pnpm-lock.yaml, lockfile formats 5.x (`/name/1.0.0_peer@2.0.0`), 6.x (`/name@1.0.0(peer@2.0.0)`) and 9.0
 * (`name@1.0.0` in `packages`, peer variants in `snapshots`). Peer suffixes are stripped: every peer variant of a
 * version is the same published package. Direct dependencies come from the importers (the project and its workspaces).
 */
export function parsePnpmLock(_path: string, text: string): LockfileParseResult {
  // pnpm writes a small YAML subset; read that quickly, and use the full parser for anything else.
  let lock: unknown = readSimpleYaml(text);
  if (lock === undefined) {
    const parsed = parseYamlText(text);
    if (!parsed.ok) return failedResult(parsed.message, parsed.line);
    lock = parsed.value;
  }
  if (!isObject(lock)) return failedResult('expected a YAML mapping at the top level of pnpm-lock.yaml', 1);
  const major = Number.parseFloat(String(lock.lockfileVersion));
  if (!(major >= 5 && major < 10)) {
    return unsupportedVersion(lock.lockfileVersion, '5.x, 6.x or 9.0');
  }
  const style: KeyStyle = major < 6 ? 'slash' : major < 9 ? 'at' : 'bare';
  const packages = isObject(lock.packages) ? lock.packages : {};
  const lines = sectionKeyLines(text, 'packages');
  const problems: LockfileProblem[] = [];
  const graph = new DependencyGraph();
  const byId = new Map<string, LockedPackage>();
  for (const [key, entry] of Object.entries(packages)) {
    const line = lines.get(key);
    const info = isObject(entry) ? entry : {};
    const parsedKey = parseKey(key, style);
    const name = typeof info.name === 'string' ? info.name : parsedKey?.name;
    const version = typeof info.version === 'string' ? info.version : parsedKey?.version;
    if (!name || version === undefined) {
      problems.push(
        line === undefined
          ? { message: `unreadable package key "${key}"` }
          : { line, message: `unreadable package key "${key}" (expected name@version)` },
      );
      continue;
    }
    const id = parsedKey ? nodeId(parsedKey) : key;
    const pkg: LockedPackage = { ecosystem: 'npm', name, version };
    if (line !== undefined) pkg.line = line;
    const resolution = isObject(info.resolution) ? info.resolution : {};
    const commit = commitOf(typeof resolution.tarball === 'string' ? resolution.tarball : key);
    if (commit) pkg.commit = commit;
    byId.set(id, pkg);
    graph.node(id, `${name}@${version}`);
  }

  const resolve = (dep: string, value: unknown): string | undefined => {
    const ref = isObject(value) ? value.version : value;
    if (typeof ref !== 'string' || ref.startsWith('link:') || ref.startsWith('file:')) return undefined;
    const key = packages[ref] !== undefined ? ref : referenceKey(dep, ref, style);
    const parsedKey = parseKey(key, style);
    const id = parsedKey ? nodeId(parsedKey) : key;
    return byId.has(id) ? id : undefined;
  };
  // Edges: v9 keeps each package's resolved dependencies under `snapshots`, older formats under `packages`.
  const withDeps = style === 'bare' && isObject(lock.snapshots) ? lock.snapshots : packages;
  for (const [key, entry] of Object.entries(withDeps)) {
    if (!isObject(entry)) continue;
    const parsedKey = parseKey(key, style);
    const from = parsedKey ? nodeId(parsedKey) : key;
    for (const field of PACKAGE_FIELDS) {
      const deps = entry[field];
      if (!isObject(deps)) continue;
      for (const [dep, value] of Object.entries(deps)) {
        const to = resolve(dep, value);
        if (to) graph.edge(from, to);
      }
    }
  }
  const direct = new Set<string>();
  const importers = isObject(lock.importers) ? Object.values(lock.importers) : [lock];
  for (const importer of importers) {
    if (!isObject(importer)) continue;
    for (const field of IMPORTER_FIELDS) {
      const deps = importer[field];
      if (!isObject(deps)) continue;
      for (const [dep, value] of Object.entries(deps)) {
        const id = resolve(dep, value);
        if (id) direct.add(id);
      }
    }
  }
  const paths = graph.pathsFrom(direct);
  for (const [id, pkg] of byId) {
    pkg.direct = direct.has(id);
    const path = paths.get(id);
    if (path) pkg.path = path;
  }
  return packagesResult([...byId.values()], problems);
}

/** How a lockfile format spells package keys: 5.x `/name/1.0.0`, 6.x `/name@1.0.0`, 9.0 `name@1.0.0`. */
type KeyStyle = 'slash' | 'at' | 'bare';

/** Name and version (peer suffix removed) from a package key, or undefined if it has neither shape. */
function parseKey(key: string, style: KeyStyle): { name: string; version: string } | undefined {
  let k = key.startsWith('/') ? key.slice(1) : key;
  const paren = k.indexOf('(');
  if (paren > 0) k = k.slice(0, paren);
  if (style === 'slash') {
    const slash = k.lastIndexOf('/');
    if (slash <= 0) return undefined;
    const version = k.slice(slash + 1).split('_')[0] as string;
    return { name: k.slice(0, slash), version };
  }
  const at = k.indexOf('@', 1);
  if (at <= 0) return undefined;
  return { name: k.slice(0, at), version: k.slice(at + 1) };
}

function nodeId(key: { name: string; version: string }): string {
  return `${key.name}@${key.version}`;
}

/** The package key a dependency reference points to: `5.3.2(acorn@8.11.3)`, or an alias `real@1.0.0` / `/real/1.0.0`. */
function referenceKey(dep: string, ref: string, style: KeyStyle): string {
  if (ref.startsWith('/')) return ref;
  if (style === 'slash') return `/${dep}/${ref}`;
  const beforePeers = ref.split('(')[0] as string;
  const aliased = beforePeers.indexOf('@', 1) > 0;
  const key = aliased ? ref : `${dep}@${ref}`;
  return style === 'at' ? `/${key}` : key;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
