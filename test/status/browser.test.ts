/**
 * The status page in a real headless browser: Debian's chromium driven by playwright-core, against a
 * compiled `kubently` (the page's files embedded in the executable) with a real executor connected,
 * every request to anything but the server's loopback address blocked. It must refuse a wrong admin
 * key, sign in with the right one (kept in session storage, never in a URL), show the connected
 * cluster and the command that just ran, and fit a phone's width, with no script error or CSP
 * violation. The run writes docs/status-page.png, the README's picture of the page.
 */

import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import type { ClusterList } from "../../src/models";
import { LOOPBACK, launchBrowser, openWatchedPage } from "../support/browser";
import { eventually } from "../support/eventually";
import { DEFAULT_POLICY_REPORT } from "../support/fixtures";
import { type Spawned, spawnProcess } from "../support/process";
import { spawnServe } from "../support/serve";

const ADMIN_KEY = "status-admin-0123456789abcdef";
const CLIENT_KEY = "status-agent-0123456789abcdef";
const SCREENSHOT = join(import.meta.dir, "../../docs/status-page.png");

const dir = mkdtempSync(join(tmpdir(), "kubently-status-page-"));
let browser: BrowserContext;
let server: Spawned;
let executor: Spawned;
let url: string;

/** Only the server binary: the page lives in it (build.ts would also cross-compile every target). */
async function compileServer(): Promise<string> {
  const outfile = join(dir, "kubently");
  const build = Bun.spawn([process.execPath, "build", "--compile", "src/index.ts", "--outfile", outfile], {
    stdout: "pipe",
    stderr: "pipe",
  });
  if ((await build.exited) !== 0)
    throw new Error(`bun build failed: ${await new Response(build.stderr).text()}`);
  return outfile;
}

const call = (key: string, path: string, init: RequestInit = {}) =>
  fetch(url + path, {
    ...init,
    headers: { "x-api-key": key, "content-type": "application/json", ...init.headers },
  });

async function execute(args: string[], requestedBy: string): Promise<number> {
  const response = await call(CLIENT_KEY, "/debug/execute", {
    method: "POST",
    headers: { "x-service-identity": requestedBy },
    body: JSON.stringify({ cluster_id: "production", command_type: args[0], args: args.slice(1) }),
  });
  return response.status;
}

