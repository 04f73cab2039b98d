import { LineCounter } from '../../domain/text/line-index';

/**
 * Finds the lines of object keys in a JSON text, in the order `JSON.parse` yields them (text order for the
 * non-numeric keys lockfiles use), by searching forward from the previous hit. Each search is `indexOf` from where
 * the last one ended and each line number a binary search over newline offsets found once, so locating every package
 * of a lockfile costs about one pass over the text, minified (one line) or not.
 */
export class JsonKeyLocator {
  private readonly lines: LineCounter;

  constructor(
    private readonly text: string,
    private position = 0,
  ) {
    this.lines = new LineCounter(text);
  }

  /**
   * The line of the next `"key": <opening>` at or after `from` (default: where the last search ended), where
   * `opening` is the first character of the value (`{` for an object, `[` for an array, `''` for any value);
   * undefined if not found.
   */
  next(key: string, opening: string, from = this.position): number | undefined {
    const quoted = JSON.stringify(key);
    const { text } = this;
    for (let at = text.indexOf(quoted, from); at !== -1; at = text.indexOf(quoted, at + 1)) {
      let i = skipSpace(text, at + quoted.length);
      if (text[i] !== ':') continue;
      i = skipSpace(text, i + 1);
      if (opening !== '' && text[i] !== opening) continue;
      this.position = i;
      return this.lines.lineAt(at);
    }
    return undefined;
  }

  /** Where the last successful search ended, to resume a nested search from. */
  get offset(): number {
    return this.position;
  }
}

function skipSpace(text: string, i: number): number {
  let j = i;
  for (;;) {
    const c = text.charCodeAt(j);
    if (c === 32 || c === 10 || c === 13 || c === 9) j++;
    else return j;
  }
}
