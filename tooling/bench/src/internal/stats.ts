/** The middle value (mean of the two middle values for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

/**
 * The `fraction` quantile (0.5 for p50, 0.99 for p99) of `values` by the nearest-rank method:
 * the smallest value that at least that fraction of the values do not exceed. NaN when empty.
 */
export function percentile(values: ArrayLike<number>, fraction: number): number {
  const count = values.length;
  if (count === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(count, Math.max(1, Math.ceil(fraction * count)));
  return sorted[rank - 1] as number;
}
