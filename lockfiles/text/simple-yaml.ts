/**
 * A reader for the YAML subset that pnpm writes: block mappings by indentation, `- item` scalar sequences, plain and
 * quoted scalars, and one-line flow mappings/sequences (`{integrity: sha512-…}`, `[darwin]`). Scalars stay strings.
 * It is about a hundred times faster than a full YAML parser on a large pnpm-lock.yaml; anything outside the subset
 * (anchors, tags, block scalars, multi-line flow values) makes it give up, and the caller falls back to the full
 * parser, which also produces the precise error for a malformed file.
 */
export function readSimpleYaml(text: string): Record<string, unknown> | undefined {
  const root: Record<string, unknown> = {};
  // Open containers, innermost last: the indentation of their entries and the container itself.
  const stack: { indent: number; node: Record<string, unknown> | unknown[] }[] = [{ indent: 0, node: root }];
  // A key whose value is a nested block; it becomes a mapping or a sequence depending on its first child line.
  let pending: { parent: Record<string, unknown>; key: string; indent: number } | undefined;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    let indent = start;
    while (text.charCodeAt(indent) === 32) indent++;
    let stop = end;
    if (text.charCodeAt(stop - 1) === 13) stop--;
    const first = text.charCodeAt(indent);
    const lineStart = start;
    start = end + 1;
    if (indent >= stop || first === 35 /* # */) continue;
    if (first === 9 /* tab */) return undefined;
    const depth = indent - lineStart;
    const content = text.slice(indent, stop);
    if (pending) {
      if (depth <= pending.indent) {
        pending.parent[pending.key] = null;
      } else if (first === 123 /* { */ || first === 91 /* [ */) {
        // A flow value folded onto its own line (as Prettier does with long ones).
        const value = flow(content);
        if (value === undefined) return undefined;
        pending.parent[pending.key] = value;
        pending = undefined;
        continue;
      } else {
        const node = content.startsWith('- ') || content === '-' ? [] : {};
        pending.parent[pending.key] = node;
        stack.push({ indent: depth, node });
      }
      pending = undefined;
    }
    while (stack.length > 1 && depth < (stack[stack.length - 1] as { indent: number }).indent) stack.pop();
    const top = stack[stack.length - 1] as { indent: number; node: Record<string, unknown> | unknown[] };
    if (depth !== top.indent) return undefined;
    if (Array.isArray(top.node)) {
      if (!content.startsWith('- ')) return undefined;
      const item = scalar(content.slice(2).trim());
      if (item === undefined) return undefined;
      top.node.push(item);
      continue;
    }
    const colon = first === 123 || first === 91 ? -1 : keyEnd(content);
    if (colon === -1) return undefined;
    const key = scalar(content.slice(0, colon).trim());
    if (typeof key !== 'string') return undefined;
    const rest = content.slice(colon + 1).trim();
    if (rest === '') {
      pending = { parent: top.node, key, indent: depth };
      continue;
    }
    const value = rest.startsWith('{') || rest.startsWith('[') ? flow(rest) : scalar(stripComment(rest));
    if (value === undefined) return undefined;
    top.node[key] = value;
  }
  if (pending) pending.parent[pending.key] = null;
  return root;
}

/** Index of the `:` ending a mapping key (followed by space or end of line), skipping quoted keys; -1 if none. */
function keyEnd(content: string): number {
  let i = 0;
  const q = content[0];
  if (q === "'" || q === '"') {
    i = 1;
    while (i < content.length) {
      if (content[i] === q) {
        if (q === "'" && content[i + 1] === "'") i += 2;
        else break;
      } else if (q === '"' && content[i] === '\\') i += 2;
      else i++;
    }
    i++;
    return content[i] === ':' && (i + 1 === content.length || content[i + 1] === ' ') ? i : -1;
  }
  for (;;) {
    const at = content.indexOf(':', i);
    if (at === -1) return -1;
    if (at + 1 === content.length || content[at + 1] === ' ') return at;
    i = at + 1;
  }
}

function stripComment(value: string): string {
  if (value.startsWith("'") || value.startsWith('"')) return value;
  const hash = value.indexOf(' #');
  return hash === -1 ? value : value.slice(0, hash).trimEnd();
}

/** A scalar as a string; undefined for YAML features outside the subset. */
function scalar(raw: string): string | undefined {
  const c = raw[0];
  if (c === "'") return raw.endsWith("'") && raw.length >= 2 ? raw.slice(1, -1).replace(/''/g, "'") : undefined;
  if (c === '"') {
    if (!raw.endsWith('"') || raw.length < 2) return undefined;
    try {
      return JSON.parse(raw) as string;
    } catch {
      return undefined;
    }
  }
  if (c === '&' || c === '*' || c === '!' || c === '|' || c === '>' || c === '%' || c === '@' || c === '`')
    return undefined;
  return raw;
}

/** A one-line flow mapping or sequence of scalars, e.g. `{integrity: sha512-…, tarball: https://…}` or `[x64]`. */
function flow(raw: string): Record<string, string> | string[] | undefined {
  const open = raw[0];
  const close = open === '{' ? '}' : ']';
  if (!raw.endsWith(close)) return undefined;
  const inner = raw.slice(1, -1).trim();
  if (inner.includes('{') || inner.includes('[')) return undefined;
  const parts = inner === '' ? [] : splitFlow(inner);
  if (parts === undefined) return undefined;
  if (open === '[') {
    const items = parts.map(scalar);
    return items.every((i): i is string => i !== undefined) ? items : undefined;
  }
  const out: Record<string, string> = {};
  for (const part of parts) {
    const colon = keyEnd(part);
    if (colon === -1) return undefined;
    const key = scalar(part.slice(0, colon).trim());
    const value = scalar(part.slice(colon + 1).trim());
    if (key === undefined || value === undefined) return undefined;
    out[key] = value;
  }
  return out;
}

function splitFlow(inner: string): string[] | undefined {
  const parts: string[] = [];
  let quote = '';
  let from = 0;
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i];
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === ',') {
      parts.push(inner.slice(from, i).trim());
      from = i + 1;
    }
  }
  if (quote) return undefined;
  parts.push(inner.slice(from).trim());
  return parts;
}
