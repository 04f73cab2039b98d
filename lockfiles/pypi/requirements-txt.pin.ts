import { normalizePyPiName, type PyPiProject, type PyPiRegistry } from '../registries';
import { goodReleases, lastGoodRelease, liveFiles, parseRequiresDist, type RequiresDist } from './choose-release';
import { unchangedPin, type LockPinOptions, type LockPinResult, type PinChange } from '../pin-types';

/** Options of `pinRequirementsTxt`: the requirements file is its own manifest, so no `manifestText`. */
export interface RequirementsPinOptions extends LockPinOptions {
  registry: PyPiRegistry;
}

/** One requirement of the file: where it is, what it pins, and the pip-compile annotations under it. */
interface Requirement {
  /** Index of its first physical line, and of its last (continuations included). */
  first: number;
  last: number;
  /** Index of the last `# via` comment line under it (`last` when it has none). */
  annotatedTo: number;
  name: string;
  key: string;
  version: string;
  hashes: boolean;
  /** The packages pip-compile says required it (`# via`), normalized; undefined when not annotated. */
  via?: string[];
}

const REQUIREMENT =
  /^(\s*)([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(\s*(?:\[[^\]]*\])?\s*)(===?)(\s*)([^\s;\\#,*]+)/;

/** A `Requires-Dist` entry that applies to a pinned line: one of an extra applies only when that extra is asked for. */
function requiredAlways(value: string): RequiresDist | undefined {
  const d = parseRequiresDist(value);
  return d && d.extra === undefined ? d : undefined;
}

/** Reads the requirements, their continuation lines and pip-compile `# via` annotations. */
function readRequirements(lines: string[]): Requirement[] {
  const out: Requirement[] = [];
  let current: Requirement | undefined;
  let inVia = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (current && /^\s+#/.test(line)) {
      const via = /^\s+#\s+via(?:\s+(\S.*))?$/.exec(line);
      const item = /^\s+#\s{2,}(\S.*)$/.exec(line);
      if (via) {
        inVia = true;
        current.via = via[1] ? [via[1].trim()] : [];
        current.annotatedTo = i;
        continue;
      }
      if (inVia && item) {
        current.via!.push(item[1]!.trim());
        current.annotatedTo = i;
        continue;
      }
    }
    inVia = false;
    let last = i;
    while (lines[last]!.trimEnd().endsWith('\\') && last + 1 < lines.length) last++;
    const m = REQUIREMENT.exec(line);
    current = undefined;
    if (m && !line.trimStart().startsWith('-')) {
      const logical = lines.slice(i, last + 1).join(' ');
      current = {
        first: i,
        last,
        annotatedTo: last,
        name: m[2]!,
        key: normalizePyPiName(m[2]!),
        version: m[6]!,
        hashes: /(^|\s)--hash[=\s]/.test(logical),
      };
      out.push(current);
    }
    i = last;
  }
  for (const r of out) if (r.via) r.via = r.via.map((v) => (v.startsWith('-') ? v : normalizePyPiName(v)));
  return out;
}

/** The `--hash` values pip-compile writes for a release: every live file's sha256, sorted. */
function hashesOf(doc: PyPiProject, version: string): string[] {
  return [...new Set(liveFiles(doc, version).map((f) => `sha256:${f.digests.sha256}`))].sort();
}

/** The physical lines of one requirement pinned to `version`, in the layout of `original` (hashes inline or one per line). */
function rewritten(original: string[], version: string, hashes: string[] | undefined): string[] {
  const head = original[0]!.replace(
    REQUIREMENT,
    (_m, ind, name, extras, op, sp) => `${ind}${name}${extras}${op}${sp}${version}`,
  );
  if (!hashes) return [head, ...original.slice(1)];
  const hashLine = original.slice(1).find((l) => /--hash[=\s]/.test(l));
  const withoutHashes = head.replace(/\s*--hash[=\s]\s*\S+/g, '').replace(/\s*\\\s*$/, '');
  if (!hashLine) return [`${withoutHashes} ${hashes.map((h) => `--hash=${h}`).join(' ')}`];
  const indent = /^\s*/.exec(hashLine)![0];
  return [`${withoutHashes} \\`, ...hashes.map((h, i) => `${indent}--hash=${h}${i < hashes.length - 1 ? ' \\' : ''}`)];
}

/**
 * Pins a pip requirements file (`pip freeze`, pip-compile, with or without `--hash`): each affected `name==version`
 * becomes its last good release — the highest final release below the bad one that no advisory affects, was
 * uploaded before the exposure window (every file of it: one added to an old release inside the window disqualifies
 * it) and meets what the packages pip-compile lists under `# via` require of it —
 * and, in hash-checking mode, its `--hash` options become that release's file digests from the index, so
 * `pip install --require-hashes` accepts it. When the file locks a whole environment (hashes or `# via`
 * annotations), it stays whole: requirements only the bad release pulled in (the dropper) are removed, and any the
 * good release needs that the file lacks are added with their hashes, under `# via`.
 */
export async function pinRequirementsTxt(options: RequirementsPinOptions): Promise<LockPinResult> {
  const { registry, affected, publishedBefore } = options;
  const eol = options.lockText.includes('\r\n') ? '\r\n' : '\n';
  const lines = options.lockText.split(/\r?\n/);
  const requirements = readRequirements(lines);
  const byKey = new Map(requirements.map((r) => [r.key, r]));
  const complete = requirements.some((r) => r.hashes || r.via !== undefined);
  const hashMode = requirements.some((r) => r.hashes);
  const problems: string[] = [];
  const changes: PinChange[] = [];
  const added: string[] = [];
  const removed: string[] = [];
  /** Replacement lines by first line index; `[]` removes a requirement with its annotation. */
  const replace = new Map<number, { to: number; lines: string[] }>();
  /** What the pinned packages' good and bad releases require, to find droppers and missing dependencies. */
  const pinned: Array<{ key: string; good: RequiresDist[]; bad: RequiresDist[] }> = [];

  for (const r of requirements) {
    if (!affected(r.name, r.version)) continue;
    const doc = await registry.project(r.name);
    // What the packages pip-compile names as requiring this one ask of its version.
    const specifiers: string[] = [];
    for (const parent of r.via ?? []) {
      const p = byKey.get(parent);
      if (!p || p.key === r.key) continue;
      const deps = (await registry.release(p.name, p.version)).info.requires_dist ?? [];
      for (const d of deps.map(requiredAlways)) if (d?.key === r.key) specifiers.push(d.specifier);
    }
    const candidates = goodReleases(doc, (v) => affected(r.name, v), publishedBefore, specifiers);
    const good = lastGoodRelease(candidates, r.version);
    if (!good) {
      problems.push(
        `${r.name} ${r.version} (line ${r.first + 1}): no release on ${registry.url} is unaffected, published before the window` +
          (specifiers.length > 0 ? ` and allowed by ${specifiers.join(', ')}` : '') +
          ': remove or replace the dependency by hand',
      );
      continue;
    }
    const hashes = r.hashes ? hashesOf(doc, good) : undefined;
    if (hashes?.length === 0) {
      problems.push(`${r.name} ${good} (line ${r.first + 1}): the index lists no file digests to write as --hash`);
      continue;
    }
    replace.set(r.first, { to: r.last, lines: rewritten(lines.slice(r.first, r.last + 1), good, hashes) });
    changes.push({ package: r.name, from: r.version, to: good, paths: [`line ${r.first + 1}`] });
    if (complete) {
      const deps = async (v: string) =>
        ((await registry.release(r.name, v)).info.requires_dist ?? [])
          .map(requiredAlways)
          .filter((d) => d !== undefined);
      pinned.push({ key: r.key, good: await deps(good), bad: await deps(r.version) });
    }
  }

  if (complete && pinned.length > 0) {
    const movedKeys = new Set(pinned.map((p) => p.key));
    // Dropped: a requirement the file says only pinned packages pulled in, that none of their good releases needs
    // and a bad release did; then, in turn, what the file says only dropped requirements pulled in.
    const stillNeeded = new Set(pinned.flatMap((p) => p.good.map((d) => d.key)));
    const gone = new Set<string>();
    for (let dropped = true; dropped;) {
      dropped = false;
      for (const r of requirements) {
        if (gone.has(r.key) || !r.via || r.via.length === 0 || movedKeys.has(r.key) || stillNeeded.has(r.key)) continue;
        if (!r.via.every((v) => movedKeys.has(v) || gone.has(v))) continue;
        if (!pinned.some((p) => p.bad.some((d) => d.key === r.key)) && !r.via.some((v) => gone.has(v))) continue;
        replace.set(r.first, { to: r.annotatedTo, lines: [] });
        gone.add(r.key);
        dropped = true;
        removed.push(`${r.name}@${r.version}`);
        changes.push({ package: r.name, from: r.version, to: null, paths: [`line ${r.first + 1}`] });
      }
    }
    // Missing: what a good release needs that the file does not lock, added the way pip-compile writes it.
    const additions: Array<{ key: string; lines: string[] }> = [];
    const queue = pinned.flatMap((p) =>
      p.good.map((d) => ({ dep: d, by: requirements.find((r) => r.key === p.key)!.name })),
    );
    const seen = new Set(requirements.map((r) => r.key));
    while (queue.length > 0) {
      const { dep, by } = queue.shift()!;
      if (seen.has(dep.key)) continue;
      seen.add(dep.key);
      const doc = await registry.project(dep.name);
      const version = goodReleases(doc, (v) => affected(dep.name, v), publishedBefore, [dep.specifier]).at(-1);
      if (!version) {
        problems.push(`${by} needs ${dep.name} ${dep.specifier}, and no good release of it qualifies: add it by hand`);
        continue;
      }
      const name = doc.info.name || dep.name;
      const head = `${name}==${version}${dep.marker ? ` ; ${dep.marker}` : ''}`;
      const hashes = hashMode ? hashesOf(doc, version) : [];
      additions.push({
        key: dep.key,
        lines: [
          ...(hashes.length > 0
            ? [`${head} \\`, ...hashes.map((h, i) => `    --hash=${h}${i < hashes.length - 1 ? ' \\' : ''}`)]
            : [head]),
          `    # via ${by}`,
        ],
      });
      added.push(`${name}@${version}`);
      for (const d of ((await registry.release(name, version)).info.requires_dist ?? []).map(requiredAlways))
        if (d) queue.push({ dep: d, by: name });
    }
    // pip-compile sorts requirements by name: each addition goes before the first requirement that sorts after it.
    // Taken last name first, so that additions before the same requirement end up in order.
    for (const a of additions.sort((x, y) => y.key.localeCompare(x.key))) {
      const before = requirements.find(
        (r) => r.key.localeCompare(a.key) > 0 && replace.get(r.first)?.lines.length !== 0,
      );
      const at = before ? before.first : lines.length - (lines.at(-1) === '' ? 1 : 0);
      const prior = replace.get(at);
      replace.set(at, prior ? { to: prior.to, lines: [...a.lines, ...prior.lines] } : { to: at - 1, lines: a.lines });
    }
  }

  if (changes.length === 0) return unchangedPin(options, problems);
  const out: string[] = [];
  for (let i = 0; i <= lines.length; i++) {
    const r = replace.get(i);
    if (r) {
      out.push(...r.lines);
      // An insertion (`to` before `i`) keeps the line it sits before.
      if (r.to >= i) {
        i = r.to;
        continue;
      }
    }
    if (i < lines.length) out.push(lines[i]!);
  }
  return { lockText: out.join(eol), changes, added, removed, problems };
}
