/** One top-level entry of a yarn.lock: the descriptors it resolves, its fields and its dependency maps. */
export interface YarnEntry {
  /** 1-based line of the entry's header. */
  line: number;
  /** The descriptors (`name@range`) listed in the header, unquoted. */
  descriptors: string[];
  fields: Map<string, string>;
  /** `dependencies`, `optionalDependencies`, … : dependency name → range as written. */
  maps: Map<string, Map<string, string>>;
}

/** The entries of a yarn.lock, and the first line that fits neither syntax. */
export interface YarnEntries {
  entries: YarnEntry[];
  problem?: { line: number; message: string };
}

/**
 * Reads both yarn.lock syntaxes line by line: classic v1 (`  version "1.0.0"`, its own format) and berry (a YAML
 * subset, `  version: 1.0.0`). Both are indentation-structured: headers at column 0 ending in `:`, fields at two
 * spaces, dependency maps at four. Reading lines directly, rather than through a YAML parser, gives line numbers for
 * free and handles v1, which is not YAML.
 */
export function readYarnEntries(text: string): YarnEntries {
  const entries: YarnEntry[] = [];
  const lines = text.split('\n');
  let entry: YarnEntry | undefined;
  let map: Map<string, string> | undefined;
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index] as string;
    const lineText = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const trimmed = lineText.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const line = index + 1;
    const indent = lineText.length - trimmed.length;
    if (indent === 0) {
      if (!trimmed.endsWith(':'))
        return { entries, problem: { line, message: `expected an entry header ending in ':'` } };
      entry = { line, descriptors: splitDescriptors(trimmed.slice(0, -1)), fields: new Map(), maps: new Map() };
      entries.push(entry);
      map = undefined;
      continue;
    }
    if (!entry) return { entries, problem: { line, message: 'expected an entry header before indented lines' } };
    const pair = readPair(trimmed);
    if (!pair) return { entries, problem: { line, message: `expected "key value" or "key: value"` } };
    if (indent === 2) {
      if (pair.value === '') {
        map = new Map();
        entry.maps.set(pair.key, map);
      } else {
        entry.fields.set(pair.key, pair.value);
        map = undefined;
      }
    } else if (map && indent >= 4) {
      map.set(pair.key, pair.value);
    }
    // Deeper structures (berry `dependenciesMeta`, `bin` maps) are not needed; their lines are skipped.
  }
  return { entries };
}

/** `"a@^1", a@^2` (v1) or `"a@npm:^1, a@npm:^2"` (berry) → each descriptor unquoted. */
function splitDescriptors(header: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < header.length) {
    while (header[i] === ' ' || header[i] === ',') i++;
    if (i >= header.length) break;
    let item: string;
    if (header[i] === '"') {
      const end = header.indexOf('"', i + 1);
      item = header.slice(i + 1, end === -1 ? header.length : end);
      i = end === -1 ? header.length : end + 1;
    } else {
      const end = header.indexOf(',', i);
      item = header.slice(i, end === -1 ? header.length : end);
      i = end === -1 ? header.length : end;
    }
    for (const part of item.split(',')) {
      const d = part.trim();
      if (d !== '') out.push(d);
    }
  }
  return out;
}

/** `key "value"`, `key value`, `key: value`, `"key": "value"`, or a bare `key:` (value ''). */
function readPair(text: string): { key: string; value: string } | undefined {
  let key: string;
  let rest: string;
  if (text.startsWith('"')) {
    const end = text.indexOf('"', 1);
    if (end === -1) return undefined;
    key = text.slice(1, end);
    rest = text.slice(end + 1);
  } else {
    const m = /^([^\s:]+)/.exec(text);
    if (!m) return undefined;
    key = m[1] as string;
    rest = text.slice(key.length);
  }
  if (rest.startsWith(':')) rest = rest.slice(1);
  else if (rest !== '' && !rest.startsWith(' ')) return undefined;
  return { key, value: unquote(rest.trim()) };
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}
