import { parse as parseToml, TomlError } from 'smol-toml';
import { normalizePyPiName, type PyPiProject, type PyPiRegistry } from '../registries';
import { goodReleases, lastGoodRelease, liveFiles, parseRequiresDist, type RequiresDist } from './choose-release';
import { PinInputError, unchangedPin, type LockPinOptions, type LockPinResult, type PinChange } from '../pin-types';

/** Options of `pinPipfileLock`: `manifestText` is the Pipfile beside the lock. */
export interface PipfilePinOptions extends LockPinOptions {
  registry: PyPiRegistry;
}

/** One package of a Pipfile.lock section. */
interface LockedEntry {
  version?: string;
  hashes?: string[];
  index?: string;
  markers?: string;
  [field: string]: unknown;
}

interface PipfileLock {
  _meta?: { 'pipfile-spec'?: number; [field: string]: unknown };
  default?: Record<string, LockedEntry>;
  develop?: Record<string, LockedEntry>;
  [field: string]: unknown;
}

/** The Pipfile section whose packages are the roots of each lock section. */
const SECTIONS = { default: 'packages', develop: 'dev-packages' } as const;

/** pipenv writes the lock as Python's `json.dumps(lock, indent=4, sort_keys=True)` plus a newline. */
function serialize(value: unknown): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sorted)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
          )
        : v;
  return `${JSON.stringify(sorted(value), null, 4)}\n`;
}

/** The requirement a Pipfile puts on a package (`"*"`, `">=1.0"`, `{version = "==1.0"}`), as a PEP 440 specifier. */
function pipfileSpecifier(spec: unknown): string {
  const s =
    typeof spec === 'string'
      ? spec
      : spec && typeof spec === 'object'
        ? (spec as { version?: unknown }).version
        : undefined;
  return typeof s === 'string' && s.trim() !== '*' ? s.trim() : '';
}

/** The pinned version of an entry (`==1.2.3`), or undefined for a path, VCS or unpinned entry. */
const pinnedVersion = (e: LockedEntry): string | undefined => /^===?\s*(\S+)$/.exec(e.version ?? '')?.[1];

/**
 * Pins a Pipfile.lock (spec 6): each affected `==version` in `default` and `develop` becomes the last good release
 * (shared with the other Python pinners: no advisory, every file uploaded before the window, allowed by the Pipfile
 * and by what the section's other locked releases require of it), with that release's file hashes, as pipenv writes
 * them. A package only the bad release required is removed; one the good release needs that the section lacks is
 * added with its hashes. The Pipfile is not changed — the lock's `_meta` hash is of the Pipfile, so it still holds;
 * when the Pipfile's own requirement excludes the good release, the package goes to a person.
 */
