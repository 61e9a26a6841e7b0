/**
 * What kubectl sorts, held to its oracle (oracle-harness.ts) where many keys are equal: the `busy`
 * namespace (busy-scenario.ts) has 24 pods made in one burst and over a hundred events sharing a
 * handful of timestamps. Past 12 items Go's sort.Sort (pdqsort) leaves equal items in an order that
 * only its own steps give; native reads follow them (go-sort.ts), and every line here must be
 * answered and print what kubectl prints: events by time, `--sort-by` over timestamps, reasons,
 * phases, nodes and labels every pod shares, a ReplicaSet's 24 events of one second in describe,
 * and the pod `logs deploy/…` picks among equals.
 */
import { describe, expect, test } from "bun:test";
import { busyScenario } from "../k8s/busy-scenario";
import { useOracle } from "./oracle-harness";

const oracle = useOracle({ scenario: busyScenario() });

const LINES = [
  ["events", "-n", "busy"],
  ["events", "-A"],
  ["events", "-n", "busy", "--types=Normal"],
  ["events", "-n", "busy", "--no-headers"],
  ["events", "-n", "busy", "-o", "json"],
  ["events", "-A", "-o", "yaml"],
  ...[["-n", "busy"], ["-A"]].flatMap((scope) => [
    ["get", "events", ...scope, "--sort-by=.lastTimestamp"],
    ["get", "events", ...scope, "--sort-by=.metadata.creationTimestamp"],
    ["get", "events", ...scope, "--sort-by=.reason"],
    ["get", "events", ...scope, "--sort-by=.involvedObject.kind", "-o", "name"],
    ["get", "pods", ...scope, "--sort-by=.status.phase"],
    ["get", "pods", ...scope, "--sort-by=.spec.nodeName"],
    ["get", "pods", ...scope, "--sort-by=.metadata.creationTimestamp", "-o", "name"],
  ]),
  [
    "get",
    "events",
    "-n",
    "busy",
    "--sort-by=.lastTimestamp",
    "-o",
    "custom-columns=R:.reason,O:.involvedObject.name",
  ],
  ["describe", "rs", "web-5c7d8e9f6", "-n", "busy"],
  ["describe", "deploy", "web", "-n", "busy"],
  ["logs", "deploy/web", "-n", "busy", "--tail=1"],
];

describe("orders with many equal keys print what kubectl prints", () => {
  test(`${LINES.length} lines over the busy namespace's events and pods`, async () => {
    const { answered, fellBack } = await oracle.compare(LINES);
    console.log(`native reads answered ${answered.length} of ${LINES.length} lines sorting many equal keys`);
    expect(fellBack).toEqual([]);
  }, 240_000);
});
