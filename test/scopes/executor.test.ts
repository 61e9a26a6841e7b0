/**
 * A namespace-scoped principal through the whole path: server, real executor, its cluster gate,
 * native reads and real kubectl against the Kubernetes API stand-in. A key scoped to `shop` reads
 * shop, is refused kube-system by name, and a cluster-wide list shows it only shop's objects, whether
 * native reads answer it or kubectl does; an unscoped key on the same executor sees everything.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { CommandResult, ErrorBody } from "../../src/models";
import { CRASHING_POD, SHOP_NAMESPACE } from "../k8s/scenario";
import { type ConnectedCluster, startConnectedCluster } from "../support/connected-cluster";
import { json } from "../support/server";

const SHOP_KEY = "shop-key-0123456789abcdef";

let cluster: ConnectedCluster;
beforeAll(async () => {
  cluster = await startConnectedCluster("scoped", {
    keysFile: `principals:\n  shop-team:\n    keys: ["${SHOP_KEY}"]\n    namespaces: { allow: ["${SHOP_NAMESPACE}"] }\n`,
  });
});
afterAll(() => cluster.stop());

async function run(key: "shop" | "agent", args: string[]) {
  const call = key === "shop" ? cluster.server.as(SHOP_KEY) : cluster.server.client;
  const response = await call("/debug/execute", json({ cluster_id: "scoped", command_type: "get", args }));
  return { status: response.status, body: (await response.json()) as CommandResult & ErrorBody };
}

/** The NAMESPACE column of a `get -A` table (or the first column of custom columns). */
const namespacesIn = (stdout: string) =>
  new Set(
    stdout
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split(/\s+/)[0]),
  );

test.each([
  ["natively", ["pods", "-A"]],
  ["by kubectl", ["pods", "-A", "-o", "custom-columns=NAMESPACE:.metadata.namespace,NAME:.metadata.name"]],
])("get pods -A %s shows a shop-scoped key only shop's pods", async (_, args) => {
  const scoped = await run("shop", args);
  expect(scoped.status).toBe(200);
  expect(scoped.body).toMatchObject({ status: "success", exit_code: 0 });
  expect(scoped.body.stdout).toContain(CRASHING_POD);
  expect(namespacesIn(scoped.body.stdout)).toEqual(new Set([SHOP_NAMESPACE]));

  const unscoped = await run("agent", args);
  expect([...namespacesIn(unscoped.body.stdout)]).toEqual(
    expect.arrayContaining([SHOP_NAMESPACE, "kube-system"]),
  );
});

test("get namespaces -A lists only the namespaces in scope", async () => {
  const scoped = await run("shop", ["namespaces", "-A"]);
  expect(scoped.status).toBe(200);
  expect(
    scoped.body.stdout
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split(/\s+/)[0]),
  ).toEqual([SHOP_NAMESPACE]);
});

test("a namespace out of scope by name is refused before it is queued", async () => {
  const refused = await run("shop", ["pods", "-n", "kube-system"]);
  expect(refused.status).toBe(403);
  expect(refused.body.details).toMatchObject({ code: "SCOPE_DENIED", context: { scope: "namespaces" } });
});
