import { DependencyGraph } from '../dependency-graph';
import { commitOf } from '../git-commit';
import { packagesResult } from '../result';
import type { Json } from '../lock-values';
import { readPackageTables } from '../text/toml-text';
import type { LockedPackage, LockfileParseResult, LockfileProblem } from '../types';

/**
 * Cargo.lock (lockfile versions 1–4). Packages without a `source` are the workspace's own crates: they are the roots
 * whose `dependencies` are direct, and not reported as packages. A dependency is written `name`, `name version` or
 * `name version (source)`; the bare form is used only when one version of the crate is locked.
 */
export function parseCargoLock(_path: string, text: string): LockfileParseResult {
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
      const message = `[[package]] #${index + 1} lacks a name or version string`;
      problems.push(line === undefined ? { message } : { line, message });
      return;
    }
    if (typeof table.source !== 'string') {
      roots.push(table);
      return;
    }
    const id = `${table.name}@${table.version}`;
    const pkg: LockedPackage = { ecosystem: 'crates.io', name: table.name, version: table.version };
    if (line !== undefined) pkg.line = line;
    const commit = table.source.startsWith('git+') ? commitOf(table.source) : undefined;
    if (commit) pkg.commit = commit;
    instances.set(id, pkg);
    byName.set(table.name, [...(byName.get(table.name) ?? []), id]);
    graph.node(id, id);
  });
  const resolve = (dep: unknown): string | undefined => {
    if (typeof dep !== 'string') return undefined;
    const [name = '', version] = dep.split(' ');
    if (version !== undefined) return instances.has(`${name}@${version}`) ? `${name}@${version}` : undefined;
    const ids = byName.get(name);
    return ids?.length === 1 ? ids[0] : undefined;
  };
  for (const table of tables) {
    if (typeof table.source !== 'string' || !Array.isArray(table.dependencies)) continue;
    for (const dep of table.dependencies as unknown[]) {
      const to = resolve(dep);
      if (to) graph.edge(`${String(table.name)}@${String(table.version)}`, to);
    }
  }
  const direct = new Set<string>();
  for (const root of roots) {
    for (const dep of Array.isArray(root.dependencies) ? (root.dependencies as unknown[]) : []) {
      const to = resolve(dep);
      if (to) direct.add(to);
    }
  }
  const paths = graph.pathsFrom(direct);
  for (const [id, pkg] of instances) {
    // Without workspace crates in the file (a library's lockfile excerpt), nothing is known about directness.
    if (roots.length > 0) pkg.direct = direct.has(id);
    const path = paths.get(id);
    if (path) pkg.path = path;
  }
  return packagesResult([...instances.values()], problems);
}
