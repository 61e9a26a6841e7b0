/**
 * Contexts and `kubently version`, as a user runs them: the real CLI, a real server, a config file in a
 * temporary folder ($KUBENTLY_CONFIG). Where each setting comes from (flag > env > context), the file's
 * mode, keys never printed, and a bad file refused in one line with nothing changed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { expectOneLine, runKubently } from "../support/cli";
import { freePort } from "../support/ports";
import { CLIENT_KEY, startTestServer, type TestServer } from "../support/server";

let server: TestServer;
let dir = "";
let config = "";
let nobody = "";
beforeAll(async () => {
  server = await startTestServer();
  await server.registerCluster("ctx-cluster");
  dir = mkdtempSync(join(tmpdir(), "kubently-contexts-"));
  nobody = `http://127.0.0.1:${await freePort()}`;
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  config = join(dir, `config-${crypto.randomUUID()}.yaml`);
});

const kubently = (args: string[], env: Record<string, string> = {}) =>
  runKubently(args, { KUBENTLY_CONFIG: config, ...env });

async function ok(args: string[], env: Record<string, string> = {}) {
  const run = await kubently(args, env);
  expect({ args, code: run.code, stderr: run.stderr }).toEqual({ args, code: 0, stderr: "" });
  return run.stdout;
}

describe("contexts", () => {
  test("set-context writes the file with mode 0600; use-context makes a command use it", async () => {
    const keyFile = join(dir, "client.key");
    writeFileSync(keyFile, `${CLIENT_KEY}\n`);
    expect(await ok(["config", "set-context", "prod", "--url", server.url, "--api-key-file", keyFile])).toBe(
      'Context "prod" created.\n',
    );
    expect(statSync(config).mode & 0o777).toBe(0o600);
    expect(await ok(["config", "use-context", "prod"])).toBe('Switched to context "prod".\n');
    expect(await ok(["config", "current-context"])).toBe("prod\n");
    expect(await ok(["clusters", "-o", "name"])).toBe("ctx-cluster\n");
  });

  test("each setting: flag, else environment, else context", async () => {
    await ok(["config", "set-context", "far", "--url", nobody, "--api-key-env", "FAR_KEY", "--current"]);
    const env = { FAR_KEY: CLIENT_KEY };
    // The context alone: its URL, where nobody listens.
    const fromContext = await kubently(["clusters"], env);
    expect(fromContext.stderr).toStartWith(`kubently: UNREACHABLE: cannot reach ${nobody}`);
    // The environment beats the context...
    expect(await ok(["clusters", "-o", "name"], { ...env, KUBENTLY_URL: server.url })).toBe("ctx-cluster\n");
    // ...and the flag beats the environment.
    const flagged = await kubently(["clusters", "--url", nobody], { ...env, KUBENTLY_URL: server.url });
    expect(flagged.stderr).toStartWith(`kubently: UNREACHABLE: cannot reach ${nobody}`);
    // The key likewise: a wrong one in the environment is used over the context's right one.
    const wrongKey = await kubently(["clusters", "--url", server.url], {
      ...env,
      KUBENTLY_API_KEY: "wrong-0123456789",
    });
    expect(wrongKey.stderr).toStartWith("kubently: UNAUTHORIZED");
    // --context picks another context than the current one.
    await ok(["config", "set-context", "near", "--url", server.url, "--api-key-env", "FAR_KEY"]);
    expect(await ok(["clusters", "--context", "near", "-o", "name"], env)).toBe("ctx-cluster\n");
    const missing = await kubently(["clusters", "--context", "nope"], env);
    expectOneLine(missing.stderr);
    expect({ code: missing.code, stderr: missing.stderr }).toEqual({
      code: 2,
      stderr: `kubently: --context names 'nope', which ${config} does not define (kubently config get-contexts)\n`,
    });
    const unset = await kubently(["clusters"]);
    expect({ code: unset.code, stderr: unset.stderr }).toEqual({
      code: 2,
      stderr: "kubently: context 'far' reads its key from $FAR_KEY, which is not set\n",
    });
  });

  test("a key is stored inline only when asked, and never printed", async () => {
    const secret = CLIENT_KEY;
    await ok(["config", "set-context", "inl", "--url", server.url, "--inline-api-key", secret, "--current"]);
    expect(readFileSync(config, "utf8")).toContain(secret);
    expect(await ok(["clusters", "-o", "name"])).toBe("ctx-cluster\n");
    const views = [
      await ok(["config", "view"]),
      await ok(["config", "view", "-o", "json"]),
      await ok(["config", "get-contexts"]),
      await ok(["config", "get-contexts", "-o", "yaml"]),
    ];
    for (const view of views) expect(view).not.toContain(secret);
    expect(JSON.parse(views[1] ?? "")).toEqual({
      "current-context": "inl",
      contexts: { inl: { url: server.url, "api-key": { inline: "REDACTED" } } },
    });
    expect(views[2]).toMatch(/^CURRENT\s+NAME\s+URL\s+API KEY\s+ADMIN KEY\n\*\s+inl\s+\S+\s+inline\s+-\n$/);
    const twoSources = await kubently([
      "config",
      "set-context",
      "inl",
      "--api-key-env",
      "X",
      "--inline-api-key",
      "y",
    ]);
    expect({ code: twoSources.code, stderr: twoSources.stderr }).toEqual({
      code: 2,
      stderr: "error: give one source for the API key\n",
    });
  });

  test("delete-context removes it, and the current context with it", async () => {
    await ok(["config", "set-context", "a", "--url", server.url, "--current"]);
    await ok(["config", "set-context", "b", "--url", server.url]);
    await ok(["config", "delete-context", "a"]);
    expect(await ok(["config", "get-contexts", "-o", "name"])).toBe("b\n");
    const current = await kubently(["config", "current-context"]);
    expect(current.code).toBe(2);
  });

  test.each([
    ["not YAML", "contexts: [unclosed\n", "is not valid YAML"],
    ["an unknown field", "contexts:\n  prod: {url: 'https://a.example', token: x}\n", "contexts.prod"],
    [
      "a URL that is not http",
      "contexts:\n  prod: {url: 'ftp://a.example'}\n",
      "give an http:// or https:// URL",
    ],
    [
      "a key source of no known kind",
      "contexts:\n  prod: {url: 'https://a', api-key: {vault: x}}\n",
      "give {env:",
    ],
  ])("a bad file (%s): one line, exit 2, the file unchanged", async (_, text, says) => {
    writeFileSync(config, text, { mode: 0o644 });
    for (const args of [
      ["clusters"],
      ["config", "use-context", "prod"],
      ["config", "set-context", "prod", "--url", "https://b.example"],
      ["config", "delete-context", "prod"],
      ["config", "view"],
    ]) {
      const run = await kubently(args);
      expectOneLine(run.stderr);
      expect({ args, code: run.code, stdout: run.stdout }).toEqual({ args, code: 2, stdout: "" });
      expect(run.stderr).toStartWith("kubently: ");
      expect(run.stderr).toContain(says);
      expect(readFileSync(config, "utf8")).toBe(text);
      expect(statSync(config).mode & 0o777).toBe(0o644);
    }
  });

  test("a bad value for set-context is refused and nothing is written", async () => {
    await ok(["config", "set-context", "p", "--url", server.url]);
    const before = readFileSync(config, "utf8");
    const run = await kubently(["config", "set-context", "p", "--url", "not-a-url"]);
    expect({ code: run.code, stderr: run.stderr }).toEqual({
      code: 2,
      stderr: `kubently: ${config}: contexts.p.url: give an http:// or https:// URL\n`,
    });
    expect(readFileSync(config, "utf8")).toBe(before);
    const fresh = await kubently(["config", "set-context", "q"]);
    expect({ code: fresh.code, stderr: fresh.stderr }).toEqual({
      code: 2,
      stderr: "error: a new context needs --url\n",
    });
  });

  test("comments in the file survive an edit", async () => {
    writeFileSync(config, "# my servers\ncontexts:\n  prod: # the big one\n    url: https://a.example\n");
    await ok(["config", "use-context", "prod"]);
    const text = readFileSync(config, "utf8");
    expect(text).toContain("# my servers");
    expect(text).toContain("# the big one");
    expect(statSync(config).mode & 0o777).toBe(0o600);
  });
});

describe("kubently version", () => {
  const client = `Client Version: ${pkg.version} (dev)\n`;

  test("prints the client's and the server's versions, needing no key", async () => {
    expect(await ok(["version", "--url", server.url])).toBe(`${client}Server Version: ${pkg.version}\n`);
    const json = JSON.parse(await ok(["version", "--url", server.url, "--json"]));
    expect(json).toEqual({
      client: { version: pkg.version, commit: "dev" },
      server: { version: pkg.version, url: server.url },
    });
  });

  test("an unreachable server: the client's version, one line saying why, exit 1", async () => {
    const run = await kubently(["version", "--url", nobody]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(client);
    expectOneLine(run.stderr);
    expect(run.stderr).toStartWith(`kubently: no server version: UNREACHABLE: cannot reach ${nobody}`);
    const json = await kubently(["version", "--url", nobody, "--json"]);
    expect({ code: json.code, stderr: json.stderr }).toEqual({ code: 1, stderr: "" });
    expect(JSON.parse(json.stdout)).toMatchObject({ server: null, error: { code: "UNREACHABLE" } });
  });
});
