/**
 * End to end: the real API server, the real executor and the real kubectl binary against the
 * Kubernetes API stand-in, over every transport and on both persistent stores.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TransportName } from "../../executor/transports/types";
import type { CommandResult, ErrorBody, Session } from "../../src/models";
import { auditEntries } from "../audit/helpers";
import { CRASH_LOG_LINE, CRASHING_POD, HEALTHY_POD, SHOP_NAMESPACE } from "../k8s/scenario";
import { type KubeStandin, startKubeStandin } from "../k8s/standin";
import { nextEvent } from "../support/events";
import { executorEnv, startInProcessExecutor } from "../support/executor";
import { spawnProcess } from "../support/process";
import { json, startTestServer, type TestServer } from "../support/server";
import { useStores } from "../support/stores";

const dir = mkdtempSync(join(tmpdir(), "kubently-e2e-"));
let standin: KubeStandin;
const { redis } = useStores("e2e");
beforeAll(async () => {
  standin = await startKubeStandin();
});
afterAll(async () => {
  await standin.stop();
  rmSync(dir, { recursive: true, force: true });
});

const stores: [string, () => string][] = [
  ["sqlite", () => `sqlite://${join(dir, `${crypto.randomUUID()}.db`)}`],
  ["redis", () => redis().url],
];
const transports: TransportName[] = ["sse", "ws", "poll"];

describe.each(stores)("on the %s store", (_, storeUrl) => {
  let server: TestServer;
  beforeAll(async () => {
    // Short leases, so a long-poll executor that died gives its commands back within seconds.
    server = await startTestServer({ storeUrl: storeUrl(), leaseMs: 2_000 });
  });
  afterAll(() => server.stop());

  const execute = (body: Record<string, unknown>) => server.client("/debug/execute", json(body));
  const kubectl = async (clusterId: string, args: string[], extra: Record<string, unknown> = {}) => {
    const [verb, ...rest] = args;
    const response = await execute({ cluster_id: clusterId, command_type: verb, args: rest, ...extra });
    return { status: response.status, body: (await response.json()) as CommandResult & ErrorBody };
  };

  describe.each(transports)("over %s", (transport) => {
    const clusterId = `e2e-${transport}`;
    let token: string;
    beforeAll(async () => {
      token = await server.registerCluster(clusterId);
    });
    const env = () =>
      executorEnv({
        apiUrl: server.url,
        clusterId,
        token,
        transport,
        kubeconfig: standin.kubeconfigPath,
        cacheDir: join(dir, `cache-${clusterId}`),
      });

    test("a debugging session: get pods → describe → logs → events", async () => {
      const executor = await startInProcessExecutor(env());
      try {
        const clusters = (await (await server.client("/debug/clusters")).json()) as {
          clusters: Record<string, unknown>[];
        };
        expect(clusters.clusters.find((c) => c.cluster_id === clusterId)).toMatchObject({
          connected: true,
          transport,
        });

        const created = await server.client("/debug/session", json({ cluster_id: clusterId }));
        const session = (await created.json()) as Session;
        const inSession = (args: string[]) => kubectl(clusterId, args, { session_id: session.session_id });

        const pods = await inSession(["get", "pods", "-n", SHOP_NAMESPACE]);
        expect(pods.status).toBe(200);
        expect(pods.body.stdout).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/);
        expect(pods.body.stdout).toMatch(new RegExp(`${CRASHING_POD}\\s+0/1\\s+CrashLoopBackOff`));
        expect(pods.body.stdout).toContain(HEALTHY_POD);

        const describePod = await inSession(["describe", "pod", CRASHING_POD, "-n", SHOP_NAMESPACE]);
        expect(describePod.body.stdout).toContain(`Name:             ${CRASHING_POD}`);
        expect(describePod.body.stdout).toMatch(/Warning\s+BackOff/);

        const logs = await inSession(["logs", CRASHING_POD, "-n", SHOP_NAMESPACE]);
        expect(logs.body.stdout).toContain(CRASH_LOG_LINE);

        const events = await inSession(["get", "events", "-n", SHOP_NAMESPACE]);
        expect(events.body.stdout).toMatch(/BackOff\s+pod\/checkout/);

        // The cluster's own address, which the executor holds, not the gate's loopback one kubectl would see.
        const info = await inSession(["cluster-info", "-n", SHOP_NAMESPACE]);
        expect(info.body.stdout.split("\n")[0]).toBe(`Kubernetes control plane is running at ${standin.url}`);

        const missing = await inSession(["get", "pod", "nope", "-n", SHOP_NAMESPACE]);
        expect(missing.status).toBe(200);
        expect(missing.body).toMatchObject({ status: "failure", exit_code: 1 });
        expect(missing.body.stderr).toContain('Error from server (NotFound): pods "nope" not found');
      } finally {
        await executor.stop();
      }
    });

    test("a denied command is 403 COMMAND_DENIED and kubectl never runs", async () => {
      const executor = await startInProcessExecutor(env());
      try {
        const before = standin.requests.length;
        const secrets = await kubectl(clusterId, ["get", "secrets", "-n", SHOP_NAMESPACE, "-o", "yaml"]);
        expect(secrets.status).toBe(403);
        expect(secrets.body.details).toMatchObject({
          code: "COMMAND_DENIED",
          context: { denial_code: "RESOURCE_RESTRICTED" },
        });
        const injected = await kubectl(clusterId, ["get", "pods", "--server=https://evil.example"]);
        expect(injected.status).toBe(403);
        expect(standin.requests.length).toBe(before);
      } finally {
        await executor.stop();
      }
    });

    test("a request the cluster gate refuses makes the command 403 API_REQUEST_DENIED, audited with the request", async () => {
      const executor = await startInProcessExecutor(env());
      try {
        const before = standin.requests.length;
        const described = await kubectl(clusterId, [
          "describe",
          "serviceaccount",
          "default",
          "-n",
          SHOP_NAMESPACE,
        ]);
        expect(described.status).toBe(403);
        const refused = {
          method: "GET",
          path: `/api/v1/namespaces/${SHOP_NAMESPACE}/secrets`,
          rule: "RESOURCE_RESTRICTED",
        };
        expect(described.body.details).toMatchObject({
          code: "COMMAND_DENIED",
          context: { denial_code: "API_REQUEST_DENIED", refused_request: refused },
        });
        expect(standin.requests.slice(before).some((r) => r.pathname.endsWith("/secrets"))).toBe(false);
        const commandId = String(described.body.details.context.command_id);
        const entries = (await auditEntries(server, { cluster_id: clusterId })).filter(
          (e) => e.command_id === commandId,
        );
        expect(entries.at(-1)).toMatchObject({
          outcome: "denied",
          denial_code: "API_REQUEST_DENIED",
          refused_request: `GET ${refused.path} RESOURCE_RESTRICTED`,
          api_refused: 1,
        });
        expect(entries.at(-1)?.api_requests).toBeGreaterThan(1);
      } finally {
        await executor.stop();
      }
    });

    test("a command sent while the executor is offline is delivered when it connects", async () => {
      const queued = nextEvent(server.store, (e) => e.type === "command" && e.cluster_id === clusterId);
      const pending = kubectl(clusterId, ["get", "pod", HEALTHY_POD, "-n", SHOP_NAMESPACE], {
        timeout_seconds: 20,
      });
      await queued;
      const executor = await startInProcessExecutor(env());
      try {
        const { status, body } = await pending;
        expect(status).toBe(200);
        expect(body.stdout).toContain(HEALTHY_POD);
      } finally {
        await executor.stop();
      }
    });

    test("past its deadline a command is answered 504 and never executed late", async () => {
      // A cluster no executor has ever polled for, so no earlier test's in-flight long-poll can take it.
      const quiet = `${clusterId}-quiet`;
      const quietToken = await server.registerCluster(quiet);
      const late = `late-${crypto.randomUUID()}`;
      const { status, body } = await kubectl(quiet, ["get", "pod", late, "-n", SHOP_NAMESPACE], {
        timeout_seconds: 1,
      });
      expect(status).toBe(504);
      expect(body.details.code).toBe("EXECUTOR_OFFLINE");
      const executor = await startInProcessExecutor({
        ...env(),
        KUBENTLY_CLUSTER_ID: quiet,
        KUBENTLY_TOKEN: quietToken,
      });
      try {
        expect((await kubectl(quiet, ["get", "nodes"])).status).toBe(200);
        expect(standin.requests.some((r) => r.path.includes(late))).toBe(false);
      } finally {
        await executor.stop();
      }
    });

    test("an executor killed mid-command: the command is requeued and answered after restart", async () => {
      const path = `/api/v1/namespaces/${SHOP_NAMESPACE}/pods/${CRASHING_POD}`;
      const hold = standin.hold(path);
      const first = spawnProcess([process.execPath, "executor/index.ts"], env());
      let pending: ReturnType<typeof kubectl>;
      try {
        await first.waitForLine(/"msg":"connected"/);
        pending = kubectl(clusterId, ["get", "pod", CRASHING_POD, "-n", SHOP_NAMESPACE], {
          timeout_seconds: 30,
        });
        await hold.reached;
        first.proc.kill("SIGKILL");
        await first.proc.exited;
      } finally {
        hold.release();
      }
      const second = await startInProcessExecutor(env());
      try {
        const { status, body } = await pending;
        expect(status).toBe(200);
        expect(body.stdout).toContain(CRASHING_POD);
      } finally {
        await second.stop();
      }
    });
  });
});
