/**
 * People through OIDC, against an issuer started here on 127.0.0.1 with its own keys and JWKS: a
 * good token signs a person in as `oidc:USER` with the scope their groups map to; expired, forged,
 * other-audience, other-issuer and not-yet-valid tokens are 401 with the reason and change nothing;
 * the issuer's key rotation is honoured. The person's identity is what the audit trail records and
 * what the cluster sees, through the real executor's gate and real kubectl.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ClusterList, CommandResult, ErrorBody, Session } from "../../src/models";
import { auditEntries } from "../audit/helpers";
import { SHOP_NAMESPACE } from "../k8s/scenario";
import { runKubently } from "../support/cli";
import { type ConnectedCluster, startConnectedCluster } from "../support/connected-cluster";
import { eventually } from "../support/eventually";
import { startTestIssuer, type TestIssuer } from "../support/oidc-issuer";
import { freePort } from "../support/ports";
import { startTestServer, type TestServer } from "../support/server";

const AUDIENCE = "kubently-test";
let issuer: TestIssuer;
let cluster: ConnectedCluster;
let server: TestServer;

beforeAll(async () => {
  issuer = await startTestIssuer();
  cluster = await startConnectedCluster("people", {
    keysFile: `principals:
  shop-team:
    oidcGroups: ["shop-devs"]
    namespaces: { allow: ["${SHOP_NAMESPACE}"] }
  elsewhere:
    oidcGroups: ["other-devs"]
    clusters: ["prod-*"]
`,
    oidc: {
      issuer: issuer.url,
      audience: AUDIENCE,
      userClaim: "email",
      groupsClaim: "groups",
      clockSkewSeconds: 30,
      jwksCooldownMs: 0,
    },
  });
  server = cluster.server;
});
afterAll(async () => {
  await cluster.stop();
  await issuer.stop();
});

const alice = { email: "alice@example.com", groups: ["shop-devs"], aud: AUDIENCE };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const clusters = (token: string) => fetch(`${server.url}/debug/clusters`, { headers: bearer(token) });

async function refusedWith(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  const body = (await response.json()) as ErrorBody;
  expect(body.details.code).toBe(code);
  return body;
}

describe("a person signed in", () => {
  test("runs commands as oidc:USER within the scope their group maps to; the cluster and the audit trail see them", async () => {
    const token = await issuer.token(alice);
    const headers = { ...bearer(token), "content-type": "application/json", "x-correlation-id": "people-1" };
    const run = async (args: string[]) =>
      fetch(`${server.url}/debug/execute`, {
        method: "POST",
        headers,
        body: JSON.stringify({ cluster_id: "people", command_type: "get", args }),
      });

    const inScope = await run(["pods", "-n", SHOP_NAMESPACE]);
    expect(inScope.status).toBe(200);
    const result = (await inScope.json()) as CommandResult;
    expect(result).toMatchObject({ status: "success", service_identity: "oidc:alice@example.com" });
    const gateSaw = cluster.standin.requests.filter((r) => r.headers["audit-id"] === "people-1");
    expect(gateSaw.length).toBeGreaterThan(0);
    for (const request of gateSaw)
      expect(request.headers["user-agent"]).toContain("service=oidc:alice@example.com;");

    const outside = await refusedWith(await run(["pods", "-n", "kube-system"]), 403, "SCOPE_DENIED");
    expect(outside.details.context).toMatchObject({
      scope: "namespaces",
      principal: "oidc:alice@example.com",
    });

    const entries = await eventually(async () => {
      const found = (await auditEntries(server, { identity: "oidc:alice@example.com" })).filter(
        (entry) => entry.correlation_id === "people-1",
      );
      expect(found.map((entry) => entry.outcome).sort()).toEqual(["accepted", "denied", "succeeded"]);
      return found;
    });
    expect(entries.every((entry) => entry.identity === "oidc:alice@example.com")).toBe(true);
  });

  test("their sessions are theirs: another person, or a key, does not find them", async () => {
    const mine = await issuer.token(alice);
    const bob = await issuer.token({ ...alice, email: "bob@example.com" });
    const created = await fetch(`${server.url}/debug/session`, {
      method: "POST",
      headers: { ...bearer(mine), "content-type": "application/json" },
      body: JSON.stringify({ cluster_id: "people" }),
    });
    const session = (await created.json()) as Session;
    expect(session.service_identity).toBe("oidc:alice@example.com");
    const path = `${server.url}/debug/session/${session.session_id}`;
    expect((await fetch(path, { headers: bearer(mine) })).status).toBe(200);
    expect((await fetch(path, { headers: bearer(bob) })).status).toBe(404);
    expect((await server.client(`/debug/session/${session.session_id}`)).status).toBe(404);
  });

  test("the CLI takes a person's token as KUBENTLY_API_KEY; a refused one exits 1 with the reason", async () => {
    const env = (token: string) => ({ KUBENTLY_URL: server.url, KUBENTLY_API_KEY: token });
    const listed = await runKubently(["clusters", "--json"], env(await issuer.token(alice)));
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { cluster_id: string }[]).map((c) => c.cluster_id)).toEqual([
      "people",
    ]);
    const expired = await runKubently(["clusters"], env(await issuer.token({ ...alice, exp: 1 })));
    expect(expired.code).toBe(1);
    expect(expired.stderr).toBe("kubently: UNAUTHORIZED: the token has expired\n");
  });

  test("the groups decide the scope: another group sees other clusters; no mapped group is 403", async () => {
    const other = await issuer.token({ ...alice, groups: ["other-devs"] });
    expect(((await (await clusters(other)).json()) as ClusterList).clusters).toEqual([]);
    const nobody = await issuer.token({ ...alice, groups: ["interns"] });
    await refusedWith(await clusters(nobody), 403, "NO_PRINCIPAL");
    const noGroups = await issuer.token({ email: "carol@example.com", aud: AUDIENCE });
    await refusedWith(await clusters(noGroups), 403, "NO_PRINCIPAL");
  });
});

describe("tokens that do not sign anyone in: 401 with the reason, nothing done", () => {
  const now = () => Math.floor(Date.now() / 1000);
  test.each([
    ["expired", async () => issuer.token({ ...alice, exp: now() - 120 }), "expired"],
    ["expired, beyond the clock skew", async () => issuer.token({ ...alice, exp: now() - 31 }), "expired"],
    [
      "signed by a key the issuer never published",
      async () => issuer.token(alice, { key: "foreign" }),
      "bad_signature",
    ],
    [
      "forged under the issuer's key id",
      async () => issuer.token(alice, { key: "foreign", kid: issuer.currentKid() }),
      "bad_signature",
    ],
    ["for another audience", async () => issuer.token({ ...alice, aud: "someone-else" }), "wrong_audience"],
    [
      "from another issuer",
      async () => issuer.token({ ...alice, iss: "https://evil.example" }),
      "wrong_issuer",
    ],
    ["not valid yet", async () => issuer.token({ ...alice, nbf: now() + 120 }), "not_yet_valid"],
    ["with no expiry", async () => issuer.token({ ...alice, exp: undefined }), "invalid"],
  ])("%s", async (_, make, reason) => {
    const token = await make();
    const before = await server.store.countActiveSessions(Date.now());
    const response = await fetch(`${server.url}/debug/session`, {
      method: "POST",
      headers: { ...bearer(token), "content-type": "application/json" },
      body: JSON.stringify({ cluster_id: "people" }),
    });
    const body = await refusedWith(response, 401, "UNAUTHORIZED");
    expect(body.details.context.reason).toBe(reason);
    expect(JSON.stringify(body)).not.toContain(token);
    expect(await server.store.countActiveSessions(Date.now())).toBe(before);
  });

  test("within the clock skew, a token just expired or not quite valid yet is accepted", async () => {
    expect((await clusters(await issuer.token({ ...alice, exp: now() - 10 }))).status).toBe(200);
    expect((await clusters(await issuer.token({ ...alice, nbf: now() + 10 }))).status).toBe(200);
  });
});

test("the issuer's key rotation is honoured: the new key's tokens verify, the old key's stop", async () => {
  const old = await issuer.token(alice);
  expect((await clusters(old)).status).toBe(200);
  const fetchesBefore = issuer.jwksFetches();
  await issuer.rotate();
  const fresh = await issuer.token(alice);
  expect((await clusters(fresh)).status).toBe(200);
  expect(issuer.jwksFetches()).toBeGreaterThan(fetchesBefore);
  const stale = await refusedWith(await clusters(old), 401, "UNAUTHORIZED");
  expect(stale.details.context.reason).toBe("bad_signature");
});

test("an issuer that cannot be reached is 503 IDENTITY_PROVIDER_UNAVAILABLE, not a bad credential", async () => {
  const gone = `http://127.0.0.1:${await freePort()}`;
  const cut = await startTestServer({
    oidc: { issuer: gone, audience: AUDIENCE, userClaim: "sub", groupsClaim: "groups", clockSkewSeconds: 30 },
  });
  try {
    const token = await issuer.token({ ...alice, iss: gone });
    const response = await fetch(`${cut.url}/debug/clusters`, { headers: bearer(token) });
    await refusedWith(response, 503, "IDENTITY_PROVIDER_UNAVAILABLE");
    // API keys are unaffected.
    expect((await cut.client("/debug/clusters")).status).toBe(200);
  } finally {
    await cut.stop();
  }
});
