/**
 * Turns character offsets into 1-based line numbers. The newline offsets are found once (one pass over the text) and
 * each lookup is a binary search over them, so a parser may ask in any order and a one-line minified lockfile costs
 * no more than a pretty-printed one: searching forward for the next newline on every lookup was quadratic there.
 */
export class LineCounter {
  private readonly newlines: Uint32Array;

  constructor(text: string) {
    this.newlines = newlineOffsets(text);
  }

  /** The 1-based line that holds the character at `offset`. */
  lineAt(offset: number): number {
    // Count the newlines strictly before `offset`: the first index whose newline is at or after it.
    const { newlines } = this;
    let lo = 0;
    let hi = newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (newlines[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  }
}

function newlineOffsets(text: string): Uint32Array {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  const out = new Uint32Array(count);
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) out[n++] = i;
  return out;
}

/** The 1-based line and column of an offset, for one-off error messages. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}
