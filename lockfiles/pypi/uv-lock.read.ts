import { DependencyGraph } from '../dependency-graph';
import { commitOf } from '../git-commit';
import { packagesResult } from '../result';
import { isObject, type Json } from '../lock-values';
import { readPackageTables } from '../text/toml-text';
import type { LockedPackage, LockfileParseResult, LockfileProblem } from '../types';

/** Sources that are the project's own folders (workspace members) rather than distributions from an index. */
const LOCAL_SOURCES = ['virtual', 'editable', 'path', 'directory'];

/**
 * uv.lock (https://docs.astral.sh/uv/concepts/projects/layout/#the-lockfile): `[[package]]` tables with a `source`;
 * workspace members (`source = { virtual = "." }` / `editable`) are the project, so their dependencies are the direct
 * ones, and each package's `dependencies` (`{ name, version? }`) give the dependency paths.
 */
export function parseUvLock(_path: string, text: string): LockfileParseResult {
  const read = readPackageTables(text);
  if (!read.ok) return read.result;
  const { tables, lines } = read;
  const problems: LockfileProblem[] = [];
  const graph = new DependencyGraph();
  const instances = new Map<string, LockedPackage>();
  const byName = new Map<string, string[]>();
  const roots: Json[] = [];
  tables.forEach((table, index) => {
    const line = lines[index];
    if (typeof table.name !== 'string' || typeof table.version !== 'string') {
      // Workspace members may be versionless (`dynamic = ["version"]`); they are roots, not packages.
      if (typeof table.name === 'string' && isLocal(table)) roots.push(table);
      else problems.push(at(line, `[[package]] #${index + 1} lacks a name or version string`));
      return;
    }
    if (isLocal(table)) {
      roots.push(table);
      return;
    }
    const id = `${table.name}@${table.version}`;
    const pkg: LockedPackage = { ecosystem: 'PyPI', name: table.name, version: table.version };
    if (line !== undefined) pkg.line = line;
    const source = isObject(table.source) ? table.source : {};
    const commit = commitOf(typeof source.git === 'string' ? source.git : undefined);
    if (commit) pkg.commit = commit;
    instances.set(id, pkg);
    byName.set(table.name, [...(byName.get(table.name) ?? []), id]);
    graph.node(id, id);
  });
  const resolve = (dep: unknown): string | undefined => {
    if (!isObject(dep) || typeof dep.name !== 'string') return undefined;
    if (typeof dep.version === 'string')
      return instances.has(`${dep.name}@${dep.version}`) ? `${dep.name}@${dep.version}` : undefined;
    const ids = byName.get(dep.name);
    return ids?.length === 1 ? ids[0] : undefined;
  };
  for (const table of tables) {
    if (typeof table.name !== 'string' || isLocal(table)) continue;
    for (const dep of dependencyList(table)) {
      const to = resolve(dep);
      if (to) graph.edge(`${table.name}@${String(table.version)}`, to);
    }
  }
  const direct = new Set<string>();
  for (const root of roots) {
    for (const dep of dependencyList(root)) {
      const to = resolve(dep);
      if (to) direct.add(to);
    }
  }
  const paths = graph.pathsFrom(direct);
  for (const [id, pkg] of instances) {
    pkg.direct = direct.has(id);
    const path = paths.get(id);
    if (path) pkg.path = path;
  }
  return packagesResult([...instances.values()], problems);
}

function isLocal(table: Json): boolean {
  const source = isObject(table.source) ? table.source : {};
  return LOCAL_SOURCES.some((k) => k in source);
}

/** `dependencies`, plus every group of `optional-dependencies` and `dev-dependencies`. */
function dependencyList(table: Json): unknown[] {
  const out: unknown[] = Array.isArray(table.dependencies) ? [...(table.dependencies as unknown[])] : [];
  for (const field of ['optional-dependencies', 'dev-dependencies']) {
    const groups = table[field];
    if (!isObject(groups)) continue;
    for (const group of Object.values(groups)) if (Array.isArray(group)) out.push(...(group as unknown[]));
  }
  return out;
}

function at(line: number | undefined, message: string): LockfileProblem {
  return line === undefined ? { message } : { line, message };
}
