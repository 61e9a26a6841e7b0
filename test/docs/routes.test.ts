/**
 * The docs routes over real HTTP (createApp on a loopback port): the page loads nothing but this
 * server's assets, the assets are Swagger UI's own files, and the design card's /swagger paths redirect.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ErrorBody } from "../../src/models";
import { startTestServer, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const distFile = (name: string) => Bun.file(Bun.resolveSync(`swagger-ui-dist/${name}`, import.meta.dir));

describe("GET /docs", () => {
  test("is Swagger UI loading only this server's assets, under a same-origin-only CSP", async () => {
    const response = await fetch(`${server.url}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = response.headers.get("content-security-policy") ?? "";
    for (const directive of ["default-src 'none'", "script-src 'self'", "connect-src 'self'"]) {
      expect(csp).toContain(directive);
    }
    const html = await response.text();
    expect(html).toContain('<div id="swagger-ui"></div>');
    expect(html).not.toMatch(/https?:|\/\/[a-z]/i);
    const loaded = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map(([, url]) => url);
    expect(loaded.sort()).toEqual([
      "/docs/assets/favicon-32x32.png",
      "/docs/assets/init.js",
      "/docs/assets/swagger-ui-bundle.js",
      "/docs/assets/swagger-ui.css",
    ]);
  });

  test.each([
    ["swagger-ui-bundle.js", "text/javascript; charset=utf-8"],
    ["swagger-ui.css", "text/css; charset=utf-8"],
    ["favicon-32x32.png", "image/png"],
  ])("/docs/assets/%s is swagger-ui-dist's file", async (name, type) => {
    const response = await fetch(`${server.url}/docs/assets/${name}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(type);
    const served = new Uint8Array(await response.arrayBuffer());
    expect(served.length).toBeGreaterThan(0);
    expect(Bun.deepEquals(served, await distFile(name).bytes())).toBe(true);
  });

  test("init.js starts Swagger UI on /openapi.json, without the online validator", async () => {
    const response = await fetch(`${server.url}/docs/assets/init.js`);
    expect(response.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    const script = await response.text();
    expect(script).toStartWith("window.ui = SwaggerUIBundle(");
    expect(script).toContain('"url":"/openapi.json"');
    expect(script).toContain('"validatorUrl":null');
  });

  test("an unknown asset is 404 in the error format", async () => {
    const response = await fetch(`${server.url}/docs/assets/swagger-ui-bundle.js.map`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as ErrorBody).details.code).toBe("ROUTE_NOT_FOUND");
  });
});

describe("the design card's /swagger paths", () => {
  test.each([
    ["/swagger", "/docs"],
    ["/swagger/json", "/openapi.json"],
  ])("%s redirects to %s", async (path, target) => {
    const response = await fetch(server.url + path, { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get("location") ?? "", server.url).pathname).toBe(target);
  });
});
