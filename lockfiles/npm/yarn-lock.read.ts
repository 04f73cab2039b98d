import { DependencyGraph } from '../dependency-graph';
import { commitOf } from '../git-commit';
import { packagesResult } from '../result';
import type { LockedPackage, LockfileParseResult, LockfileProblem } from '../types';
import { readYarnEntries, type YarnEntry } from './yarn-entries';

const DEPENDENCY_MAPS = ['dependencies', 'optionalDependencies', 'peerDependencies'];

/** Berry resolutions that are not installed packages of their own: local workspaces, links, and patched copies. */
const NOT_A_PACKAGE = /@(?:workspace|link|portal|patch):/;

/**
 * yarn.lock, classic v1 and berry (v2+, recognized by its `__metadata` entry). Aliases (`alias@npm:real@^1`) resolve to
 * the real name. Berry records workspaces, so direct dependencies and dependency paths are known there; v1 does not
 * record what the project itself asked for, so `direct` and `path` are left out.
 */
export function parseYarnLock(_path: string, text: string): LockfileParseResult {
  const { entries, problem } = readYarnEntries(text);
  const problems: LockfileProblem[] = problem ? [problem] : [];
  const berry = entries.some((e) => e.descriptors[0] === '__metadata');
  const byDescriptor = new Map<string, YarnEntry>();
  for (const entry of entries) for (const d of entry.descriptors) byDescriptor.set(d, entry);
  const graph = new DependencyGraph();
  const packages = new Map<YarnEntry, LockedPackage>();
  const workspaces: YarnEntry[] = [];
  for (const entry of entries) {
    if (entry.descriptors[0] === '__metadata') continue;
    const resolution = entry.fields.get('resolution') ?? '';
    if (berry && NOT_A_PACKAGE.test(resolution)) {
      if (resolution.includes('@workspace:')) workspaces.push(entry);
      continue;
    }
    const version = entry.fields.get('version');
    if (version === undefined) {
      problems.push({ line: entry.line, message: `entry "${entry.descriptors.join(', ')}" has no version` });
      continue;
    }
    const name = berry ? berryName(resolution, entry) : classicName(entry);
    const pkg: LockedPackage = { ecosystem: 'npm', name, version, line: entry.line };
    const commit = commitOf(berry ? resolution : entry.fields.get('resolved'));
    if (commit) pkg.commit = commit;
    packages.set(entry, pkg);
    graph.node(String(entry.line), `${name}@${version}`);
  }
  if (!berry) return packagesResult([...packages.values()], problems);

  const target = (dep: string, range: string): YarnEntry | undefined => {
    // Berry writes `name: "npm:^1.0.0"`; the header spells the same dependency `name@npm:^1.0.0`.
    const found = byDescriptor.get(`${dep}@${range}`) ?? byDescriptor.get(`${dep}@npm:${range}`);
    return found && packages.has(found) ? found : undefined;
  };
  for (const entry of packages.keys()) {
    for (const [dep, range] of dependencies(entry)) {
      const to = target(dep, range);
      if (to) graph.edge(String(entry.line), String(to.line));
    }
  }
  const direct = new Set<YarnEntry>();
  for (const ws of workspaces) {
    for (const [dep, range] of [
      ...dependencies(ws),
      ...(ws.maps.get('devDependencies') ?? new Map<string, string>()),
    ]) {
      const to = target(dep, range);
      if (to) direct.add(to);
    }
  }
  const paths = graph.pathsFrom([...direct].map((e) => String(e.line)));
  for (const [entry, pkg] of packages) {
    pkg.direct = direct.has(entry);
    const path = paths.get(String(entry.line));
    if (path) pkg.path = path;
  }
  return packagesResult([...packages.values()], problems);
}

function dependencies(entry: YarnEntry): [string, string][] {
  return DEPENDENCY_MAPS.flatMap((m) => [...(entry.maps.get(m) ?? new Map<string, string>())]);
}

/** `@scope/name@npm:1.2.3` → `@scope/name`: the resolution names the real package, also for aliases. */
function berryName(resolution: string, entry: YarnEntry): string {
  const at = resolution.indexOf('@', 1);
  return at > 0 ? resolution.slice(0, at) : descriptorName(entry.descriptors[0] ?? '');
}

/** v1 has no resolution field: the name comes from the descriptor, following an `alias@npm:real@range` alias. */
function classicName(entry: YarnEntry): string {
  const descriptor = entry.descriptors[0] ?? '';
  const name = descriptorName(descriptor);
  const rest = descriptor.slice(name.length + 1);
  if (rest.startsWith('npm:')) {
    const aliased = rest.slice('npm:'.length);
    if (aliased.indexOf('@', 1) > 0) return descriptorName(aliased);
  }
  return name;
}

function descriptorName(descriptor: string): string {
  const at = descriptor.indexOf('@', 1);
  return at > 0 ? descriptor.slice(0, at) : descriptor;
}
