import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ErrorBody } from "../../src/models";
import { connectSse, executorHeaders } from "../support/protocol-executor";
import { ADMIN_KEY, CLIENT_KEY, startTestServer, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const clusters = (headers: Record<string, string>) => fetch(`${server.url}/debug/clusters`, { headers });
const poll = (clusterId: string, token: string) =>
  fetch(`${server.url}/executor/commands?wait=0`, { headers: executorHeaders(clusterId, token) });

describe("client API keys", () => {
  test("a request without a key is 401 in the error format", async () => {
    const response = await clusters({});
    expect(response.status).toBe(401);
    const body = (await response.json()) as ErrorBody;
    expect(body.details.code).toBe("UNAUTHORIZED");
    expect(body.request_id).toBe(response.headers.get("x-request-id") ?? "");
    expect(response.headers.get("www-authenticate")).toContain("Bearer");
  });

  test.each([
    ["X-API-Key with the bare key", { "x-api-key": CLIENT_KEY }],
    ["X-API-Key with service:key", { "x-api-key": `agent:${CLIENT_KEY}` }],
    ["Authorization: Bearer", { authorization: `Bearer ${CLIENT_KEY}` }],
  ])("%s is accepted", async (_, headers) => {
    expect((await clusters(headers)).status).toBe(200);
  });

  test.each([
    ["a wrong key", { "x-api-key": "not-a-key-0123456789" }],
    ["a key claimed by the wrong service", { "x-api-key": `other:${CLIENT_KEY}` }],
    ["a key with a suffix", { "x-api-key": `${CLIENT_KEY}x` }],
    ["a Basic scheme", { authorization: `Basic ${CLIENT_KEY}` }],
    ["an admin key on a client route", { "x-api-key": ADMIN_KEY }],
  ])("%s is refused", async (_, headers) => {
    expect((await clusters(headers)).status).toBe(401);
  });

  test("a client key cannot issue executor tokens", async () => {
    const response = await server.client("/admin/clusters/sneaky/token", { method: "POST" });
    expect(response.status).toBe(401);
    expect(await server.store.getCluster("sneaky")).toBeNull();
  });
});

describe("executor tokens", () => {
  test("issued once with 201, shown once, stored only as a digest", async () => {
    const response = await server.admin("/admin/clusters/issue-once/token", { method: "POST" });
    expect(response.status).toBe(201);
    const { token, cluster_id, rotated } = (await response.json()) as {
      token: string;
      cluster_id: string;
      rotated: boolean;
    };
    expect(cluster_id).toBe("issue-once");
    expect(rotated).toBe(false);
    expect(token).toMatch(/^kbt_[A-Za-z0-9_-]{43}$/);
    const record = await server.store.getCluster("issue-once");
    expect(record?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(record?.token_hash).not.toContain(token);

    const again = await server.admin("/admin/clusters/issue-once/token", { method: "POST" });
    expect(again.status).toBe(409);
    const body = (await again.json()) as ErrorBody;
    expect(body.details.code).toBe("TOKEN_EXISTS");
    expect(JSON.stringify(body)).not.toContain("kbt_");
    expect(await server.store.getCluster("issue-once")).toEqual(record);
  });

  test("rotation replaces the token: the old one stops working at once", async () => {
    const old = await server.registerCluster("rotating");
    expect((await poll("rotating", old)).status).toBe(200);
    const response = await server.admin("/admin/clusters/rotating/token?rotate=true", { method: "POST" });
    expect(response.status).toBe(201);
    const { token, rotated } = (await response.json()) as { token: string; rotated: boolean };
    expect(rotated).toBe(true);
    expect(token).not.toBe(old);
    expect((await poll("rotating", old)).status).toBe(401);
    expect((await poll("rotating", token)).status).toBe(200);
  });

  test("a token works only for its own cluster", async () => {
    const tokenA = await server.registerCluster("cluster-a");
    await server.registerCluster("cluster-b");
    expect((await poll("cluster-b", tokenA)).status).toBe(401);
    expect((await poll("cluster-a", tokenA)).status).toBe(200);
  });

  test("executor requests need X-Cluster-ID and a valid cluster id", async () => {
    const token = await server.registerCluster("headers");
    const noCluster = await fetch(`${server.url}/executor/commands?wait=0`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(noCluster.status).toBe(401);
    const badCluster = await fetch(`${server.url}/executor/commands?wait=0`, {
      headers: { authorization: `Bearer ${token}`, "x-cluster-id": "Not_Valid" },
    });
    expect(badCluster.status).toBe(400);
    expect(((await badCluster.json()) as ErrorBody).details.code).toBe("INVALID_CLUSTER_ID");
  });

  test("revoking closes the cluster's open stream and refuses the token afterwards", async () => {
    const token = await server.registerCluster("revoked");
    const executor = await connectSse(server.url, "revoked", token);
    const response = await server.admin("/admin/clusters/revoked/token", { method: "DELETE" });
    expect(response.status).toBe(204);
    expect(await executor.ended).toBe("executor token revoked");
    expect((await poll("revoked", token)).status).toBe(401);
    expect((await server.admin("/admin/clusters/revoked/token", { method: "DELETE" })).status).toBe(404);
  });

  test("admin actions go to the audit trail with the admin's identity, never the token", async () => {
    const token = await server.registerCluster("logged");
    const response = await server.admin("/audit?cluster_id=logged");
    const { entries } = (await response.json()) as { entries: unknown[] };
    expect(entries).toEqual([
      expect.objectContaining({
        action: "token.create",
        outcome: "succeeded",
        cluster_id: "logged",
        identity: "ops",
      }),
    ]);
    expect(JSON.stringify(entries)).not.toContain(token);
  });
});
