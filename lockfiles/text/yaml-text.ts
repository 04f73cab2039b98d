import { parseDocument } from 'yaml';

/** A YAML text's value, or the first error with its line. */
export type YamlOutcome = { ok: true; value: unknown } | { ok: false; line?: number; message: string };

/** Parses YAML without throwing; the error names the line and what the parser expected. */
export function parseYamlText(text: string): YamlOutcome {
  const doc = parseDocument(text, { uniqueKeys: false });
  const [error] = doc.errors;
  if (error) {
    const line = error.linePos?.[0].line;
    // The library's message ends with a code excerpt spanning several lines; the first line says what is wrong.
    const message = `not valid YAML: ${error.message.split('\n')[0] ?? error.code}`;
    return line === undefined ? { ok: false, message } : { ok: false, line, message };
  }
  return { ok: true, value: doc.toJS({ maxAliasCount: -1 }) as unknown };
}

/**
 * Lines of the keys directly under a top-level section (`packages:`), read from the text: `  /foo@1.0.0:` or a quoted
 * `  '@scope/x@1.0.0':` at the section's first indentation. Returns unquoted key → 1-based line.
 */
export function sectionKeyLines(text: string, section: string): Map<string, number> {
  const lines = new Map<string, number>();
  const start = new RegExp(`^${section}:\\s*$`, 'm').exec(text);
  if (!start) return lines;
  const startLine = text.slice(0, start.index).split('\n').length;
  const rest = text.slice(start.index).split('\n');
  let indent = -1;
  for (let i = 1; i < rest.length; i++) {
    const raw = (rest[i] as string).replace(/\r$/, '');
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const depth = raw.length - raw.trimStart().length;
    if (depth === 0) break;
    if (indent === -1) indent = depth;
    if (depth !== indent) continue;
    const key = yamlKey(raw.slice(depth));
    if (key !== undefined) lines.set(key, startLine + i);
  }
  return lines;
}

function yamlKey(text: string): string | undefined {
  if (text.startsWith("'")) {
    const m = /^'((?:[^']|'')*)':/.exec(text);
    return m ? (m[1] as string).replace(/''/g, "'") : undefined;
  }
  if (text.startsWith('"')) {
    const m = /^"((?:[^"\\]|\\.)*)":/.exec(text);
    return m ? (JSON.parse(`"${m[1] as string}"`) as string) : undefined;
  }
  const colon = text.search(/:(?:\s|$)/);
  return colon > 0 ? text.slice(0, colon) : undefined;
}
