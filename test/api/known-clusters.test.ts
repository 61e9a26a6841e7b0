/**
 * A command checks that its cluster exists from memory once the cluster was seen (clusters/service.ts,
 * requireExists), so the remembered answer must not outlive a revocation: on the replica that revoked
 * and on every other one sharing the store. A cluster not found is never remembered.
 */
import { afterEach, describe, expect, test } from "bun:test";
import type { ErrorBody } from "../../src/models";
import { connectSse, type ProtocolExecutor } from "../support/protocol-executor";
import { json, startTestServer, type TestServer } from "../support/server";
import { useStores } from "../support/stores";

const { backends, redis } = useStores("known-clusters");

const running: { servers: TestServer[]; executors: ProtocolExecutor[] } = { servers: [], executors: [] };
afterEach(async () => {
  for (const executor of running.executors.splice(0)) executor.close();
  for (const server of running.servers.splice(0)) await server.stop();
});

async function serve(storeUrl: string, redisPrefix?: string): Promise<TestServer> {
  const server = await startTestServer({ storeUrl, redisPrefix });
  running.servers.push(server);
  return server;
}

async function connect(server: TestServer, clusterId: string, token: string): Promise<ProtocolExecutor> {
  const executor = await connectSse(server.url, clusterId, token);
  running.executors.push(executor);
  return executor;
}

const execute = (server: TestServer, clusterId: string) =>
  server.client("/debug/execute", json({ cluster_id: clusterId, command_type: "get", args: ["pods"] }));

async function expectNotFound(response: Response): Promise<void> {
  expect(response.status).toBe(404);
  expect(((await response.json()) as ErrorBody).details.code).toBe("CLUSTER_NOT_FOUND");
}

describe.each(backends)("on %s", (_, storeUrl) => {
  test("a cluster answered a moment ago is not found once its token is revoked", async () => {
    const server = await serve(storeUrl());
    const token = await server.registerCluster("gone");
    const executor = await connect(server, "gone", token);
    expect((await execute(server, "gone")).status).toBe(200);
    expect((await server.admin("/admin/clusters/gone/token", { method: "DELETE" })).status).toBe(204);
    // The stream ends on the same revocation notice that makes the server forget the cluster.
    expect(await executor.ended).toBe("executor token revoked");
    await expectNotFound(await execute(server, "gone"));
  });

  test("a cluster not found is asked for again, so one registered since is found", async () => {
    const server = await serve(storeUrl());
    await expectNotFound(await execute(server, "later"));
    const token = await server.registerCluster("later");
    await connect(server, "later", token);
    expect((await execute(server, "later")).status).toBe(200);
  });
});

test("on redis, a replica that answered for a cluster forgets it when another replica revokes it", async () => {
  const redisPrefix = `known-${crypto.randomUUID()}:`;
  const revoking = await serve(redis().url, redisPrefix);
  const answering = await serve(redis().url, redisPrefix);
  const token = await revoking.registerCluster("elsewhere");
  const executor = await connect(answering, "elsewhere", token);
  expect((await execute(answering, "elsewhere")).status).toBe(200);
  expect((await revoking.admin("/admin/clusters/elsewhere/token", { method: "DELETE" })).status).toBe(204);
  expect(await executor.ended).toBe("executor token revoked");
  await expectNotFound(await execute(answering, "elsewhere"));
});
