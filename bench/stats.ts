/** Percentile (nearest rank) of a list of numbers. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** p50 / p99 / mean of a sample, rounded to 0.1 ms. */
export function summary(values: number[]): { n: number; p50: number; p99: number; mean: number } {
  const r = (x: number): number => Math.round(x * 10) / 10;
  return {
    n: values.length,
    p50: r(percentile(values, 50)),
    p99: r(percentile(values, 99)),
    mean: r(values.reduce((a, b) => a + b, 0) / values.length),
  };
}
