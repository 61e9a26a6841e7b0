/**
 * HTTPS end to end with a CA made at test time: `kubently serve --tls-cert/--tls-key`, clients that
 * trust the CA, and executors that verify the server's certificate (refusing it without the CA
 * bundle) over every transport.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { selfSignedCert } from "../../executor/gate/certificate";
import type { CommandResult } from "../../src/models";
import { type Spawned, spawnProcess } from "../support/process";
import { spawnServe } from "../support/serve";

const dir = mkdtempSync(join(tmpdir(), "kubently-tls-"));
const caFile = join(dir, "ca.pem");
const API_KEY = "tls-agent-key-0123456789";
const ADMIN_KEY = "tls-admin-key-0123456789";
let ca: string;
let server: Spawned;
let url: string;

beforeAll(async () => {
  // One certificate for 127.0.0.1 that is also its own CA: what an operator's private CA amounts to here.
  const cert = await selfSignedCert("kubently-test-ca");
  ca = cert.certPem;
  writeFileSync(caFile, cert.certPem);
  writeFileSync(join(dir, "key.pem"), cert.keyPem, { mode: 0o600 });
  server = spawnServe(["--store", "memory://", "--tls-cert", caFile, "--tls-key", join(dir, "key.pem")], {
    KUBENTLY_API_KEYS: `agent:${API_KEY}`,
    KUBENTLY_ADMIN_KEYS: `ops:${ADMIN_KEY}`,
  });
  url = (JSON.parse(await server.waitForLine(/kubently listening/)) as { url: string }).url;
});
afterAll(async () => {
  server.proc.kill("SIGTERM");
  await server.proc.exited;
  rmSync(dir, { recursive: true, force: true });
});

const call = (path: string, key: string, init: RequestInit = {}) =>
  fetch(url + path, {
    ...init,
    tls: { ca },
    headers: { "x-api-key": key, "content-type": "application/json" },
  });

const startExecutor = (clusterId: string, token: string, transport: string, trusted: boolean) =>
  spawnProcess([process.execPath, "executor/index.ts"], {
    PATH: process.env.PATH,
    KUBENTLY_API_URL: url,
    KUBENTLY_CLUSTER_ID: clusterId,
    KUBENTLY_TOKEN: token,
    KUBENTLY_TRANSPORT: transport,
    KUBENTLY_RUNNER: "echo",
    ...(trusted ? { KUBENTLY_CA_FILE: caFile } : {}),
  });

describe("HTTPS", () => {
  test("the server speaks HTTPS, and a client that does not trust the CA is refused the connection", async () => {
    expect(url).toStartWith("https://127.0.0.1:");
    expect((await call("/health", API_KEY)).status).toBe(200);
    expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  test("an executor without the CA bundle refuses the server's certificate and never connects", async () => {
    const token = (
      (await (await call("/admin/clusters/untrusting/token", ADMIN_KEY, { method: "POST" })).json()) as {
        token: string;
      }
    ).token;
    const executor = startExecutor("untrusting", token, "sse", false);
    try {
      const failure = JSON.parse(await executor.waitForLine(/connection failed/, 10_000, "stderr")) as {
        error: string;
      };
      expect(failure.error).toMatch(/certificate|self.signed|UNABLE_TO_VERIFY|DEPTH_ZERO/i);
      const clusters = (await (await call("/debug/clusters", API_KEY)).json()) as {
        clusters: { cluster_id: string; connected: boolean }[];
      };
      expect(clusters.clusters.find((c) => c.cluster_id === "untrusting")?.connected).toBe(false);
    } finally {
      executor.proc.kill("SIGTERM");
      await executor.proc.exited;
    }
  });

  test.each(["sse", "ws", "poll"])(
    "an executor trusting the CA connects over %s and answers",
    async (transport) => {
      const clusterId = `tls-${transport}`;
      const token = (
        (await (await call(`/admin/clusters/${clusterId}/token`, ADMIN_KEY, { method: "POST" })).json()) as {
          token: string;
        }
      ).token;
      const executor = startExecutor(clusterId, token, transport, true);
      try {
        await executor.waitForLine(/"msg":"connected"/);
        const response = await call("/debug/execute", API_KEY, {
          method: "POST",
          body: JSON.stringify({ cluster_id: clusterId, command_type: "get", args: ["pods"] }),
        });
        expect(response.status).toBe(200);
        expect(((await response.json()) as CommandResult).stdout).toBe("get pods\n");
      } finally {
        executor.proc.kill("SIGTERM");
        await executor.proc.exited;
      }
    },
  );
});
