/**
 * The cluster gate's cost: one API request straight to the stand-in (HTTPS) versus through the gate,
 * and one kubectl command with the stand-in's kubeconfig versus with a gate grant's, alternated so
 * drift hits both alike. `bun run bench/scenarios/gate.ts` runs it alone and prints the JSON.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveClusterAccess, startGate } from "../../executor/gate";
import { silentLog } from "../../executor/log";
import { policyFrom } from "../../executor/policy";
import { startKubeStandin } from "../../test/k8s/standin";
import { round, type Spread, spread } from "../lib/stats";

export interface GateFigures {
  request_direct_ms: Spread;
  request_gated_ms: Spread;
  command_direct_ms: Spread;
  command_gated_ms: Spread;
}

const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

const rounded = (s: Spread): Spread => ({ min: round(s.min), median: round(s.median), p99: round(s.p99) });

export async function gateCost(requests: number, commands: number, dir: string): Promise<GateFigures> {
  const standin = await startKubeStandin({ tls: true });
  const runtimeDir = mkdtempSync(join(dir, "gate-"));
  const access = resolveClusterAccess({ KUBECONFIG: standin.kubeconfigPath }, { serviceAccountDir: "/none" });
  const gate = await startGate({
    policy: policyFrom({ deniedNamespaces: ["kube-*"] }),
    access,
    version: "bench",
    runtimeDir,
    log: silentLog,
  });
  const grant = gate.open({ commandId: crypto.randomUUID(), serviceIdentity: "bench" });
  const token = /token: (\S+)/.exec(await Bun.file(grant.kubeconfigPath()).text())?.[1] ?? "";
  const path = "/api/v1/namespaces/shop/pods?limit=500";
  const get = async (base: string, authorization: string) => {
    const t0 = performance.now();
    const response = await fetch(base + path, {
      headers: { accept: TABLE, authorization },
      tls: { rejectUnauthorized: false },
    });
    await response.arrayBuffer();
    return performance.now() - t0;
  };
  const direct: number[] = [];
  const gated: number[] = [];
  for (let i = 0; i < requests + 20; i++) {
    const d = await get(standin.url, `Bearer ${standin.token}`);
    const g = await get(gate.url, `Bearer ${token}`);
    if (i >= 20) {
      direct.push(d);
      gated.push(g);
    }
  }

  const kubectl = async (kubeconfig: string) => {
    const t0 = performance.now();
    const env = {
      PATH: process.env.PATH ?? "",
      HOME: dir,
      KUBECONFIG: kubeconfig,
      KUBECACHEDIR: join(dir, "kcache"),
    };
    await Bun.spawn(["kubectl", "get", "pods", "-n", "shop"], { env, stdout: "ignore", stderr: "ignore" })
      .exited;
    return performance.now() - t0;
  };
  const commandDirect: number[] = [];
  const commandGated: number[] = [];
  for (let i = 0; i < commands + 3; i++) {
    const d = await kubectl(standin.kubeconfigPath);
    const g = await kubectl(grant.kubeconfigPath());
    if (i >= 3) {
      commandDirect.push(d);
      commandGated.push(g);
    }
  }
  grant.close();
  await gate.stop();
  await standin.stop();
  rmSync(runtimeDir, { recursive: true, force: true });
  return {
    request_direct_ms: rounded(spread(direct)),
    request_gated_ms: rounded(spread(gated)),
    command_direct_ms: rounded(spread(commandDirect)),
    command_gated_ms: rounded(spread(commandGated)),
  };
}

if (import.meta.main) {
  const dir = mkdtempSync(join(tmpdir(), "kubently-bench-gate-"));
  try {
    console.log(JSON.stringify(await gateCost(1_000, 40, dir), null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
