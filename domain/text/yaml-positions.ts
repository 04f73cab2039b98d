import { isMap, LineCounter, parseDocument, type Document } from 'yaml';

/** One problem in a YAML file, located by line and column (1-based) and by its path in the document. */
export interface YamlProblem {
  file: string;
  line: number;
  col: number;
  path: string;
  message: string;
}

/** A key or index on the way to a YAML node. */
export type PathKey = string | number;

/** A schema issue as zod reports it; only what locating it needs, so this module stays free of zod. */
export interface SchemaIssue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly keys?: readonly string[];
}

/** Formats a problem as `file:line:col: path: message`, the form editors and CI annotate. */
export function formatProblem(p: YamlProblem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.path || '(document)'}: ${p.message}`;
}

/** `steps[2].approval.group`: a document path as people read it. */
export function pathText(path: readonly PathKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** Orders problems as they stand in the file, so they read top to bottom. */
export function byPosition(problems: YamlProblem[]): YamlProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.col - b.col);
}

/** The message for a schema issue; an unknown key names every unknown key, quoted. */
export function describeIssue(issue: SchemaIssue): string {
  if (issue.code === 'unrecognized_keys' && issue.keys)
    return `unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  return issue.message;
}

/** Where a schema issue points: the first unknown key itself rather than the mapping that holds it. */
export function issuePath(issue: SchemaIssue): PathKey[] {
  const path = issue.path as PathKey[];
  const first = issue.keys?.[0];
  return issue.code === 'unrecognized_keys' && first !== undefined ? [...path, first] : path;
}

/** A parsed YAML document that can say where each of its paths and offsets stands in the text. */
export interface PositionedYaml {
  readonly doc: Document;
  /** The 1-based line and column of a character offset in the text. */
  position(offset: number): { line: number; col: number };
  /** The position of the deepest node of `path` that exists (the key itself for a mapping entry). */
  locate(path: readonly PathKey[]): { line: number; col: number };
  /** A problem at `path`, located and with its path spelled as people read it. */
  problemAt(path: readonly PathKey[], message: string): YamlProblem;
  /** Schema issues as problems, each at its path (an unknown key at the key itself). */
  issueProblems(issues: readonly SchemaIssue[]): YamlProblem[];
  /** The parser's syntax errors as problems (`YAML: …`, first line of the parser's message), in file order. */
  syntaxProblems(): YamlProblem[];
}

/**
 * Parses YAML text keeping node ranges, with duplicate keys as errors and plain (not pretty) error messages, so a
 * validator can report every problem as `file:line:col`.
 */
export function parseWithPositions(text: string, file: string): PositionedYaml {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number): { line: number; col: number } => counter.linePos(offset);
  const locate = (path: readonly PathKey[]): { line: number; col: number } => locateIn(doc, position, path);
  const problemAt = (path: readonly PathKey[], message: string): YamlProblem => ({
    file,
    ...locate(path),
    path: pathText(path),
    message,
  });
  return {
    doc,
    position,
    locate,
    problemAt,
    issueProblems: (issues) => issues.map((issue) => problemAt(issuePath(issue), describeIssue(issue))),
    syntaxProblems: () =>
      doc.errors.map((e) => ({ file, ...position(e.pos[0]), path: '', message: `YAML: ${e.message.split('\n')[0]}` })),
  };
}

function locateIn(
  doc: Document,
  position: (offset: number) => { line: number; col: number },
  path: readonly PathKey[],
): { line: number; col: number } {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) {
      // For an existing key, point at the key itself rather than its value.
      const parent = n > 0 ? doc.getIn(path.slice(0, n - 1), true) : doc.contents;
      if (n > 0 && isMap(parent)) {
        const pair = parent.items.find((it) => (it.key as { value?: unknown } | null)?.value === path[n - 1]);
        const keyRange = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
        if (keyRange) return position(keyRange[0]);
      }
      return position(node.range[0]);
    }
  }
  return { line: 1, col: 1 };
}
