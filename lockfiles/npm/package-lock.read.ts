import { parseJsonText } from '../../domain/text/json-syntax';
import { DependencyGraph } from '../dependency-graph';
import { commitOf } from '../git-commit';
import { JsonKeyLocator } from '../text/json-keys';
import { failedResult, packagesResult, unsupportedVersion } from '../result';
import type { LockedPackage, LockfileParseResult, LockfileProblem } from '../types';

type Json = Record<string, unknown>;

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

/**
 * npm `package-lock.json` / `npm-shrinkwrap.json`, lockfileVersion 1, 2 and 3
 * (https://docs.npmjs.com/cli/v11/configuring-npm/package-lock-json). Versions 2 and 3 are read from `packages`, keyed
 * by install location, so every nested duplicate is its own instance; version 1 from the nested `dependencies` tree.
 */
export function parsePackageLock(_path: string, text: string): LockfileParseResult {
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const { line, column, message } = parsed.error;
    return failedResult(`not valid JSON at column ${column}: ${message}`, line);
  }
  const lock = parsed.value;
  if (!isObject(lock)) return failedResult('expected a JSON object at the top level of an npm lockfile', 1);
  const version = lock.lockfileVersion;
  if (version === 2 || version === 3) {
    if (!isObject(lock.packages)) return failedResult(`lockfileVersion ${version} without a "packages" object`);
    return readPackages(text, lock.packages);
  }
  if (version === 1 || (version === undefined && isObject(lock.dependencies))) {
    return readV1(text, isObject(lock.dependencies) ? lock.dependencies : {});
  }
  return unsupportedVersion(version, '1, 2 or 3');
}

/** lockfileVersion 2/3: `packages` maps install locations (`node_modules/a/node_modules/b`) to package metadata. */
function readPackages(text: string, packages: Json): LockfileParseResult {
  const problems: LockfileProblem[] = [];
  const keys = new JsonKeyLocator(text);
  keys.next('packages', '{');
  const instances: { key: string; pkg: LockedPackage }[] = [];
  const roots: string[] = [];
  const graph = new DependencyGraph();
  for (const [key, entry] of Object.entries(packages)) {
    // Install locations only appear as keys of `packages`, so any value shape will do (and locates bad entries too).
    const line = keys.next(key, '');
    if (!isObject(entry)) {
      problems.push(at(line, `"packages" entry "${key}" is not an object`));
      continue;
    }
    if (entry.link === true) continue;
    const marker = key.lastIndexOf('node_modules/');
    // The root ("") and workspace folders ("packages/a") are the project itself: their dependencies are direct.
    if (marker === -1) {
      roots.push(key);
      continue;
    }
    if (entry.version !== undefined && typeof entry.version !== 'string') {
      problems.push(at(line, `"version" of "${key}" is not a string`));
      continue;
    }
    const name = typeof entry.name === 'string' ? entry.name : key.slice(marker + 'node_modules/'.length);
    const pkg: LockedPackage = { ecosystem: 'npm', name, version: entry.version ?? '' };
    if (line !== undefined) pkg.line = line;
    const commit = commitOf(typeof entry.resolved === 'string' ? entry.resolved : undefined);
    if (commit && !isRegistryTarball(entry.resolved)) pkg.commit = commit;
    instances.push({ key, pkg });
    graph.node(key, `${name}@${pkg.version}`);
  }
  const resolve = (from: string, dep: string): string | undefined => resolveInstall(packages, from, dep);
  const direct = new Set<string>();
  for (const root of roots) {
    for (const dep of dependencyNames(packages[root])) {
      const target = resolve(root, dep);
      if (target !== undefined) direct.add(target);
    }
  }
  for (const { key } of instances) {
    for (const dep of dependencyNames(packages[key])) {
      const target = resolve(key, dep);
      if (target !== undefined) graph.edge(key, target);
    }
  }
  const paths = graph.pathsFrom(direct);
  const out = instances.map(({ key, pkg }) => {
    pkg.direct = direct.has(key);
    const path = paths.get(key);
    if (path) pkg.path = path;
    return pkg;
  });
  return packagesResult(out, problems);
}

/**
 * Node's module resolution over install locations: a dependency of the package at `from` is the nearest
 * `…/node_modules/<dep>` walking up from `from` to the root; links (workspaces) resolve to their target folder.
 */
function resolveInstall(packages: Json, from: string, dep: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base === '' ? `node_modules/${dep}` : `${base}/node_modules/${dep}`;
    const entry = packages[candidate];
    if (isObject(entry)) {
      return entry.link === true && typeof entry.resolved === 'string' ? entry.resolved : candidate;
    }
    if (base === '') return undefined;
    const up = base.lastIndexOf('/node_modules/');
    base = up === -1 ? '' : base.slice(0, up);
  }
}

function dependencyNames(entry: unknown): string[] {
  if (!isObject(entry)) return [];
  const names: string[] = [];
  for (const field of DEPENDENCY_FIELDS) {
    const deps = entry[field];
    if (isObject(deps)) names.push(...Object.keys(deps));
  }
  return names;
}

/** lockfileVersion 1: a tree of `dependencies`, each entry possibly holding its own nested `dependencies`. */
function readV1(text: string, dependencies: Json): LockfileParseResult {
  const problems: LockfileProblem[] = [];
  const out: LockedPackage[] = [];
  const keys = new JsonKeyLocator(text);
  keys.next('dependencies', '{');
  // Depth-first in text order, so each key is searched for after its parent's.
  const walk = (deps: Json, trail: string): void => {
    for (const [key, entry] of Object.entries(deps)) {
      const line = keys.next(key, '{');
      if (!isObject(entry) || typeof entry.version !== 'string') {
        problems.push(at(line, `dependency "${trail}${key}" has no "version" string`));
        continue;
      }
      out.push(v1Package(key, entry.version, line, typeof entry.resolved === 'string' ? entry.resolved : undefined));
      if (isObject(entry.dependencies)) walk(entry.dependencies, `${trail}${key} > `);
    }
  };
  walk(dependencies, '');
  return packagesResult(out, problems);
}

function v1Package(
  key: string,
  version: string,
  line: number | undefined,
  resolved: string | undefined,
): LockedPackage {
  let name = key;
  let resolvedVersion = version;
  // An alias is recorded as `"alias": { "version": "npm:real-name@1.2.3" }`.
  if (version.startsWith('npm:')) {
    const spec = version.slice('npm:'.length);
    const sep = spec.lastIndexOf('@');
    if (sep > 0) {
      name = spec.slice(0, sep);
      resolvedVersion = spec.slice(sep + 1);
    }
  }
  const pkg: LockedPackage = { ecosystem: 'npm', name, version: resolvedVersion };
  // A git dependency's "version" is its URL; the commit is what identifies it.
  if (/^(?:git\+|git:|github:|gitlab:|bitbucket:)/.test(version)) {
    pkg.version = '';
    const commit = commitOf(version) ?? commitOf(resolved);
    if (commit) pkg.commit = commit;
  }
  if (line !== undefined) pkg.line = line;
  return pkg;
}

function isRegistryTarball(resolved: unknown): boolean {
  return typeof resolved === 'string' && /^https?:\/\/[^#]+\.tgz$/.test(resolved);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(line: number | undefined, message: string): LockfileProblem {
  return line === undefined ? { message } : { line, message };
}
