/**
 * The docs page in a real headless browser: Debian's chromium driven by playwright-core, against the
 * compiled `kubently` binary (built by build.ts, as shipped). With every request to anything but the
 * server's loopback address blocked, Swagger UI must render every documented operation from the assets
 * embedded in the executable, with no script error and no CSP violation.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OpenAPIV3_1 } from "openapi-types";
import type { BrowserContext } from "playwright-core";
import { LOOPBACK, launchBrowser, openWatchedPage } from "../support/browser";
import type { Spawned } from "../support/process";
import { spawnServe } from "../support/serve";

const dir = mkdtempSync(join(tmpdir(), "kubently-docs-"));
let browser: BrowserContext;
let server: Spawned;
let url: string;

async function buildBinaries(): Promise<void> {
  const build = Bun.spawn([process.execPath, "run", "build.ts", join(dir, "bin")], {
    stdout: "pipe",
    stderr: "pipe",
  });
  if ((await build.exited) !== 0)
    throw new Error(`build.ts failed: ${await new Response(build.stderr).text()}`);
}

beforeAll(async () => {
  // Both take seconds: build while the browser starts.
  [, browser] = await Promise.all([buildBinaries(), launchBrowser(join(dir, "profile"))]);
  server = spawnServe(["--insecure-no-auth", "--store", "memory://"], {}, [join(dir, "bin", "kubently")]);
  ({ url } = JSON.parse(await server.waitForLine(/kubently listening/)) as { url: string });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.proc.kill();
  await server?.proc.exited;
  rmSync(dir, { recursive: true, force: true });
});

test("Swagger UI renders every documented operation, with nothing but the server reachable", async () => {
  expect(new URL(url).hostname).toBe("127.0.0.1");
  const document = (await (await fetch(`${url}/openapi.json`)).json()) as OpenAPIV3_1.Document;
  const documented = Object.entries(document.paths ?? {})
    .flatMap(([path, item]) =>
      Object.entries(item ?? {}).map(
        ([method, operation]) =>
          `${method.toUpperCase()} ${path} ${(operation as OpenAPIV3_1.OperationObject).summary}`,
      ),
    )
    .sort();

  const { page, blocked, requested, problems } = await openWatchedPage(browser);

  await page.goto(`${url}/docs`);
  await page
    .locator(".opblock")
    .nth(documented.length - 1)
    .waitFor({ timeout: 10_000 });
  const rendered = await page
    .locator(".opblock")
    .evaluateAll((blocks) =>
      blocks.map((block) =>
        [
          block.querySelector(".opblock-summary-method")?.textContent,
          block.querySelector(".opblock-summary-path")?.getAttribute("data-path"),
          block.querySelector(".opblock-summary-description")?.textContent,
        ].join(" "),
      ),
    );
  expect(rendered.sort()).toEqual(documented);
  expect(rendered).toContain(
    "POST /debug/execute Run a kubectl command on a cluster and wait for its result",
  );
  expect(await page.locator(".info .title").textContent()).toStartWith(`Kubently ${document.info.version}`);

  expect(blocked).toEqual([]);
  const elsewhere = requested.filter((request) => {
    const target = new URL(request);
    return !["data:", "blob:"].includes(target.protocol) && !LOOPBACK.has(target.hostname);
  });
  expect(elsewhere).toEqual([]);
  expect(requested).toContain(`${url}/docs/assets/swagger-ui-bundle.js`);
  expect(requested).toContain(`${url}/openapi.json`);
  expect(problems).toEqual([]);
});
