/**
 * GET /admin/status over real HTTP with a real executor connected (answering with its echo runner), and
 * the status page's files as the server hands them out: admin keys only for the data, a CSP that
 * allows nothing but this server, no inline script or style.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningExecutor } from "../../executor/executor";
import type { AuditPage } from "../../src/models";
import type { StatusOverview } from "../../src/modules/status/model";
import { startInProcessExecutor } from "../support/executor";
import { CLIENT_KEY, startTestServer, type TestServer } from "../support/server";

const dir = mkdtempSync(join(tmpdir(), "kubently-status-"));
let server: TestServer;
let executor: RunningExecutor;

beforeAll(async () => {
  server = await startTestServer();
  executor = await startInProcessExecutor({
    PATH: process.env.PATH,
    KUBENTLY_API_URL: server.url,
    KUBENTLY_CLUSTER_ID: "production",
    KUBENTLY_TOKEN: await server.registerCluster("production"),
    KUBENTLY_TRANSPORT: "ws",
    KUBENTLY_RUNNER: "echo",
    KUBENTLY_CACHE_DIR: join(dir, "cache"),
  });
  await server.registerCluster("staging");
});
afterAll(async () => {
  await executor?.stop(1_000);
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("GET /admin/status", () => {
  test("refuses client keys, wrong keys and no key, in the error format", async () => {
    const presented: Record<string, string>[] = [
      { "x-api-key": CLIENT_KEY },
      { "x-api-key": "wrong-key-0123456789" },
      {},
    ];
    for (const headers of presented) {
      const response = await fetch(`${server.url}/admin/status`, { headers });
      expect(response.status).toBe(401);
      expect(((await response.json()) as { details: { code: string } }).details.code).toBe("UNAUTHORIZED");
    }
  });

  test("shows the connected cluster, its commands of the last minute and the verified chain", async () => {
    for (const args of [["pods"], ["nodes"]]) {
      const response = await server.client("/debug/execute", {
        method: "POST",
        body: JSON.stringify({ cluster_id: "production", command_type: "get", args }),
      });
      expect(response.status).toBe(200);
    }
    const response = await server.admin("/admin/status");
    expect(response.status).toBe(200);
    const status = (await response.json()) as StatusOverview;
    const byId = Object.fromEntries(status.clusters.map((cluster) => [cluster.cluster_id, cluster]));
    expect(byId.production).toMatchObject({
      connected: true,
      transport: "ws",
      queue_depth: 0,
      commands_last_minute: 2,
      commands_last_minute_capped: false,
    });
    expect(byId.production?.executor_version).toBeString();
    expect(byId.staging).toMatchObject({ connected: false, commands_last_minute: 0, last_seen: null });

    const { head } = (await (await server.admin("/audit?limit=1")).json()) as AuditPage;
    expect(status.audit.head).toEqual(head);
    expect(status.audit.chain).toMatchObject({ state: "verified", verified: head?.seq, head });
  });

  test("is in the API document, under the admin key", async () => {
    const document = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { security: unknown; operationId: string }>>;
    };
    expect(document.paths["/admin/status"]?.get).toMatchObject({
      operationId: "getStatus",
      security: [{ adminKey: [] }],
    });
    expect(Object.keys(document.paths).filter((path) => path === "/" || path.startsWith("/ui"))).toEqual([]);
  });
});

describe("the status page", () => {
  test("/ leads to /ui, which allows nothing but this server and has no inline script or style", async () => {
    const root = await fetch(`${server.url}/`, { redirect: "manual" });
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toBe("/ui");

    const page = await fetch(`${server.url}/ui`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp.split("; ")).toEqual(
      expect.arrayContaining([
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
      ]),
    );
    expect(csp).not.toContain("unsafe");
    const html = await page.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\ssrc="\/ui\/assets\//);
      expect(body).toBe("");
    }
    expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
    expect(html).not.toMatch(/https?:\/\//);
  });

  test("its files come from the server, and an unknown one is 404 in the error format", async () => {
    const files: [string, string][] = [
      ["status.js", "text/javascript; charset=utf-8"],
      ["status.css", "text/css; charset=utf-8"],
      ["icon.svg", "image/svg+xml"],
    ];
    for (const [name, type] of files) {
      const response = await fetch(`${server.url}/ui/assets/${name}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe(type);
      expect((await response.text()).length).toBeGreaterThan(100);
    }
    const missing = await fetch(`${server.url}/ui/assets/other.js`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { details: { code: string } }).details.code).toBe("ROUTE_NOT_FOUND");
  });
});
