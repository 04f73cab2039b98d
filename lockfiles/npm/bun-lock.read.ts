import { parseJsoncText } from '../../domain/text/json-syntax';
import { DependencyGraph } from '../dependency-graph';
import { commitOf } from '../git-commit';
import { JsonKeyLocator } from '../text/json-keys';
import { failedResult, packagesResult, unsupportedVersion } from '../result';
import type { LockedPackage, LockfileParseResult, LockfileProblem } from '../types';

type Json = Record<string, unknown>;

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];

/** Resolutions that are the project's own folders rather than installed packages. */
const LOCAL = /^(?:workspace|link|file|root):/;

/**
 * bun.lock, Bun's text lockfile (JSONC: trailing commas allowed; https://bun.sh/docs/install/lockfile).
 * `packages` maps an install key (`axios`, or `axios/follow-redirects` for a copy nested under axios) to
 * `["name@version", registry, {dependencies…}, integrity]`; the first element names the real package, so aliases
 * resolve. `workspaces` holds each workspace's declared dependencies, which are the direct ones.
 */
export function parseBunLock(_path: string, text: string): LockfileParseResult {
  const parsed = parseJsoncText(text);
  if (!parsed.ok) {
    const { line, column, message } = parsed.error;
    return failedResult(`not valid JSONC at column ${column}: ${message}`, line);
  }
  const lock = parsed.value;
  if (!isObject(lock)) return failedResult('expected a JSON object at the top level of bun.lock', 1);
  if (lock.lockfileVersion !== 0 && lock.lockfileVersion !== 1) {
    return unsupportedVersion(lock.lockfileVersion, '0 or 1');
  }
  if (!isObject(lock.packages)) return failedResult('bun.lock without a "packages" object');
  const packages = lock.packages;
  const keys = new JsonKeyLocator(text);
  keys.next('packages', '{');
  const problems: LockfileProblem[] = [];
  const graph = new DependencyGraph();
  const instances = new Map<string, LockedPackage>();
  for (const [key, entry] of Object.entries(packages)) {
    const line = keys.next(key, '[');
    const fields: unknown[] = Array.isArray(entry) ? entry : [];
    const id = fields[0];
    const at = typeof id === 'string' ? id.indexOf('@', 1) : -1;
    if (typeof id !== 'string' || at <= 0) {
      const message = `"packages" entry "${key}" does not start with "name@version"`;
      problems.push(line === undefined ? { message } : { line, message });
      continue;
    }
    const resolution = id.slice(at + 1);
    if (LOCAL.test(resolution)) continue;
    const name = id.slice(0, at);
    const pkg: LockedPackage = { ecosystem: 'npm', name, version: resolution };
    // Git and tarball dependencies carry a URL where npm ones carry a version; the commit identifies them.
    if (/^(?:git\+|github:|gitlab:|bitbucket:|https?:)/.test(resolution)) {
      pkg.version = '';
      const commit = commitOf(resolution) ?? commitOf(typeof fields[2] === 'string' ? `#${fields[2]}` : undefined);
      if (commit) pkg.commit = commit;
    }
    if (line !== undefined) pkg.line = line;
    instances.set(key, pkg);
    graph.node(key, `${name}@${pkg.version}`);
  }
  for (const [key, entry] of Object.entries(packages)) {
    if (!instances.has(key) || !Array.isArray(entry)) continue;
    const info = entry.find((e): e is Json => isObject(e));
    for (const dep of dependencyNames(info)) {
      const to = resolveInstall(instances, key, dep);
      if (to) graph.edge(key, to);
    }
  }
  const direct = new Set<string>();
  for (const workspace of Object.values(isObject(lock.workspaces) ? lock.workspaces : {})) {
    for (const dep of dependencyNames(isObject(workspace) ? workspace : undefined)) {
      // A workspace's own copies are keyed `<workspace name>/<dep>`; hoisted ones just `<dep>`.
      const name = isObject(workspace) && typeof workspace.name === 'string' ? workspace.name : '';
      const to =
        (name && instances.has(`${name}/${dep}`) ? `${name}/${dep}` : undefined) ??
        (instances.has(dep) ? dep : undefined);
      if (to) direct.add(to);
    }
  }
  const paths = graph.pathsFrom(direct);
  for (const [key, pkg] of instances) {
    pkg.direct = direct.has(key);
    const path = paths.get(key);
    if (path) pkg.path = path;
  }
  return packagesResult([...instances.values()], problems);
}

/** Bun nests like node_modules: `a/b` is b installed under a; a dependency resolves to the nearest enclosing copy. */
function resolveInstall(instances: Map<string, LockedPackage>, from: string, dep: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base === '' ? dep : `${base}/${dep}`;
    if (instances.has(candidate)) return candidate;
    if (base === '') return undefined;
    base = parentKey(base);
  }
}

/** `a/@s/b/c` → `a/@s/b`, `a` → ``: drops the last package name, scoped names being two segments. */
function parentKey(key: string): string {
  const parts = key.split('/');
  const last = parts.length >= 2 && (parts[parts.length - 2] as string).startsWith('@') ? 2 : 1;
  return parts.slice(0, parts.length - last).join('/');
}

function dependencyNames(info: Json | undefined): string[] {
  if (!info) return [];
  return DEPENDENCY_FIELDS.flatMap((f) => (isObject(info[f]) ? Object.keys(info[f]) : []));
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
