/**
 * `bun run bench [--quick]`: Kubently's figures beside the architecture guide's, per store, on this
 * machine. Real server and executor processes on loopback; executors use the echo runner so the
 * figures are Kubently's own, and kubectl's cost is measured separately as overhead over bare
 * kubectl. Each figure is the median over rounds (min/median/p99 kept in the JSON); /health's rate
 * in the same run is the ceiling every throughput is also given as a fraction of.
 * Writes bench/results/latest.json. Never part of `bun test`.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { startRedisServer } from "../test/support/redis-server";
import type { Spread } from "./lib/stats";
import { type FailureFigures, failureTimes } from "./scenarios/failures";
import { type FleetFigures, fleetFanOut } from "./scenarios/fleet";
import { type GateFigures, gateCost } from "./scenarios/gate";
import { idleRss } from "./scenarios/idle";
import { kubectlOverhead } from "./scenarios/kubectl";
import { type McpFigures, mcpReads } from "./scenarios/mcp";
import { type NativeFigures, nativeReads } from "./scenarios/native";
import { largeOutputs, type OutputFigures } from "./scenarios/output";
import { type ScaleFigures, scale } from "./scenarios/scale";
import { benchStore, type StoreFigures } from "./scenarios/store";
import { reconnectStorm, type StormFigures } from "./scenarios/storm";

const quick = process.argv.includes("--quick");
const shape = { rounds: quick ? 3 : 5, roundMs: quick ? 2_000 : 6_000, clients: 64 };
const SCALE_EXECUTORS = quick ? 2_000 : 50_000;
const STORM_EXECUTORS = quick ? 1_000 : 10_000;
const dir = mkdtempSync(join(tmpdir(), "kubently-bench-"));

const redis = await startRedisServer();
try {
  const embedded = await benchStore("embedded", `sqlite://${join(dir, "bench.db")}`, { ...shape, dir });
  const onRedis = await benchStore("redis", redis.url, { ...shape, dir });
  const kubectl = await kubectlOverhead(quick ? 15 : 40, dir);
  const gate = await gateCost(quick ? 200 : 1_000, quick ? 15 : 40, dir);
  const native = await nativeReads(quick ? 100 : 300, quick ? 2_000 : 5_000, dir);
  const mcp = await mcpReads(quick ? 100 : 300, quick ? 1_000 : 2_000, dir);
  const output = await largeOutputs(quick ? 5 : 20, dir);
  const fleet = await fleetFanOut(quick ? 5 : 20, dir);
  const scaled = {
    embedded: await scale(SCALE_EXECUTORS, `sqlite://${join(dir, "scale.db")}`, dir),
    redis: await scale(SCALE_EXECUTORS, redis.url, dir),
  };
  const storm = await reconnectStorm(STORM_EXECUTORS, redis.url, dir);
  const idle = await idleRss(dir);
  const failures = await failureTimes(quick ? 3 : 10);
  const summary = {
    date: new Date().toISOString(),
    quick,
    machine: { cores: cpus().length, model: cpus()[0]?.model ?? "unknown" },
    embedded,
    redis: onRedis,
    kubectl_overhead_ms: kubectl.overhead_ms,
    kubectl_direct_ms: kubectl.direct_ms,
    kubectl_through_kubently_ms: kubectl.through_ms,
    gate,
    native,
    mcp,
    output,
    fleet,
    scale: scaled,
    storm,
    ...idle,
    failures,
  };
  writeFileSync(join(import.meta.dir, "results", "latest.json"), `${JSON.stringify(summary, null, 2)}\n`);
  printTable(embedded, onRedis, summary);
} finally {
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
}

function nativeRows(n: NativeFigures): string[][] {
  return [
    [
      "get pods via /debug/execute, native p50 (p99)",
      "",
      "≤ 5 ms",
      `${n.native_p50_ms} ms (${n.native_p99_ms})`,
      "",
    ],
    ["same with native reads off (kubectl) p50", "", "", `${n.kubectl_p50_ms} ms`, ""],
    [
      "get pods -o jsonpath=…, native p50 / kubectl p50",
      "",
      "",
      `${n.native_jsonpath_p50_ms} / ${n.kubectl_jsonpath_p50_ms} ms`,
      "",
    ],
    [
      "logs -l app=checkout (one pod), native p50 / kubectl p50",
      "",
      "",
      `${n.native_logs_selector_p50_ms} / ${n.kubectl_logs_selector_p50_ms} ms`,
      "",
    ],
    [
      "top pod -n shop, native p50 / kubectl p50",
      "",
      "",
      `${n.native_top_p50_ms} / ${n.kubectl_top_p50_ms} ms`,
      "",
    ],
    [
      "describe pod (the crash-looping one), native p50 / kubectl p50",
      "",
      "",
      `${n.native_describe_p50_ms} / ${n.kubectl_describe_p50_ms} ms`,
      "",
    ],
    [
      "describe node, native p50 / kubectl p50",
      "",
      "",
      `${n.native_describe_node_p50_ms} / ${n.kubectl_describe_node_p50_ms} ms`,
      "",
    ],
    [
      "describe service frontend, native p50 / kubectl p50",
      "",
      "",
      `${n.native_describe_service_p50_ms} / ${n.kubectl_describe_service_p50_ms} ms`,
      "",
    ],
    [
      "describe ingress web (eleven requests), native p50 / kubectl p50",
      "",
      "",
      `${n.native_describe_ingress_p50_ms} / ${n.kubectl_describe_ingress_p50_ms} ms`,
      "",
    ],
    [
      "describe hpa rolling-web, native p50 / kubectl p50",
      "",
      "",
      `${n.native_describe_hpa_p50_ms} / ${n.kubectl_describe_hpa_p50_ms} ms`,
      "",
    ],
    [
      "describe certificate api-tls (a custom resource), native p50 / kubectl p50",
      "",
      "",
      `${n.native_describe_custom_p50_ms} / ${n.kubectl_describe_custom_p50_ms} ms`,
      "",
    ],
    [
      "get events -A --sort-by=.lastTimestamp, native p50 / kubectl p50",
      "",
      "",
      `${n.native_sorted_events_p50_ms} / ${n.kubectl_sorted_events_p50_ms} ms`,
      "",
    ],
    [
      "get pods -A -o wide --sort-by=.status.podIP, native p50 / kubectl p50",
      "",
      "",
      `${n.native_sorted_ips_p50_ms} / ${n.kubectl_sorted_ips_p50_ms} ms`,
      "",
    ],
    [
      "describe role deployer (rules broken down, merged, sorted), native p50 / kubectl p50",
      "",
      "",
      `${n.native_describe_role_p50_ms} / ${n.kubectl_describe_role_p50_ms} ms`,
      "",
    ],
    ["native reads/s, one executor, 32 clients", "", "≥ 1,000", `${n.native_reads_per_s_32_clients}`, ""],
    [
      "executor RSS idle → under that load",
      "",
      "≤ 5 MiB/read",
      `${n.executor_rss_idle_mb} → ${n.executor_rss_under_load_mb} MB`,
      "",
    ],
  ];
}

function mcpRows(m: McpFigures): string[][] {
  const peer = (p50: number | null, p99: number | null) => (p50 === null ? "not run" : `${p50} ms (${p99})`);
  return [
    [
      "get pods via MCP execute_kubectl p50 (p99)",
      "",
      "≤ 1.5 × peer",
      `${m.kubently_p50_ms} ms (${m.kubently_p99_ms}), ${m.ratio_to_peer} × ${m.compared_with}`,
      "",
    ],
    [
      "same via /debug/execute p50 (executor's own share)",
      "",
      "",
      `${m.kubently_rest_p50_ms} ms (${m.kubently_executor_p50_ms} ms)`,
      "",
    ],
    [
      "same, fresh processes: Kubently / peer p50",
      "",
      "",
      `${m.fresh.kubently_p50_ms} / ${m.fresh.peer_stdio_p50_ms ?? "-"} ms, ${m.fresh.ratio_to_peer} ×`,
      "",
    ],
    [
      "server / executor CPU per call, MCP vs REST",
      "",
      "",
      `${m.cpu_us_per_call.mcp.server} / ${m.cpu_us_per_call.mcp.executor} vs ` +
        `${m.cpu_us_per_call.rest.server} / ${m.cpu_us_per_call.rest.executor} µs`,
      "",
    ],
    [
      "one round trip to a bare Bun server: idle / busy p50",
      "",
      "",
      `${m.bare_round_trip_p50_ms.idle} / ${m.bare_round_trip_p50_ms.busy} ms`,
      "",
    ],
    ["kubernetes-mcp-server stdio p50 (p99)", "", "", peer(m.peer_stdio_p50_ms, m.peer_stdio_p99_ms), ""],
    ["kubernetes-mcp-server HTTP p50 (p99)", "", "", peer(m.peer_http_p50_ms, m.peer_http_p99_ms), ""],
    ["bare kubectl get pods, same run, p50", "", "", `${m.kubectl_p50_ms} ms`, ""],
  ];
}

function gateRows(g: GateFigures): string[][] {
  const pair = (a: Spread, b: Spread) => `${a.median} → ${b.median} ms (p99 ${a.p99} → ${b.p99})`;
  return [
    ["API request, direct → through the gate", "", "", pair(g.request_direct_ms, g.request_gated_ms), ""],
    ["kubectl command, direct → through the gate", "", "", pair(g.command_direct_ms, g.command_gated_ms), ""],
  ];
}

function failureRows(f: FailureFigures): string[][] {
  const at = (x: Spread) => `${x.median} ms (p99 ${x.p99})`;
  return [
    ["opening Redis where nobody listens: error after", "", "", "", at(f.store_open_unreachable_ms)],
    ["a store call after Redis died: error after", "", "", "", at(f.store_call_after_outage_ms)],
    ["result poster on a 503 API: gives up, from deadline", "", "", at(f.result_giveup_from_deadline_ms), ""],
  ];
}

function printTable(e: StoreFigures, r: StoreFigures, s: Record<string, unknown>) {
  const ofHealth = (value: number, ceiling: number) =>
    `${value} (${Math.round((100 * value) / ceiling)}% of /health)`;
  const rows: string[][] = [
    ["figure", "seed", "target", "embedded (SQLite)", "redis"],
    [
      "round trip p50, 1 client",
      "< 300 ms",
      "< 1 ms",
      `${e.round_trip_p50_ms} ms`,
      `${r.round_trip_p50_ms} ms`,
    ],
    ["round trip p99, 1 client", "", "", `${e.round_trip_p99_ms} ms`, `${r.round_trip_p99_ms} ms`],
    [
      "commands/s, 1 cluster, 64 clients",
      "100/s",
      "10k / 5k",
      ofHealth(e.commands_per_s, e.health_req_per_s),
      ofHealth(r.commands_per_s, r.health_req_per_s),
    ],
    [
      "commands/s, 100 clusters",
      "",
      "",
      ofHealth(e.commands_per_s_100_clusters, e.health_req_per_s),
      ofHealth(r.commands_per_s_100_clusters, r.health_req_per_s),
    ],
    [
      "sessions/s, 64 clients",
      "1000/s",
      "10k",
      ofHealth(e.sessions_per_s, e.health_req_per_s),
      ofHealth(r.sessions_per_s, r.health_req_per_s),
    ],
    [
      "SSE delivery p50 (enqueue → executor)",
      "~50 ms",
      "",
      `${e.delivery_p50_ms} ms`,
      `${r.delivery_p50_ms} ms`,
    ],
    ["/health req/s (same run)", "", "", `${e.health_req_per_s}`, `${r.health_req_per_s}`],
    ["kubectl overhead over bare kubectl", "", "≤ 5 ms", `${s.kubectl_overhead_ms} ms`, ""],
    ...gateRows(s.gate as GateFigures),
    ...nativeRows(s.native as NativeFigures),
    ...mcpRows(s.mcp as McpFigures),
    ...outputRows(s.output as OutputFigures),
    ...fleetRows(s.fleet as FleetFigures),
    ...scaleRows(s.scale as { embedded: ScaleFigures; redis: ScaleFigures }),
    ...stormRows(s.storm as StormFigures),
    ...failureRows(s.failures as FailureFigures),
    [
      "idle RSS, compiled server / executor",
      "",
      "",
      `${s.server_idle_rss_mb} / ${s.executor_idle_rss_mb} MB`,
      "",
    ],
  ];
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((row) => row[c]?.length ?? 0))) ?? [];
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join("  "));
}

function outputRows(o: OutputFigures): string[][] {
  return [
    [
      `logs of ${o.log_bytes} bytes: answer size, lines reachable`,
      "",
      "",
      `${o.answer_bytes} bytes, ${o.lines_reachable} of ${o.log_lines}`,
      "",
    ],
    [
      "same: execute / page / tail / grep p50",
      "",
      "",
      `${o.execute_p50_ms} / ${o.page_200_lines_p50_ms} / ${o.tail_100_p50_ms} / ${o.grep_p50_ms} ms`,
      "",
    ],
  ];
}

function fleetRows(f: FleetFigures): string[][] {
  return [
    [
      `get pods on ${f.simulated_clusters} simulated clusters, p50 (× one)`,
      "",
      "",
      `${f.simulated_fleet_p50_ms} ms (${f.simulated_ratio}× ${f.simulated_one_p50_ms} ms)`,
      "",
    ],
    [
      `get pods on ${f.kubectl_clusters} executors with kubectl, p50 (× one)`,
      "",
      "",
      `${f.kubectl_fleet_p50_ms} ms (${f.kubectl_ratio}× ${f.kubectl_one_p50_ms} ms)`,
      "",
    ],
  ];
}

function scaleRows({ embedded: e, redis: r }: { embedded: ScaleFigures; redis: ScaleFigures }): string[][] {
  const held = (f: ScaleFigures) =>
    f.executors_connected === f.executors_requested
      ? `${f.server_rss_connected_mb} MB`
      : `${f.server_rss_connected_mb} MB at ${f.executors_connected} (fd limit ${f.server_fd_limit})`;
  return [
    [
      `${e.executors_requested} executor streams: server RSS (idle)`,
      "",
      "< 1.5 GiB",
      `${held(e)} (${e.server_rss_idle_mb})`,
      `${held(r)} (${r.server_rss_idle_mb})`,
    ],
    ["same: RSS per stream", "", "", `${e.rss_per_stream_kb} KiB`, `${r.rss_per_stream_kb} KiB`],
    [
      "same: RSS at the requested count (projected) / peak",
      "",
      "",
      `${e.server_rss_projected_mb} / ${e.server_rss_peak_mb} MB`,
      `${r.server_rss_projected_mb} / ${r.server_rss_peak_mb} MB`,
    ],
    [
      "same: connect all / one command each",
      "",
      "",
      `${e.connect_all_s} / ${e.deliver_one_to_each_s} s`,
      `${r.connect_all_s} / ${r.deliver_one_to_each_s} s`,
    ],
    [
      "Redis connections, before → after",
      "",
      "fixed",
      "",
      `${r.redis_connections_before} → ${r.redis_connections_after}`,
    ],
  ];
}

function stormRows(s: StormFigures): string[][] {
  return [
    [
      `storm: ${s.executors} executors off a killed replica: all back / all answered`,
      "",
      "",
      "",
      `${s.reconnect_all_s} / ${s.answer_all_s} s (50% back ${s.reconnected_50pct_s} s)`,
    ],
    [
      "same: commands lost / queued; survivor's peak CPU, RSS",
      "",
      "0 lost",
      "",
      `${s.lost} / ${s.commands_queued}; ${s.b_cpu_peak_pct}%, ${s.b_rss_peak_mb} MB`,
    ],
  ];
}
