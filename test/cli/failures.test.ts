/**
 * Every client command when the server cannot be reached, or something that is not Kubently answers
 * (a proxy's HTML error page, a web page): one line on stderr, or the error as JSON with --json,
 * exit 1, and never a stack trace.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { expectOneLine, runKubently } from "../support/cli";
import { freePort } from "../support/ports";

/** Each client command that talks to a server, named as typed. */
const COMMANDS = [
  ["clusters"],
  ["session", "start", "prod"],
  ["session", "get", "s-1"],
  ["session", "end", "s-1"],
  ["exec", "prod", "get", "pods"],
  ["token", "create", "prod"],
  ["token", "rotate", "prod"],
  ["token", "revoke", "prod"],
  ["audit", "list"],
  ["audit", "verify"],
  ["health"],
].map((args) => [args.join(" "), args] as const);

/** Loopback HTTP servers that are not Kubently: every request gets the same non-JSON answer. */
const notKubently = (status: number) =>
  Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: () =>
      new Response("<html><body>not here</body></html>", {
        status,
        headers: { "content-type": "text/html" },
      }),
  });

let nobody = "";
let proxy: ReturnType<typeof notKubently>;
let webPage: ReturnType<typeof notKubently>;
beforeAll(async () => {
  nobody = `http://127.0.0.1:${await freePort()}`;
  proxy = notKubently(502);
  webPage = notKubently(200);
});
afterAll(async () => {
  await Promise.all([proxy.stop(true), webPage.stop(true)]);
});

const kubently = (url: string, args: string[]) =>
  runKubently(args, { KUBENTLY_URL: url, KUBENTLY_API_KEY: "client-key", KUBENTLY_ADMIN_KEY: "admin-key" });

describe("an unreachable server", () => {
  test.each(COMMANDS)("%s", async (_, args) => {
    const run = await kubently(nobody, args);
    expectOneLine(run.stderr);
    expect(run.stderr).toStartWith(`kubently: UNREACHABLE: cannot reach ${nobody}: `);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 1, stdout: "" });
  });
});

describe("an answer that is not Kubently's", () => {
  test.each(COMMANDS)("%s", async (_, args) => {
    for (const [server, status] of [
      [proxy, 502],
      [webPage, 200],
    ] as const) {
      const url = `http://127.0.0.1:${server.port}`;
      const run = await kubently(url, args);
      expectOneLine(run.stderr);
      expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
        code: 1,
        stdout: "",
        stderr: `kubently: BAD_RESPONSE: ${url} answered HTTP ${status} with text/html, not Kubently's JSON: is it a Kubently server?\n`,
      });
    }
  });

  test("JSON of another shape ends in one line too, as an unexpected error", async () => {
    const other = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: () => Response.json({ hello: "world" }),
    });
    try {
      for (const args of [["clusters"], ["audit", "list"]]) {
        const run = await kubently(`http://127.0.0.1:${other.port}`, args);
        expectOneLine(run.stderr);
        expect(run.stderr).toStartWith("kubently: UNEXPECTED: ");
        expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 1, stdout: "" });
      }
    } finally {
      await other.stop(true);
    }
  });

  test("--json prints the error as JSON on stdout instead", async () => {
    const url = `http://127.0.0.1:${proxy.port}`;
    const run = await kubently(url, ["clusters", "--json"]);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 1, stderr: "" });
    expect(JSON.parse(run.stdout)).toEqual({
      error: `${url} answered HTTP 502 with text/html, not Kubently's JSON: is it a Kubently server?`,
      details: { code: "BAD_RESPONSE", context: { status: 502, content_type: "text/html" } },
    });
  });
});
