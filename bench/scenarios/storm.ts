/**
 * The reconnect storm: two API replicas on one Redis, `executors` simulated executors streaming from
 * replica A (lib/wire.ts, dialling A then B as a balancer would), A killed with SIGKILL while callers
 * queue one command per cluster through B (the async route, so nothing waits on a connection). Each
 * executor redials with the executor's own Backoff. Measured from the kill: when every cluster is
 * connected again, when every queued command is answered, how many were lost (queued, yet not
 * succeeded by the end: read back from B per operation), and B's peak CPU and RSS sampled from /proc.
 */
import { readFileSync } from "node:fs";
import { BACKOFF_BASE_MS, BACKOFF_CAP_MS } from "../../executor/backoff";
import { closedLoop } from "../lib/load";
import { API_KEY, peakRssMb, registerClusters, rssMb, startServer } from "../lib/processes";
import { round } from "../lib/stats";
import { startWireFleet } from "../lib/wire";

export interface StormFigures {
  executors: number;
  /** The executors' backoff: its base (the first reconnect's ceiling) and cap. */
  backoff_base_ms: number;
  backoff_cap_ms: number;
  commands_queued: number;
  /** Commands B refused to queue (each would be an error its caller saw, not a silent loss). */
  refused_to_queue: number;
  queue_all_s: number;
  /** From the kill until this share of the clusters was connected again (sampled every ~100 ms). */
  reconnected_50pct_s: number;
  reconnected_90pct_s: number;
  reconnect_all_s: number;
  answer_all_s: number;
  lost: number;
  /** Dials that failed (A refusing, or B refusing under load) and result posts retried. */
  failed_dials: number;
  post_failures: number;
  b_cpu_peak_pct: number;
  b_rss_before_mb: number;
  b_rss_peak_mb: number;
}

/** CPU share of a process over successive windows (100% = one core), from /proc/PID/stat. */
function sampleCpu(pid: number, everyMs: number): { stop(): number } {
  const ticks = () => {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    // utime and stime, fields 14 and 15 of stat (11 and 12 after the command name).
    return Number(fields[11]) + Number(fields[12]);
  };
  let last = ticks();
  let lastAt = performance.now();
  let peak = 0;
  const timer = setInterval(() => {
    const now = ticks();
    const at = performance.now();
    // 100 ticks a second (CLK_TCK): ticks per ms × 100 is the percentage of one core.
    peak = Math.max(peak, ((now - last) * 10 * 100) / (at - lastAt));
    last = now;
    lastAt = at;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

export async function reconnectStorm(
  executors: number,
  redisUrl: string,
  dir: string,
  /** The simulated executors' Backoff base (default: the executor's own). */
  backoffBaseMs = BACKOFF_BASE_MS,
): Promise<StormFigures> {
  const prefix = { KUBENTLY_REDIS_PREFIX: `storm-${crypto.randomUUID()}:` };
  const a = await startServer(redisUrl, undefined, prefix);
  const b = await startServer(redisUrl, undefined, prefix);
  const bPid = b.process.proc.pid;
  try {
    const clusterIds = Array.from({ length: executors }, (_, i) => `storm-${i}`);
    const clusters = await registerClusters(a.url, clusterIds);
    const fleet = await startWireFleet([a.url, b.url], clusters, dir, true, backoffBaseMs);
    try {
      const bBefore = await rssMb(bPid);
      const cpu = sampleCpu(bPid, 250);
      a.process.proc.kill("SIGKILL");
      const killedAt = Date.now();

      // Watch the simulators (not the server) from the kill until all are back and every command
      // queued is answered; callers queue meanwhile.
      const shares: { at: number; connected: number }[] = [];
      const ids: string[] = [];
      let queuing = true;
      const deadline = killedAt + 300_000;
      const watched = (async () => {
        for (;;) {
          const report = await fleet.report();
          shares.push({ at: Date.now(), connected: report.connected });
          const done = !queuing && report.connected === executors && report.answered >= ids.length;
          if (done || Date.now() > deadline) return report;
          await Bun.sleep(100);
        }
      })();

      let next = 0;
      const queued = await closedLoop(
        64,
        120_000,
        async () => {
          const cluster = clusterIds[next++];
          if (!cluster) return true;
          const response = await fetch(`${b.url}/debug/execute/async`, {
            method: "POST",
            headers: { "x-api-key": API_KEY, "content-type": "application/json" },
            body: JSON.stringify({
              cluster_id: cluster,
              command_type: "get",
              args: ["pods"],
              timeout_seconds: 300,
            }),
          });
          const body = (await response.json()) as { operation_id?: string };
          if (response.status !== 202 || !body.operation_id) return false;
          ids.push(body.operation_id);
          return true;
        },
        executors,
      );
      const queueAllS = (Date.now() - killedAt) / 1000;
      queuing = false;
      const report = await watched;
      const cpuPeak = cpu.stop();
      // Counted from the trough: the first samples may predate the simulators seeing A's sockets close.
      const trough = shares.reduce((low, s, i) => (s.connected < (shares[low]?.connected ?? 0) ? i : low), 0);
      const reached = (share: number) =>
        ((shares.slice(trough).find((s) => s.connected >= share * executors)?.at ?? Number.NaN) - killedAt) /
        1000;
      const reconnectAllS = (report.last_connected_at - killedAt) / 1000;

      // The oracle: what B says of every operation queued.
      let succeeded = 0;
      let read = 0;
      await closedLoop(
        64,
        120_000,
        async () => {
          const id = ids[read++];
          if (!id) return true;
          const response = await fetch(`${b.url}/debug/operations/${id}`, {
            headers: { "x-api-key": API_KEY },
          });
          const body = (await response.json()) as { status?: string };
          if (body.status === "succeeded") succeeded++;
          return response.ok;
        },
        ids.length,
      );
      return {
        executors,
        backoff_base_ms: backoffBaseMs,
        backoff_cap_ms: BACKOFF_CAP_MS,
        commands_queued: ids.length,
        refused_to_queue: queued.errors,
        queue_all_s: round(queueAllS, 2),
        reconnected_50pct_s: round(reached(0.5), 2),
        reconnected_90pct_s: round(reached(0.9), 2),
        reconnect_all_s: round(reconnectAllS, 2),
        answer_all_s: round((report.last_answered_at - killedAt) / 1000, 2),
        lost: ids.length - succeeded,
        failed_dials: report.failed_dials,
        post_failures: report.post_failures,
        b_cpu_peak_pct: Math.round(cpuPeak),
        b_rss_before_mb: round(bBefore, 1),
        b_rss_peak_mb: round(await peakRssMb(bPid), 1),
      };
    } finally {
      await fleet.stop();
    }
  } finally {
    a.process.proc.kill("SIGKILL");
    await b.stop();
  }
}
