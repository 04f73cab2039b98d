import { parse, TomlError } from 'smol-toml';
import { packageTables, type Json } from '../lock-values';
import { failedResult } from '../result';
import type { LockfileParseResult } from '../types';

/** A TOML text's value, or the first error with its line. */
export type TomlOutcome = { ok: true; value: Record<string, unknown> } | { ok: false; line?: number; message: string };

/** Parses TOML without throwing; the error names the line and what is wrong. */
export function parseTomlText(text: string): TomlOutcome {
  try {
    return { ok: true, value: parse(text) as Record<string, unknown> };
  } catch (err) {
    if (err instanceof TomlError) {
      // The message's first line says what is wrong; the rest is a code excerpt.
      const what = err.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '') ?? 'invalid';
      return { ok: false, line: err.line, message: `not valid TOML at column ${err.column}: ${what}` };
    }
    return { ok: false, message: `not valid TOML: ${String(err)}` };
  }
}

/**
 * For each `[[package]]` table in text order, the line of its `name = …` key (the line lockfile tools report), or of
 * the header when the name comes later. TOML array-of-tables order is text order, so index i is the i-th package.
 */
export function packageNameLines(text: string): number[] {
  const out: number[] = [];
  const lines = text.split('\n');
  let pending = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '[[package]]') {
      if (pending !== -1) out.push(pending);
      pending = i + 1;
    } else if (pending !== -1 && /^name\s*=/.test(line)) {
      out.push(i + 1);
      pending = -1;
    }
  }
  if (pending !== -1) out.push(pending);
  return out;
}

/** A TOML lockfile's `[[package]]` tables with the line of each, or the failed result the parser returns as is. */
export type PackageTables = { ok: true; tables: Json[]; lines: number[] } | { ok: false; result: LockfileParseResult };

/** Reads the `[[package]]` tables shared by Cargo.lock, poetry.lock and uv.lock. */
export function readPackageTables(text: string): PackageTables {
  const parsed = parseTomlText(text);
  if (!parsed.ok) return { ok: false, result: failedResult(parsed.message, parsed.line) };
  const tables = packageTables(parsed.value);
  if (typeof tables === 'string') return { ok: false, result: failedResult(tables) };
  return { ok: true, tables, lines: packageNameLines(text) };
}
