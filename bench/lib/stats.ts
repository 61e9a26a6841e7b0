/** Summaries of measured samples: each figure is reported as min / median / p99 over rounds. */
export interface Spread {
  min: number;
  median: number;
  p99: number;
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] as number;
}

export function spread(samples: number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  return { min: sorted[0] ?? Number.NaN, median: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) };
}

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));
