import { z } from 'zod';

/** Whether a field path exists in a schema, or where it stops and what was there instead. */
export type FieldCheck = { ok: true } | { ok: false; depth: number; reason: string };

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault)
    s = s.unwrap() as z.ZodType;
  return s;
}

/**
 * Walks `path` (field names, list indexes as digits) down an action's output schema. A field the schema does not
 * declare is refused with the fields it does declare, since at run time it would resolve to `null` and the step
 * would quietly act on nothing.
 */
export function checkFieldPath(schema: z.ZodType, path: readonly string[], depth = 0): FieldCheck {
  const s = unwrap(schema);
  const [key, ...rest] = path;
  if (key === undefined || s instanceof z.ZodUnknown || s instanceof z.ZodAny) return { ok: true };
  if (s instanceof z.ZodObject) {
    const shape = s.shape as Record<string, z.ZodType>;
    const field = Object.hasOwn(shape, key) ? shape[key] : undefined;
    if (field) return checkFieldPath(field, rest, depth + 1);
    const catchall = s.def.catchall as z.ZodType | undefined;
    if (catchall && !(catchall instanceof z.ZodNever)) return checkFieldPath(catchall, rest, depth + 1);
    const known = Object.keys(shape);
    const near = closest(key, known);
    return {
      ok: false,
      depth,
      reason: `has no field "${key}"${near ? ` (did you mean "${near}"?)` : ''}; fields: ${known.join(', ')}`,
    };
  }
  if (s instanceof z.ZodArray) {
    if (/^\d+$/.test(key)) return checkFieldPath(s.element as z.ZodType, rest, depth + 1);
    return { ok: false, depth, reason: `is a list: it has no field "${key}" (use the list whole or an index)` };
  }
  if (s instanceof z.ZodRecord) return checkFieldPath(s.valueType as z.ZodType, rest, depth + 1);
  if (s instanceof z.ZodUnion) {
    const tries = (s.options as z.ZodType[]).map((o) => checkFieldPath(o, path, depth));
    return tries.find((t) => t.ok) ?? tries[0] ?? { ok: true };
  }
  return { ok: false, depth, reason: `is a ${s.def.type}: it has no field "${key}"` };
}

/** The known name within two edits of `name`, for a "did you mean" hint. */
function closest(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d <= 2 && (!best || d < best.d)) best = { name: k, d };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}
