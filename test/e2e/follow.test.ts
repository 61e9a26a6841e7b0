/**
 * Following commands end by their window, end to end: the real server, the real executor running
 * real kubectl against the Kubernetes API stand-in (which keeps `logs -f` and `get -w` streams open,
 * as a quiet cluster does). They answer 200 with what arrived, marked as ended by the window or by
 * their line bound, never 504; a window over the maximum is refused before anything is queued.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningExecutor } from "../../executor/executor";
import type { CommandResult } from "../../src/models";
import { type ConnectedCluster, startConnectedCluster } from "../support/connected-cluster";
import { executorEnv, startInProcessExecutor } from "../support/executor";
import { json } from "../support/server";

const CLUSTER = "follow-e2e";
/** A second cluster on the same server, whose policy allows shorter windows and less output. */
const STRICT = "follow-strict";
let cluster: ConnectedCluster;
let strict: RunningExecutor;
const dir = mkdtempSync(join(tmpdir(), "kubently-follow-"));

beforeAll(async () => {
  // A short default window, so a command naming none ends within its timeout here.
  cluster = await startConnectedCluster(CLUSTER, { ops: { follow: { defaultSeconds: 2, maxSeconds: 20 } } });
  const policy = join(dir, "policy.yaml");
  writeFileSync(policy, "maxFollowSeconds: 1\nmaxOutputBytes: 64\n");
  strict = await startInProcessExecutor({
    ...executorEnv({
      apiUrl: cluster.server.url,
      clusterId: STRICT,
      token: await cluster.server.registerCluster(STRICT),
      kubeconfig: cluster.standin.kubeconfigPath,
      cacheDir: join(dir, "cache"),
    }),
    KUBENTLY_POLICY: policy,
  });
});
afterAll(async () => {
  await strict.stop();
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
});

function execute(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return cluster.server.client("/debug/execute", { ...json({ cluster_id: CLUSTER, ...body }), headers });
}

async function executeOn(clusterId: string, body: Record<string, unknown>): Promise<CommandResult> {
  const response = await cluster.server.client("/debug/execute", json({ cluster_id: clusterId, ...body }));
  expect(response.status).toBe(200);
  return (await response.json()) as CommandResult;
}

describe("the bounded window", () => {
  test("get -w with the server's default window answers 200 with the initial rows, ended by the window", async () => {
    // Before windows existed this held its slot until the 4 s timeout and answered 504 with nothing.
    const result = await executeOn(CLUSTER, {
      command_type: "get",
      args: ["pods", "-w"],
      namespace: "shop",
      timeout_seconds: 4,
    });
    expect(result.status).toBe("success");
    expect(result.exit_code).toBe(0);
    expect(result.follow).toEqual({ ended_by: "window", seconds: 2 });
    expect(result.stdout).toContain("frontend");
  });

  test("logs -f with follow_seconds answers what the container printed, ended by the window", async () => {
    const result = await executeOn(CLUSTER, {
      command_type: "logs",
      args: ["-f", "deploy/frontend"],
      namespace: "shop",
      follow_seconds: 1,
    });
    expect(result).toMatchObject({
      status: "success",
      exit_code: 0,
      follow: { ended_by: "window", seconds: 1 },
    });
    expect(result.stdout.length).toBeGreaterThan(0);
  });

  test("follow_lines ends a follow at that many lines, and the output holds exactly those", async () => {
    const result = await executeOn(CLUSTER, {
      command_type: "logs",
      args: ["--follow", "deploy/frontend"],
      namespace: "shop",
      follow_seconds: 20,
      follow_lines: 1,
    });
    expect(result).toMatchObject({ status: "success", exit_code: 0, follow: { ended_by: "lines" } });
    expect(result.stdout.split("\n").filter(Boolean)).toHaveLength(1);
  });

  test("a command that does not follow carries no follow field", async () => {
    const result = await executeOn(CLUSTER, {
      command_type: "get",
      args: ["pods"],
      namespace: "shop",
      follow_seconds: 5,
    });
    expect(result.status).toBe("success");
    expect(result.follow).toBeUndefined();
  });

  test("a window over the server's maximum is 400 FOLLOW_WINDOW_TOO_LONG and queues nothing", async () => {
    const correlation = `too-long-${crypto.randomUUID()}`;
    const response = await execute(
      { command_type: "logs", args: ["-f", "deploy/frontend"], namespace: "shop", follow_seconds: 21 },
      { "x-correlation-id": correlation },
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as { details: { code: string; context: unknown } };
    expect(body.details.code).toBe("FOLLOW_WINDOW_TOO_LONG");
    expect(body.details.context).toEqual({ follow_seconds: 21, max_follow_seconds: 20 });
    const audit = await cluster.server.admin(`/audit?cluster_id=${CLUSTER}&limit=1000`);
    expect(audit.status).toBe(200);
    const { entries } = (await audit.json()) as { entries: { correlation_id?: string }[] };
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.filter((entry) => entry.correlation_id === correlation)).toHaveLength(0);
  });

  test("five follows kubectl runs, from one caller, all end by their window while another caller's command is answered", async () => {
    // A table of watch events is kubectl's (native reads print events as objects only): each holds a process slot.
    const follows = Array.from({ length: 5 }, () =>
      execute({
        command_type: "get",
        args: ["pods", "--watch", "--output-watch-events"],
        namespace: "shop",
        follow_seconds: 1,
      }),
    );
    const other = await cluster.server.other("/debug/execute", {
      ...json({ cluster_id: CLUSTER, command_type: "get", args: ["pods"], namespace: "shop" }),
    });
    expect(other.status).toBe(200);
    for (const response of await Promise.all(follows)) {
      expect(response.status).toBe(200);
      expect(((await response.json()) as CommandResult).follow?.ended_by).toBe("window");
    }
  });

  test("the cluster's policy shortens the window the server gave (maxFollowSeconds)", async () => {
    const result = await executeOn(STRICT, {
      command_type: "get",
      args: ["pods", "-w"],
      namespace: "empty",
      follow_seconds: 15,
    });
    expect(result).toMatchObject({
      status: "success",
      exit_code: 0,
      follow: { ended_by: "window", seconds: 1 },
    });
  });

  test("a follow whose output reaches the policy's cap ends by bytes, with what it kept", async () => {
    const result = await executeOn(STRICT, {
      command_type: "logs",
      args: ["-f", "deploy/frontend"],
      namespace: "shop",
      follow_seconds: 15,
    });
    expect(result).toMatchObject({ status: "success", exit_code: 0, follow: { ended_by: "bytes" } });
    expect(result.stdout.length).toBeGreaterThan(0);
    expect(Buffer.byteLength(result.stdout)).toBeLessThanOrEqual(64);
  });

  test("rollout status ends by itself once the rollout is done: ended by exit, kubectl's code stands", async () => {
    const result = await executeOn(CLUSTER, {
      command_type: "rollout",
      args: ["status", "deployment/frontend"],
      namespace: "shop",
    });
    expect(result).toMatchObject({
      status: "success",
      exit_code: 0,
      follow: { ended_by: "exit", seconds: 2 },
    });
    expect(result.stdout).toContain("successfully rolled out");
  });
});
