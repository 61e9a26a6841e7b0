/**
 * Histogram series kept outside prom-client's own storage, and the collector that hands them to its
 * registry, which renders them at scrape time with its own formatting. A series is a count, a sum
 * and a Float64Array of bucket counts, updated in place (~380 bytes with its map entry).
 * prom-client's Histogram keeps each label set's buckets in an object keyed by the bounds, and
 * bounds such as 1, 5 or 300 are array indices to the engine, so that object carries indexed storage
 * up to the largest one: ~4.2 KiB per label set with the command buckets, which for a histogram by
 * cluster is ~4.2 KiB per cluster (~210 MB at 50,000 clusters, for each such histogram).
 */
import type { Metric, Registry } from "prom-client";

export interface Series<L extends Record<string, string>> {
  labels: L;
  count: number;
  sum: number;
  /** Observations per bucket, not cumulative; those above the last bound are only in `count`. */
  perBucket: Float64Array;
}

export function newSeries<L extends Record<string, string>>(
  labels: L,
  buckets: readonly number[],
): Series<L> {
  return { labels, count: 0, sum: 0, perBucket: new Float64Array(buckets.length) };
}

export function observeSeries(
  series: Series<Record<string, string>>,
  buckets: readonly number[],
  value: number,
): void {
  series.count++;
  series.sum += value;
  let bucket = 0;
  while (bucket < buckets.length && value > (buckets[bucket] ?? 0)) bucket++;
  if (bucket < buckets.length) series.perBucket[bucket] = (series.perBucket[bucket] ?? 0) + 1;
}

/** A sample as prom-client's registry renders it. */
export interface Sample {
  metricName?: string;
  labels: Record<string, string | number>;
  value: number;
}

/**
 * A series' samples as a Prometheus histogram `name`: cumulative buckets, `+Inf`, sum and count,
 * `le` first as prom-client renders its own.
 */
export function histogramSamples(
  name: string,
  buckets: readonly number[],
  { labels, count, sum, perBucket }: Series<Record<string, string>>,
): Sample[] {
  let cumulative = 0;
  const samples: Sample[] = buckets.map((le, i) => {
    cumulative += perBucket[i] ?? 0;
    return { metricName: `${name}_bucket`, labels: { le, ...labels }, value: cumulative };
  });
  samples.push(
    { metricName: `${name}_bucket`, labels: { le: "+Inf", ...labels }, value: count },
    { metricName: `${name}_sum`, labels, value: sum },
    { metricName: `${name}_count`, labels, value: count },
  );
  return samples;
}

/**
 * A metric the registry renders like its own: it asks each registered metric for `get()` (name,
 * help, type and samples) at scrape time. prom-client's types list only its own classes, hence
 * the cast.
 */
export function collector(
  name: string,
  help: string,
  type: "counter" | "histogram",
  samples: () => Sample[],
): Metric {
  const get = async () => ({ name, help, type, aggregator: "sum", values: samples() });
  return { name, help, type, aggregator: "sum", get } as unknown as Metric;
}

/** A histogram by cluster: one series per cluster id, found by one map lookup. */
export class ClusterHistogram {
  private readonly byCluster = new Map<string, Series<{ cluster_id: string }>>();

  constructor(
    private readonly name: string,
    private readonly help: string,
    private readonly buckets: readonly number[],
  ) {}

  observe(clusterId: string, value: number): void {
    let series = this.byCluster.get(clusterId);
    if (!series) {
      series = newSeries({ cluster_id: clusterId }, this.buckets);
      this.byCluster.set(clusterId, series);
    }
    observeSeries(series, this.buckets, value);
  }

  register(registry: Registry): void {
    registry.registerMetric(
      collector(this.name, this.help, "histogram", () =>
        [...this.byCluster.values()].flatMap((series) => histogramSamples(this.name, this.buckets, series)),
      ),
    );
  }
}