export async function pinPipfileLock(options: PipfilePinOptions): Promise<LockPinResult> {
  const { registry, affected, publishedBefore } = options;
  let lock: PipfileLock;
  try {
    lock = JSON.parse(options.lockText) as PipfileLock;
  } catch (err) {
    throw new PinInputError('lockfile', `is not valid JSON: ${(err as Error).message}`);
  }
  if (lock?._meta?.['pipfile-spec'] !== 6)
    return unchangedPin(options, [
      `Pipfile.lock spec ${String(lock?._meta?.['pipfile-spec'])} is not rewritten by cordon (only 6): run pipenv lock`,
    ]);
  let pipfile: Record<string, unknown> = {};
  if (options.manifestText !== undefined) {
    try {
      pipfile = parseToml(options.manifestText);
    } catch (err) {
      const line = err instanceof TomlError ? `line ${err.line}: ` : '';
      throw new PinInputError(
        'manifest',
        `is not valid TOML: ${line}${(err as Error).message.split('\n')[0]}`,
        'Pipfile',
      );
    }
  }

  const problems: string[] = [];
  const changes: PinChange[] = [];
  const added: string[] = [];
  const removed: string[] = [];
  const requiresOf = async (name: string, version: string): Promise<RequiresDist[]> =>
    ((await registry.release(name, version)).info.requires_dist ?? [])
      .map(parseRequiresDist)
      .filter((d): d is RequiresDist => d !== undefined && d.extra === undefined);
  const hashesOf = (doc: PyPiProject, version: string): string[] =>
    [...new Set(liveFiles(doc, version).map((f) => `sha256:${f.digests.sha256}`))].sort();

  for (const [section, manifestSection] of Object.entries(SECTIONS) as Array<[keyof typeof SECTIONS, string]>) {
    const entries = lock[section];
    if (!entries) continue;
    const declared = new Map(
      Object.entries((pipfile[manifestSection] as Record<string, unknown> | undefined) ?? {}).map(([n, spec]) => [
        normalizePyPiName(n),
        pipfileSpecifier(spec),
      ]),
    );
    const keyOf = new Map(Object.keys(entries).map((n) => [normalizePyPiName(n), n]));
    // What every locked release of the section requires, by the required package's key.
    const requires = new Map<string, RequiresDist[]>();
    for (const [name, e] of Object.entries(entries)) {
      const v = pinnedVersion(e);
      if (v) requires.set(normalizePyPiName(name), await requiresOf(name, v));
    }
    const pinned = new Map<string, { good: RequiresDist[]; bad: RequiresDist[] }>();
    for (const [name, e] of Object.entries(entries)) {
      const bad = pinnedVersion(e);
      if (!bad || !affected(name, bad)) continue;
      const key = normalizePyPiName(name);
      const doc = await registry.project(name);
      const fromParents = [...requires]
        .filter(([k]) => k !== key)
        .flatMap(([, deps]) => deps.filter((d) => d.key === key).map((d) => d.specifier));
      const fromPipfile = declared.get(key);
      const specifiers = [...fromParents, ...(fromPipfile ? [fromPipfile] : [])];
      const good = lastGoodRelease(
        goodReleases(doc, (v) => affected(name, v), publishedBefore, specifiers),
        bad,
      );
      if (!good) {
        const withoutPipfile = lastGoodRelease(
          goodReleases(doc, (v) => affected(name, v), publishedBefore, fromParents),
          bad,
        );
        problems.push(
          withoutPipfile
            ? `Pipfile requires ${name} ${fromPipfile}, which excludes ${withoutPipfile}: change it and run \`pipenv lock\``
            : `${name} ${bad} (${section}): no release on ${registry.url} is unaffected, published before the window` +
                (fromParents.length > 0 ? ` and allowed by ${fromParents.join(', ')}` : '') +
                ': remove or replace the dependency by hand',
        );
        continue;
      }
      entries[name] = { ...e, version: `==${good}`, hashes: hashesOf(doc, good) };
      changes.push({ package: name, from: bad, to: good, paths: [`Pipfile.lock ${section} ${name}`] });
      pinned.set(key, { good: await requiresOf(name, good), bad: requires.get(key) ?? [] });
      requires.set(key, pinned.get(key)!.good);
    }
    if (pinned.size === 0) continue;

    // Removed: what a bad release required that nothing in the section (nor the Pipfile) requires any more, and
    // then what only those required.
    const candidates = [...pinned.values()].flatMap((p) => p.bad.map((d) => d.key));
    while (candidates.length > 0) {
      const key = candidates.shift()!;
      const name = keyOf.get(key);
      if (!name || !entries[name]) continue;
      const required = new Set([
        ...declared.keys(),
        ...[...requires.values()].flatMap((deps) => deps.map((d) => d.key)),
      ]);
      if (required.has(key)) continue;
      const version = pinnedVersion(entries[name]) ?? entries[name].version ?? '';
      candidates.push(...(requires.get(key) ?? []).map((d) => d.key));
      delete entries[name];
      requires.delete(key);
      removed.push(`${name}@${version}`);
      changes.push({ package: name, from: version, to: null, paths: [`Pipfile.lock ${section} ${name}`] });
    }
    // Added: what a good release needs that the section lacks, with its own dependencies, as pipenv locks them.
    const queue = [...pinned.values()].flatMap((p) => p.good);
    while (queue.length > 0) {
      const d = queue.shift()!;
      if (keyOf.has(d.key) && entries[keyOf.get(d.key)!]) continue;
      const doc = await registry.project(d.name);
      const version = goodReleases(doc, (v) => affected(d.name, v), publishedBefore, [d.specifier]).at(-1);
      if (!version) {
        problems.push(
          `${d.name} ${d.specifier || '*'} (${section}): no good release qualifies: add it by hand and run \`pipenv lock\``,
        );
        continue;
      }
      const name = normalizePyPiName(doc.info.name || d.name);
      entries[name] = {
        hashes: hashesOf(doc, version),
        ...(d.marker ? { markers: d.marker } : {}),
        version: `==${version}`,
      };
      keyOf.set(d.key, name);
      added.push(`${name}@${version}`);
      queue.push(...(await requiresOf(name, version)));
    }
  }
  if (changes.length === 0) return unchangedPin(options, problems);
  return {
    lockText: serialize(lock),
    ...(options.manifestText !== undefined ? { manifestText: options.manifestText } : {}),
    changes,
    added,
    removed,
    problems,
  };
}
