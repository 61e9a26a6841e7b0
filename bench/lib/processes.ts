/**
 * The processes a benchmark measures: a real `kubently serve` and real executors (with the echo
 * runner unless kubectl itself is being measured), each its own OS process on loopback.
 */
import { freePort } from "../../test/support/ports";
import { type Spawned, spawnProcess } from "../../test/support/process";

export const API_KEY = "bench-agent-key-0123456789abcdef";
export const ADMIN_KEY = "bench-admin-key-0123456789abcdef";

export interface BenchServer {
  url: string;
  process: Spawned;
  stop(): Promise<void>;
}

/**
 * Starts `kubently serve` at warn level (per-command info lines would be part of what is measured
 * otherwise) on a free port, ready once /health answers.
 */
export async function startServer(
  store: string,
  command: string[] = [process.execPath, "src/index.ts"],
  env: Record<string, string> = {},
): Promise<BenchServer> {
  const port = await freePort();
  const server = spawnProcess([...command, "serve", "--port", String(port), "--store", store], {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    KUBENTLY_API_KEYS: `bench:${API_KEY}`,
    KUBENTLY_ADMIN_KEYS: `ops:${ADMIN_KEY}`,
    KUBENTLY_LOG_LEVEL: "warn",
    KUBENTLY_REDIS_PREFIX: `bench-${crypto.randomUUID()}:`,
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  while (
    !(await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (Date.now() > deadline || server.proc.exitCode !== null)
      throw new Error(`server did not start:\n${server.stderr()}`);
    await Bun.sleep(50);
  }
  return {
    url,
    process: server,
    async stop() {
      server.proc.kill("SIGTERM");
      await server.proc.exited;
    },
  };
}

export async function registerCluster(url: string, clusterId: string): Promise<string> {
  const response = await fetch(`${url}/admin/clusters/${clusterId}/token?rotate=true`, {
    method: "POST",
    headers: { "x-api-key": ADMIN_KEY },
  });
  return ((await response.json()) as { token: string }).token;
}

/** Registers many clusters, a batch at a time; their tokens in the same order. */
export async function registerClusters(
  url: string,
  clusterIds: string[],
): Promise<{ cluster_id: string; token: string }[]> {
  const clusters: { cluster_id: string; token: string }[] = [];
  const BATCH = 200;
  for (let i = 0; i < clusterIds.length; i += BATCH) {
    const batch = clusterIds.slice(i, i + BATCH);
    clusters.push(
      ...(await Promise.all(
        batch.map(async (id) => ({ cluster_id: id, token: await registerCluster(url, id) })),
      )),
    );
  }
  return clusters;
}

export interface ExecutorOptions {
  runner: "echo" | "kubectl";
  kubeconfig?: string;
  /** A policy file (KUBENTLY_POLICY); the default policy otherwise. */
  policyFile?: string;
  command?: string[];
  /** KUBENTLY_TRANSPORT; default KUBENTLY_BENCH_TRANSPORT from the bench's environment, else auto. */
  transport?: "sse" | "ws" | "poll" | "auto";
  /** Where its JSON log goes: a file, as under a container runtime, not a pipe the driver must drain. */
  logFile: string;
}

export interface BenchExecutor {
  pid: number;
  stop(): Promise<void>;
}

export async function startExecutor(
  url: string,
  clusterId: string,
  token: string,
  options: ExecutorOptions,
): Promise<BenchExecutor> {
  const proc = Bun.spawn(options.command ?? [process.execPath, "executor/index.ts"], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      ...(options.kubeconfig ? { KUBECONFIG: options.kubeconfig } : {}),
      ...(options.policyFile ? { KUBENTLY_POLICY: options.policyFile } : {}),
      KUBENTLY_API_URL: url,
      KUBENTLY_CLUSTER_ID: clusterId,
      KUBENTLY_TOKEN: token,
      KUBENTLY_TRANSPORT: options.transport ?? process.env.KUBENTLY_BENCH_TRANSPORT ?? "auto",
      KUBENTLY_RUNNER: options.runner,
    },
    stdin: "ignore",
    stdout: Bun.file(options.logFile),
    stderr: "inherit",
  });
  await until(async () => {
    const response = await fetch(`${url}/debug/clusters`, { headers: { "x-api-key": API_KEY } });
    const { clusters } = (await response.json()) as {
      clusters: { cluster_id: string; connected: boolean }[];
    };
    return clusters.some((c) => c.cluster_id === clusterId && c.connected);
  }, `executor of ${clusterId} did not connect`);
  return {
    pid: proc.pid,
    async stop() {
      proc.kill("SIGTERM");
      await proc.exited;
    },
  };
}

/** Retries `check` every 50 ms for up to 10 s: for readiness of processes the bench started. */
async function until(check: () => Promise<boolean>, failure: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(failure);
    await Bun.sleep(50);
  }
}

/** Resident set size of a process, in MiB, from /proc. */
export async function rssMb(pid: number): Promise<number> {
  const status = await Bun.file(`/proc/${pid}/status`).text();
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** User + system CPU a process has used, in µs, from /proc (clock ticks of 10 ms). */
export async function cpuMicros(pid: number): Promise<number> {
  const stat = await Bun.file(`/proc/${pid}/stat`).text();
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** Peak resident set size so far (VmHWM), in MiB. */
export async function peakRssMb(pid: number): Promise<number> {
  const status = await Bun.file(`/proc/${pid}/status`).text();
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
}
