import { lineAndColumn } from './line-index';

/** Where a JSON text stops being JSON, and what was expected there. */
export interface JsonSyntaxError {
  line: number;
  column: number;
  /** E.g. `expected ',' or '}' after a property value, found '"'`. */
  message: string;
}

/**
 * Finds the first syntax error in a JSON (or, with `jsonc`, JSON with comments and trailing commas) text.
 * `JSON.parse` in Node 20 often names neither line nor position ("Unexpected token 'h' … is not valid JSON"), and a
 * lockfile error must say where; this validator runs only after `JSON.parse` failed, so its speed does not matter.
 */
export function findJsonSyntaxError(text: string, jsonc = false): JsonSyntaxError | undefined {
  let i = 0;
  function fail(expected: string): never {
    const code = text.charCodeAt(i);
    const found =
      i >= text.length
        ? 'end of file'
        : code >= 0x20 && code < 0x7f
          ? `'${text[i]}'`
          : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    throw new JsonStop(i, `expected ${expected}, found ${found}`);
  }
  const space = (): void => {
    for (;;) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
      else if (jsonc && c === '/' && text[i + 1] === '/') {
        const end = text.indexOf('\n', i);
        i = end === -1 ? text.length : end;
      } else if (jsonc && c === '/' && text[i + 1] === '*') {
        const end = text.indexOf('*/', i + 2);
        if (end === -1) fail("'*/' closing the comment");
        i = end + 2;
      } else return;
    }
  };
  const string = (): void => {
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined) fail("'\"' closing the string");
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('four hex digits after \\u');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail('an escape sequence');
      } else if (c !== undefined && c < ' ') fail('no control character inside a string');
      else i++;
    }
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') return container('}', true);
    if (c === '[') return container(']', false);
    if (c === '"') return string();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!literal) fail('a JSON value');
    i += literal[0].length;
  };
  const container = (close: string, isObject: boolean): void => {
    i++;
    space();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      if (isObject) {
        space();
        if (text[i] !== '"') fail('a double-quoted property name');
        string();
        space();
        if (text[i] !== ':') fail("':' after the property name");
        i++;
      }
      value();
      space();
      if (text[i] === ',') {
        i++;
        space();
        if (jsonc && text[i] === close) {
          i++;
          return;
        }
        continue;
      }
      if (text[i] === close) {
        i++;
        return;
      }
      fail(`',' or '${close}' after ${isObject ? 'a property value' : 'an array element'}`);
    }
  };
  try {
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    value();
    space();
    if (i < text.length) fail('end of file after the JSON value');
    return undefined;
  } catch (err) {
    if (!(err instanceof JsonStop)) throw err;
    return { ...lineAndColumn(text, err.offset), message: err.message };
  }
}

class JsonStop extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** Outcome of `parseJsonText`: the value, or where and why the text is not JSON. */
export type JsonParseOutcome = { ok: true; value: unknown } | { ok: false; error: JsonSyntaxError };

/** `JSON.parse` that reports a failure with line, column and what was expected, instead of throwing. */
export function parseJsonText(text: string): JsonParseOutcome {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    const error = findJsonSyntaxError(text) ?? { line: 1, column: 1, message: (err as Error).message };
    return { ok: false, error };
  }
}

/**
 * Parses JSONC (comments and trailing commas, as in `bun.lock`). Comments and trailing commas are blanked out with
 * spaces so character offsets, and hence line numbers, stay those of the original text.
 */
export function parseJsoncText(text: string): JsonParseOutcome {
  const plain = blankJsoncExtras(text);
  try {
    return { ok: true, value: JSON.parse(plain) as unknown };
  } catch (err) {
    const error = findJsonSyntaxError(text, true) ?? { line: 1, column: 1, message: (err as Error).message };
    return { ok: false, error };
  }
}

function blankJsoncExtras(text: string): string {
  // Fast path: most of the text is strings and plain JSON; only copy when something has to go.
  let out: string[] | undefined;
  let last = 0;
  const blank = (from: number, to: number): void => {
    out ??= [];
    out.push(text.slice(last, from), text.slice(from, to).replace(/[^\n]/g, ' '));
    last = to;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i++;
        else if (d === 34) break;
      }
    } else if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      blank(i, stop);
      i = stop - 1;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      blank(i, stop);
      i = stop - 1;
    } else if (c === 44 /* , */) {
      let j = i + 1;
      for (;;) {
        const d = text.charCodeAt(j);
        if (d === 32 || d === 9 || d === 10 || d === 13) j++;
        else if (d === 47 && text.charCodeAt(j + 1) === 47) {
          const end = text.indexOf('\n', j);
          j = end === -1 ? text.length : end;
        } else if (d === 47 && text.charCodeAt(j + 1) === 42) {
          const end = text.indexOf('*/', j + 2);
          j = end === -1 ? text.length : end + 2;
        } else break;
      }
      const next = text.charCodeAt(j);
      if (next === 125 /* } */ || next === 93 /* ] */) blank(i, i + 1);
    }
  }
  if (!out) return text;
  out.push(text.slice(last));
  return out.join('');
}
