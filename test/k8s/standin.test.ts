// Runs the real kubectl against the Kubernetes API stand-in and checks what it prints:
// table columns, describe sections with filtered events, logs, errors and exit codes.

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { type Finished, runToEnd } from "../support/process";
import { CRASH_LOG_LINE, CRASHING_POD, HEALTHY_POD, NODE_NAMES } from "./scenario";
import { type KubeStandin, startKubeStandin } from "./standin";

let cacheDir = "";
beforeEach(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), "kubectl-cache-"));
});
afterEach(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

function kubectl(standin: KubeStandin, ...args: string[]): Promise<Finished> {
  return runToEnd(["kubectl", ...args], {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: cacheDir,
    KUBECONFIG: standin.kubeconfigPath,
    KUBECACHEDIR: cacheDir,
  });
}

/** Splits a kubectl table into rows of whitespace-separated cells (fine for cells without spaces). */
function rows(table: string): string[][] {
  return table
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s{2,}/));
}

describe("kubectl against the stand-in (plain HTTP)", () => {
  let k8s: KubeStandin;
  beforeAll(async () => {
    k8s = await startKubeStandin();
  });
  afterAll(async () => {
    await k8s.stop();
  });

  test("get pods -n shop prints server-side table columns and the crash-looping pod", async () => {
    const r = await kubectl(k8s, "get", "pods", "-n", "shop");
    expect(r.code).toBe(0);
    const [header, ...body] = rows(r.stdout);
    expect(header).toEqual(["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
    const crashing = body.find((row) => row[0] === CRASHING_POD);
    expect(crashing?.slice(1, 3)).toEqual(["0/1", "CrashLoopBackOff"]);
    expect(crashing?.[3]).toMatch(/^10 \(\d+m\d*s? ago\)$/);
    expect(body.find((row) => row[0] === HEALTHY_POD)?.slice(1, 4)).toEqual(["1/1", "Running", "0"]);
    const list = k8s.requests.find((q) => q.pathname === "/api/v1/namespaces/shop/pods");
    expect(list?.headers.accept).toStartWith("application/json;as=Table;v=v1;g=meta.k8s.io");
    expect(list?.headers["user-agent"]).toStartWith("kubectl/v1.32");
    expect(list?.query.limit).toBe("500");
  });

  test("get pods -A adds the NAMESPACE column; -o wide adds IP and NODE", async () => {
    const all = await kubectl(k8s, "get", "pods", "-A");
    expect(all.code).toBe(0);
    const [header, ...body] = rows(all.stdout);
    expect(header?.slice(0, 3)).toEqual(["NAMESPACE", "NAME", "READY"]);
    expect(body.filter((row) => row[0] === "kube-system" && row[1]?.startsWith("coredns-"))).toHaveLength(2);
    expect(body.some((row) => row[0] === "shop" && row[1] === CRASHING_POD)).toBe(true);

    const wide = await kubectl(k8s, "get", "pod", CRASHING_POD, "-n", "shop", "-o", "wide");
    expect(rows(wide.stdout)[0]).toEqual([
      "NAME",
      "READY",
      "STATUS",
      "RESTARTS",
      "AGE",
      "IP",
      "NODE",
      "NOMINATED NODE",
      "READINESS GATES",
    ]);
    expect(wide.stdout).toContain(`10.0.1.142   ${NODE_NAMES[0]}`);
  });

  test("get pod -o yaml returns the full object; -o name with a label selector filters", async () => {
    const r = await kubectl(k8s, "get", "pod", CRASHING_POD, "-n", "shop", "-o", "yaml");
    expect(r.code).toBe(0);
    const pod = parse(r.stdout);
    expect(pod.kind).toBe("Pod");
    expect(pod.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(pod.metadata.ownerReferences[0].name).toBe("checkout-7d9f8b6c5");
    expect(pod.status.containerStatuses[0].state.waiting.reason).toBe("CrashLoopBackOff");
    expect(pod.status.containerStatuses[0].lastState.terminated.exitCode).toBe(1);

    const names = await kubectl(k8s, "get", "pods", "-n", "shop", "-l", "app=frontend", "-o", "name");
    expect(names.stdout.trim().split("\n")).toEqual([
      "pod/frontend-6b8d9c7f4d-k7m2p",
      "pod/frontend-6b8d9c7f4d-q9w4z",
    ]);
  });

  test("describe pod shows container state and only the pod's own events", async () => {
    const r = await kubectl(k8s, "describe", "pod", CRASHING_POD, "-n", "shop");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/State:\s+Waiting\n\s+Reason:\s+CrashLoopBackOff/);
    expect(r.stdout).toMatch(/Last State:\s+Terminated\n\s+Reason:\s+Error\n\s+Exit Code:\s+1/);
    expect(r.stdout).toMatch(/Restart Count:\s+10/);
    const events = r.stdout.slice(r.stdout.indexOf("Events:"));
    expect(events).toMatch(/Type\s+Reason\s+Age\s+From\s+Message/);
    for (const reason of ["Scheduled", "Pulling", "Pulled", "Created", "Started"]) {
      expect(events).toMatch(new RegExp(`Normal\\s+${reason}\\s`));
    }
    expect(events).toMatch(
      /Warning\s+BackOff\s+\S+ \(x168 over \S+\)\s+kubelet\s+Back-off restarting failed container checkout/,
    );
    expect(events).not.toContain("Unhealthy");
    expect(events).not.toContain("ScalingReplicaSet");
    const search = k8s.requests.find(
      (q) => q.pathname === "/api/v1/namespaces/shop/events" && q.query.fieldSelector,
    );
    expect(search?.query.fieldSelector).toContain(`involvedObject.name=${CRASHING_POD}`);
  });

  test("logs prints the crash, --previous --tail picks the earlier instance's last lines", async () => {
    const r = await kubectl(k8s, "logs", CRASHING_POD, "-n", "shop");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(CRASH_LOG_LINE);
    expect(r.stdout).toContain("    at requireEnv (/app/dist/config.js:27:13)");

    const prev = await kubectl(
      k8s,
      "logs",
      CRASHING_POD,
      "-n",
      "shop",
      "--previous",
      "--tail=1",
      "--timestamps",
    );
    expect(prev.stdout).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z Node\.js v20\.18\.1\n$/);
    const logReq = k8s.requests.find((q) => q.pathname.endsWith("/log") && q.query.previous === "true");
    expect(logReq?.query).toMatchObject({ container: "checkout", tailLines: "1", timestamps: "true" });

    const healthy = await kubectl(k8s, "logs", HEALTHY_POD, "-n", "shop", "--previous");
    expect(healthy.code).toBe(1);
    expect(healthy.stderr).toContain(
      `previous terminated container "credit-service" in pod "${HEALTHY_POD}" not found`,
    );
  });

  test("get events and get deployments print their server-side columns", async () => {
    const ev = await kubectl(k8s, "get", "events", "-n", "shop");
    expect(ev.code).toBe(0);
    const [evHeader, ...evRows] = rows(ev.stdout);
    expect(evHeader).toEqual(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]);
    expect(
      evRows.some((row) => row[1] === "Warning" && row[2] === "BackOff" && row[3] === `pod/${CRASHING_POD}`),
    ).toBe(true);

    const warnings = await kubectl(
      k8s,
      "get",
      "events",
      "-n",
      "shop",
      "--field-selector",
      "type=Warning",
      "-o",
      "name",
    );
    expect(warnings.stdout.trim().split("\n")).toHaveLength(3);

    const deploy = await kubectl(k8s, "get", "deployments", "-n", "shop");
    const [header, ...body] = rows(deploy.stdout);
    expect(header).toEqual(["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]);
    expect(body.map((row) => row.slice(0, 4))).toEqual([
      ["checkout", "0/1", "1", "0"],
      ["credit-service", "1/1", "1", "1"],
      ["frontend", "2/2", "2", "2"],
    ]);
  });

  test("describe deployment lists its replica sets and events", async () => {
    const r = await kubectl(k8s, "describe", "deployment", "checkout", "-n", "shop");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Replicas:\s+1 desired \| 1 updated \| 1 total \| 0 available \| 1 unavailable/);
    expect(r.stdout).toMatch(/OldReplicaSets:\s+checkout-5f6b7c8d9 \(0\/0 replicas created\)/);
    expect(r.stdout).toMatch(/NewReplicaSet:\s+checkout-7d9f8b6c5 \(1\/1 replicas created\)/);
    expect(r.stdout).toMatch(/Available\s+False\s+MinimumReplicasUnavailable/);
    expect(r.stdout).toMatch(
      /Normal\s+ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled up replica set checkout-7d9f8b6c5 from 0 to 1/,
    );
  });

  test("get nodes, namespaces and secrets", async () => {
    const nodes = await kubectl(k8s, "get", "nodes");
    const [nodeHeader, ...nodeRows] = rows(nodes.stdout);
    expect(nodeHeader).toEqual(["NAME", "STATUS", "ROLES", "AGE", "VERSION"]);
    expect(nodeRows.map((row) => [row[0], row[1]])).toEqual(NODE_NAMES.map((n) => [n, "Ready"]));

    const ns = await kubectl(k8s, "get", "namespaces");
    const [nsHeader, ...nsRows] = rows(ns.stdout);
    expect(nsHeader).toEqual(["NAME", "STATUS", "AGE"]);
    const names = nsRows.map((row) => row[0]);
    for (const name of ["default", "kube-system", "shop", "external-secrets"]) expect(names).toContain(name);

    const secrets = await kubectl(k8s, "get", "secrets", "-n", "shop");
    const [secretHeader, ...secretRows] = rows(secrets.stdout);
    expect(secretHeader).toEqual(["NAME", "TYPE", "DATA", "AGE"]);
    expect(secretRows[0]?.slice(0, 3)).toEqual(["checkout-secrets", "Opaque", "2"]);
  });

  test("unknown objects are a NotFound Status; writes are refused like RBAC would", async () => {
    const missing = await kubectl(k8s, "get", "pod", "nope", "-n", "shop");
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe("");
    expect(missing.stderr.trim()).toBe('Error from server (NotFound): pods "nope" not found');

    const del = await kubectl(k8s, "delete", "pod", CRASHING_POD, "-n", "shop");
    expect(del.code).toBe(1);
    expect(del.stderr).toContain(`Error from server (Forbidden): pods "${CRASHING_POD}" is forbidden`);
  });

  test("api-resources and version come from discovery", async () => {
    const res = await kubectl(k8s, "api-resources");
    expect(res.code).toBe(0);
    const [header, ...body] = rows(res.stdout);
    expect(header).toEqual(["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]);
    expect(body).toContainEqual(["pods", "po", "v1", "true", "Pod"]);
    expect(body).toContainEqual(["deployments", "deploy", "apps/v1", "true", "Deployment"]);
    expect(body).toContainEqual(["nodes", "no", "v1", "false", "Node"]);
    const discovery = k8s.requests.find((q) => q.pathname === "/apis");
    expect(discovery?.headers.accept).toContain("as=APIGroupDiscoveryList");

    const version = await kubectl(k8s, "version");
    expect(version.code).toBe(0);
    expect(version.stdout).toContain("Server Version: v1.32.4");
  });
});

describe("kubectl against the stand-in over TLS", () => {
  test("the kubeconfig's bearer token reaches the server", async () => {
    const k8s = await startKubeStandin({ tls: true });
    try {
      expect(k8s.url).toStartWith("https://127.0.0.1:");
      const r = await kubectl(k8s, "get", "ns", "shop", "-o", "name");
      expect(r.stdout.trim()).toBe("namespace/shop");
      const get = k8s.requests.find((q) => q.pathname === "/api/v1/namespaces/shop");
      expect(get?.headers.authorization).toBe(`Bearer ${k8s.token}`);
      expect(get?.headers["kubectl-command"]).toBe("kubectl get");
    } finally {
      await k8s.stop();
    }
  });
});
