// What the poetry.lock and uv.lock pinners share: both edit a TOML lockfile as text, one `[[package]]` block at a time,
// so every byte they do not rewrite stays as the tool wrote it.
import { normalizePyPiName } from '../registries';
import type { PinChange } from '../pin-types';

/** One `[[package]]` block: its table, name (and PEP 503 key), version, and the lines `[start, end)` it spans. */
export interface LockBlock {
  name: string;
  key: string;
  version: string;
  raw: Record<string, unknown>;
  start: number;
  end: number;
}

/**
 * The `[[package]]` blocks of `lines`, one per parsed table, each up to the next header or `endOfLast`; undefined when
 * the headers and tables do not pair up (a lock not laid out as its tool writes it).
 */
export function readLockBlocks(
  lines: string[],
  tables: Array<Record<string, unknown>>,
  endOfLast: (start: number) => number,
): LockBlock[] | undefined {
  const headers = lines.flatMap((l, i) => (/^\[\[package\]\]\s*$/.test(l) ? [i] : []));
  if (headers.length !== tables.length) return undefined;
  return tables.map((raw, i) => {
    const name = typeof raw.name === 'string' ? raw.name : '';
    const start = headers[i]!;
    return {
      name,
      key: normalizePyPiName(name),
      version: typeof raw.version === 'string' ? raw.version : '',
      raw,
      start,
      end: headers[i + 1] ?? endOfLast(start),
    };
  });
}

/** What a pin has decided so far: rewritten blocks by start line (`[]` removes one), and what it reports. */
export interface LockEdit {
  blocks: Map<number, string[]>;
  /** Why an affected block could not be pinned, by start line: moot when the pin drops that block. */
  unpinned: Map<number, string>;
  changes: PinChange[];
  removed: string[];
}

/**
 * Removes the blocks the project reached before the pin and no longer reaches (the bad releases' dropper): each
 * becomes a removal, replacing any version change recorded for it. `path` names a block in a change.
 */
export function dropUnreached<B extends LockBlock>(
  packages: B[],
  before: Set<string>,
  after: Set<string>,
  edit: LockEdit,
  path: (p: B) => string,
): void {
  for (const p of packages) {
    if (!before.has(p.key) || after.has(p.key)) continue;
    const at = edit.changes.findIndex((c) => c.paths[0] === path(p));
    if (at >= 0) edit.changes.splice(at, 1);
    edit.unpinned.delete(p.start);
    edit.blocks.set(p.start, []);
    edit.removed.push(`${p.name}@${p.version}`);
    edit.changes.push({ package: p.name, from: p.version, to: null, paths: [path(p)] });
  }
}

/**
 * The lock's lines with each block rewritten or kept, and `additions` placed in name order among them (both tools
 * sort entries by name). Lines before the first block and after the last stay; with no blocks, additions go at
 * `emptyAt`.
 */
export function assembleLock(
  lines: string[],
  packages: LockBlock[],
  blocks: Map<number, string[]>,
  additions: Array<{ key: string; lines: string[] }>,
  emptyAt: number,
): string[] {
  const end = packages.at(-1)?.end ?? emptyAt;
  const out = lines.slice(0, packages[0]?.start ?? end);
  const pending = [...additions].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const p of packages) {
    while (pending.length > 0 && pending[0]!.key < p.key) out.push(...pending.shift()!.lines);
    out.push(...(blocks.get(p.start) ?? lines.slice(p.start, p.end)));
  }
  for (const a of pending) out.push(...a.lines);
  out.push(...lines.slice(end));
  return out;
}
