/**
 * The compact histogram by cluster (src/modules/metrics/series.ts) against prom-client's own
 * Histogram as the oracle: the same observations, values on and between the bounds and above the
 * last, render the same exposition text.
 */
import { describe, expect, test } from "bun:test";
import { Histogram, Registry } from "prom-client";
import { ClusterHistogram } from "../../src/modules/metrics/series";

const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

describe("ClusterHistogram", () => {
  test("renders what prom-client's Histogram renders for the same observations", async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const compact = new ClusterHistogram("kubently_test_seconds", "A test histogram.", BUCKETS);
    compact.register(ours);
    const reference = new Histogram({
      name: "kubently_test_seconds",
      help: "A test histogram.",
      labelNames: ["cluster_id"],
      buckets: BUCKETS,
      registers: [theirs],
    });
    // Every bound exactly, values between them, zero and beyond the last bound, on three clusters.
    const values = [0, ...BUCKETS, ...BUCKETS.map((b) => b * 1.5), 301, 1e6];
    for (const [i, value] of values.entries()) {
      const cluster = `cluster-${i % 3}`;
      compact.observe(cluster, value);
      reference.observe({ cluster_id: cluster }, value);
    }
    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    expect(text).toContain('kubently_test_seconds_count{cluster_id="cluster-2"}');
  });

  test("a cluster never observed has no series", async () => {
    const registry = new Registry();
    new ClusterHistogram("kubently_test_seconds", "A test histogram.", BUCKETS).register(registry);
    expect(await registry.metrics()).toBe(
      "# HELP kubently_test_seconds A test histogram.\n# TYPE kubently_test_seconds histogram\n",
    );
  });
});
