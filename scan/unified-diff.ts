// A unified diff of two texts, as `diff -u` and `git diff` print it, so `cordon pin` shows the change it would make
// and `git apply` or `patch -p1` can apply it. Lines are matched with Myers' O(ND) algorithm: a pin changes a few
// lines of a long lockfile, so D stays small.

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Past this many differing lines the middle is shown as removed then added: still a correct diff, just not minimal. */
const MAX_EDIT_DISTANCE = 2000;
const NO_EOL = '\0';

/** The lines of a text; a last line without a newline is marked so it differs from the same line with one. */
function linesOf(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  else lines[lines.length - 1] += NO_EOL;
  return lines;
}

/** The shortest edit script from `a` to `b` (Myers 1986), or undefined past `MAX_EDIT_DISTANCE`. */
function myers(a: readonly string[], b: readonly string[]): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // Each round's furthest reaches, for k in [-d-1, d+1]: enough to walk the path back.
  const trace: Int32Array[] = [];
  for (let d = 0; d <= Math.min(max, MAX_EDIT_DISTANCE); d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace);
    }
  }
  return undefined;
}

function backtrack(a: readonly string[], b: readonly string[], trace: Int32Array[]): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const snap = trace[d]!;
    const at = (k: number): number => snap[k + d + 1]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      y--;
      ops.push({ kind: ' ', line: a[--x]! });
    }
    if (d > 0) {
      if (x === prevX) ops.push({ kind: '+', line: b[--y]! });
      else ops.push({ kind: '-', line: a[--x]! });
    }
  }
  return ops.reverse();
}

/**
 * The unified diff turning `before` into `after`, with `context` unchanged lines around each change; empty when the
 * texts are equal. Paths are printed as `a/FILE` and `b/FILE`, as git does.
 */
export function unifiedDiff(file: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const a = linesOf(before);
  const b = linesOf(after);
  // Common head and tail first: most of a lockfile, and it keeps the edit search small.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const middle = myers(midA, midB) ?? [
    ...midA.map((line): Op => ({ kind: '-', line })),
    ...midB.map((line): Op => ({ kind: '+', line })),
  ];
  const ops: Op[] = [
    ...a.slice(0, head).map((line): Op => ({ kind: ' ', line })),
    ...middle,
    ...a.slice(a.length - tail).map((line): Op => ({ kind: ' ', line })),
  ];
  return `--- a/${file}\n+++ b/${file}\n${hunks(ops, context).join('')}`;
}

function hunks(ops: readonly Op[], context: number): string[] {
  const changed = ops.flatMap((op, i) => (op.kind === ' ' ? [] : [i]));
  const out: string[] = [];
  for (let c = 0; c < changed.length; c++) {
    const firstChange = changed[c]!;
    // Changes closer than twice the context share one hunk.
    while (c + 1 < changed.length && changed[c + 1]! - changed[c]! <= 2 * context + 1) c++;
    const start = Math.max(0, firstChange - context);
    const end = Math.min(ops.length, changed[c]! + context + 1);
    out.push(hunk(ops, start, end));
  }
  return out;
}

function hunk(ops: readonly Op[], start: number, end: number): string {
  let fromA = 0;
  let fromB = 0;
  for (const op of ops.slice(0, start)) {
    if (op.kind !== '+') fromA++;
    if (op.kind !== '-') fromB++;
  }
  const body = ops.slice(start, end);
  const lenA = body.filter((op) => op.kind !== '+').length;
  const lenB = body.filter((op) => op.kind !== '-').length;
  // An empty range names the line before it (0 at the top), as diff -u does.
  const range = (from: number, len: number): string => `${len === 0 ? from : from + 1},${len}`;
  const lines = body.map((op) =>
    op.line.endsWith(NO_EOL)
      ? `${op.kind}${op.line.slice(0, -1)}\n\\ No newline at end of file\n`
      : `${op.kind}${op.line}\n`,
  );
  return `@@ -${range(fromA, lenA)} +${range(fromB, lenB)} @@\n${lines.join('')}`;
}
