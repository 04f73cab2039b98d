/**
 * Merges the results of a fan-out's batches into one: arrays are concatenated, numbers summed, nested objects
 * merged the same way, and any other value taken from the first batch that has it.
 */
export function mergeBatchResults(results: unknown[]): unknown {
  const present = results.filter((r) => r !== undefined && r !== null);
  if (present.length === 0) return null;
  if (present.every(Array.isArray)) return (present as unknown[][]).flat();
  if (present.every((r) => typeof r === 'number')) return (present as number[]).reduce((a, b) => a + b, 0);
  if (present.every((r) => typeof r === 'object' && !Array.isArray(r))) {
    const keys = [...new Set(present.flatMap((r) => Object.keys(r as object)))];
    return Object.fromEntries(
      keys.map((k) => [k, mergeBatchResults(present.map((r) => (r as Record<string, unknown>)[k]))]),
    );
  }
  return present[0];
}

/** Splits a list into batches of at most `size`. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
