/**
 * Turns character offsets into 1-based line numbers. Offsets asked in increasing order cost one pass over the text in
 * total, which is how the lockfile parsers ask; a smaller offset than the last one restarts from the top.
 */
export class LineCounter {
  private offset = 0;
  private line = 1;

  constructor(private readonly text: string) {}

  /** The 1-based line that holds the character at `offset`. */
  lineAt(offset: number): number {
    if (offset < this.offset) {
      this.offset = 0;
      this.line = 1;
    }
    const { text } = this;
    let line = this.line;
    for (let i = text.indexOf('\n', this.offset); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
    this.offset = offset;
    this.line = line;
    return line;
  }
}

/** The 1-based line and column of an offset, for one-off error messages. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}