beforeAll(async () => {
  let binary: string;
  [binary, browser] = await Promise.all([
    compileServer(),
    launchBrowser(join(dir, "profile"), { width: 1200, height: 760 }),
  ]);
  server = spawnServe(
    ["--store", "memory://"],
    {
      KUBENTLY_API_KEYS: `agent:${CLIENT_KEY}`,
      KUBENTLY_ADMIN_KEYS: `ops:${ADMIN_KEY}`,
      KUBENTLY_ACCESS_LOG: "off",
    },
    [binary],
  );
  ({ url } = JSON.parse(await server.waitForLine(/kubently listening/)) as { url: string });
  const issued = await call(ADMIN_KEY, "/admin/clusters/production/token", { method: "POST" });
  const { token } = (await issued.json()) as { token: string };
  await call(ADMIN_KEY, "/admin/clusters/staging/token", { method: "POST" });
  executor = spawnProcess([process.execPath, "executor/index.ts"], {
    PATH: process.env.PATH,
    KUBENTLY_API_URL: url,
    KUBENTLY_CLUSTER_ID: "production",
    KUBENTLY_TOKEN: token,
    KUBENTLY_TRANSPORT: "ws",
    KUBENTLY_RUNNER: "echo",
    KUBENTLY_CACHE_DIR: join(dir, "cache"),
  });
  await eventually(async () => {
    const { clusters } = (await (await call(CLIENT_KEY, "/debug/clusters")).json()) as ClusterList;
    expect(clusters.find((cluster) => cluster.cluster_id === "production")?.connected).toBe(true);
  });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  for (const proc of [executor, server]) {
    proc?.proc.kill();
    await proc?.proc.exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

async function signIn(page: Page, key: string): Promise<void> {
  await page.locator("#key").fill(key);
  await page.locator("#signin button").click();
}

test("refuses a wrong key, then shows the connected cluster and the command that just ran", async () => {
  expect(new URL(url).hostname).toBe("127.0.0.1");
  expect(await execute(["get", "pods", "-n", "shop"], "alice")).toBe(200);
  expect(await execute(["delete", "pod", "api-0", "-n", "shop"], "triage-bot")).toBe(403);
  expect(await execute(["logs", "deploy/api", "--tail=50", "-n", "shop"], "alice")).toBe(200);

  // A refused key is a 401 the page expects; chromium reports every failed fetch on the console.
  const { page, blocked, requested, problems } = await openWatchedPage(browser, (error) =>
    error.includes("401"),
  );

  await page.goto(`${url}/`);
  expect(new URL(page.url()).pathname).toBe("/ui");
  await signIn(page, "not-the-admin-key-0123456789");
  await page.locator("#signin-error").waitFor({ state: "visible" });
  expect(await page.locator("#signin-error").textContent()).toBe(
    "a valid admin key is required (X-API-Key or Authorization: Bearer)",
  );
  expect(await page.locator("main").isVisible()).toBe(false);
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

  await signIn(page, ADMIN_KEY);
  const production = page.locator('tr[data-cluster="production"]');
  await production.locator("text=connected").waitFor({ timeout: 10_000 });
  expect(await production.locator('[data-label="Transport"]').textContent()).toBe("ws");
  expect(await production.locator('[data-label="Cmd/min"]').textContent()).toBe("3");
  expect(await page.locator('tr[data-cluster="staging"] .state').textContent()).toBe("offline");
  const ran = page.locator("#commands-body tr", { hasText: "get pods -n shop" });
  await ran.waitFor();
  expect(await ran.locator('[data-label="Outcome"]').textContent()).toBe("succeeded");
  expect(await ran.locator('[data-label="Who"]').textContent()).toBe("agent/alice");
  const denied = page.locator("#commands-body tr", { hasText: "delete pod api-0" });
  expect(await denied.locator('[data-label="Outcome"]').textContent()).toStartWith("denied");
  expect(await page.locator("#chain-state").textContent()).toBe("verified");

  // Filtering by outcome asks the server again and keeps only the denial.
  await page.locator("#filter-outcome").selectOption("denied");
  await page.locator("#commands-body tr", { hasText: "get pods" }).waitFor({ state: "detached" });
  expect(await page.locator("#commands-body tr").count()).toBe(1);
  await page.locator("#filter-outcome").selectOption("");
  await ran.waitFor();

  // The key stays in this tab's session storage, never in an address.
  expect(await page.evaluate(() => sessionStorage.getItem("kubently.adminKey"))).toBe(ADMIN_KEY);
  expect(requested.filter((request) => request.includes(ADMIN_KEY))).toEqual([]);
  expect(page.url()).toBe(`${url}/ui`);

  await page.screenshot({ path: SCREENSHOT, fullPage: true });

  // A phone's width: nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);

  // Signing out forgets the key.
  await page.locator("#signout").click();
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  await page.locator("#signin").waitFor({ state: "visible" });

  expect(blocked).toEqual([]);
  expect(requested.filter((request) => !LOOPBACK.has(new URL(request).hostname))).toEqual([]);
  expect(requested).toContain(`${url}/ui/assets/status.js`);
  expect(requested).toContain(`${url}/admin/status`);
  expect(problems).toEqual([]);
});

test("shows labels and a policy summary when the cluster list carries them, and nothing when not", async () => {
  const { page, problems } = await openWatchedPage(browser);
  // The server's own answer, with the fields a cluster list may carry added to one cluster: the page
  // must show what is there without knowing every field in advance.
  await page.route("**/admin/status", async (route) => {
    const response = await route.fetch();
    const status = (await response.json()) as { clusters: Record<string, unknown>[] };
    for (const cluster of status.clusters) {
      if (cluster.cluster_id !== "production") continue;
      cluster.labels = { env: "prod", region: "eu-west-1" };
      cluster.policy = {
        ...DEFAULT_POLICY_REPORT,
        denied_namespaces: ["kube-system"],
        redaction_rules: ["jwt", "private-key"],
        impersonation: true,
      };
    }
    await route.fulfill({ response, json: status });
  });
  await page.goto(`${url}/ui`);
  await signIn(page, ADMIN_KEY);
  const extras = page.locator('tr[data-cluster="production"] [data-label="Labels, policy"] .chip');
  await extras.first().waitFor();
  expect(await extras.allTextContents()).toEqual([
    "env=prod",
    "region=eu-west-1",
    "mode: readOnly",
    "denied: kube-system",
    "restricted: secrets",
    "redaction: 2 rules",
    "impersonation",
  ]);
  expect(await page.locator('tr[data-cluster="staging"] [data-label="Labels, policy"] .chip').count()).toBe(
    0,
  );
  expect(await page.locator("#clusters-table.no-extras").count()).toBe(0);
  expect(problems).toEqual([]);
  await page.close();
});
