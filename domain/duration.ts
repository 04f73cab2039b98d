const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Matches `90s`, `30m`, `1h30m`, `2d`, `250ms`. */
export const DURATION_PATTERN = /^(\d+(ms|s|m|h|d))+$/;

/**
 * Parses a playbook duration (`30m`, `1h30m`, `10s`) into milliseconds.
 * @throws RangeError when the text is not a duration.
 */
export function parseDuration(text: string): number {
  if (!DURATION_PATTERN.test(text))
    throw new RangeError(`not a duration: ${JSON.stringify(text)} (expected e.g. 30s, 15m, 2h, 1d)`);
  let total = 0;
  for (const m of text.matchAll(/(\d+)(ms|s|m|h|d)/g)) total += Number(m[1]) * (UNITS[m[2]!] ?? 0);
  return total;
}
