/** Latency summary in milliseconds, rounded to 0.1 ms. */
export type LatencySummary = { count: number; p50: number | null; p99: number | null; max: number | null };

const round = (ms: number) => Math.round(ms * 10) / 10;

/** Nearest-rank percentile of an ascending array; null when empty. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  const arr = Array.from(sorted);
  const pick = (p: number) => {
    const v = percentile(arr, p);
    return v === null ? null : round(v);
  };
  return { count: arr.length, p50: pick(50), p99: pick(99), max: arr.length ? round(arr[arr.length - 1]) : null };
}
