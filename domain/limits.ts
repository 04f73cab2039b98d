// Sizes of the free text people give cordon (reasons, notes, titles, references). Pure: the CLI refuses before
// sending, and the workflows' update validators refuse what other callers send, both with the same message. Free text
// also travels into activity inputs (timeline notices): Temporal refuses an input over its payload size limit and
// fails the workflow task, so an attacker-sized reason must never get that far.

/** One limit: what it measures and how much of it a field may hold. */
export interface Limit {
  /** The field as the person knows it (the flag's or form field's name). */
  name: string;
  max: number;
  unit: 'bytes' | 'characters';
}

/** The limits by field. Reasons and notes are prose (a few kB, counted in UTF-8 bytes); titles and references are one line. */
export const LIMITS = {
  reason: { name: 'reason', max: 4096, unit: 'bytes' },
  note: { name: 'note', max: 4096, unit: 'bytes' },
  title: { name: 'title', max: 200, unit: 'characters' },
  reference: { name: 'reference', max: 200, unit: 'characters' },
} as const satisfies Record<string, Limit>;

/** A field with a limit. */
export type LimitedField = keyof typeof LIMITS;

/** How much of the longest free text a timeline notice carries: a reason plus the sentence around it. */
export const NOTICE_TEXT_MAX_BYTES = 8192;

/** UTF-8 length of a string, without Buffer or TextEncoder (this module also runs in the workflow sandbox). */
export function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

function measure(value: string, unit: Limit['unit']): number {
  return unit === 'bytes' ? utf8Length(value) : [...value].length;
}

/**
 * Why `value` is too long for `field`, naming the limit (`reason is 1200000 bytes; the limit is 4096 bytes`), or
 * undefined when it fits (or is absent).
 */
export function overLimit(field: LimitedField, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const limit: Limit = LIMITS[field];
  const size = measure(value, limit.unit);
  return size > limit.max
    ? `${limit.name} is ${size} ${limit.unit}; the limit is ${limit.max} ${limit.unit}`
    : undefined;
}

/** The first problem among several fields, in the order given; undefined when all fit. */
export function firstOverLimit(fields: Partial<Record<LimitedField, string | undefined>>): string | undefined {
  for (const [field, value] of Object.entries(fields) as [LimitedField, string | undefined][]) {
    const problem = overLimit(field, value);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * `text` cut to at most `maxBytes` UTF-8 bytes on a character boundary, saying how much was cut, so a notice built
 * from free text stays small whatever a caller sent.
 */
export function clipText(text: string, maxBytes = NOTICE_TEXT_MAX_BYTES): string {
  if (utf8Length(text) <= maxBytes) return text;
  const marker = ` … [cut: ${utf8Length(text)} bytes]`;
  const budget = maxBytes - utf8Length(marker);
  let out = '';
  let n = 0;
  for (const ch of text) {
    const size = utf8Length(ch);
    if (n + size > budget) break;
    out += ch;
    n += size;
  }
  return out + marker;
}
