/**
 * `kubently serve` as a real process: configuration errors, start-up, key reload, clean stop; what it
 * writes, from source and compiled as released.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Spawned } from "../support/process";
import { spawnServe } from "../support/serve";
import { useStores } from "../support/stores";

const dir = mkdtempSync(join(tmpdir(), "kubently-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const serve = (env: Record<string, string>, ...args: string[]) => spawnServe(args, env);

describe("kubently serve", () => {
  test("refuses to start without API keys, naming the variables", async () => {
    const server = serve({}, "--store", "memory://");
    expect(await server.proc.exited).toBe(2);
    expect(server.stderr()).toContain("KUBENTLY_API_KEYS");
    expect(server.stderr()).toContain("--insecure-no-auth");
  });

  test.each([
    [
      { KUBENTLY_API_KEYS: "agent:0123456789abcdef0", KUBENTLY_PORT: "http" },
      ["--store", "memory://"],
      "KUBENTLY_PORT",
    ],
    [{ KUBENTLY_API_KEYS: "no-colon-here" }, ["--store", "memory://"], "KUBENTLY_API_KEYS"],
    [{ KUBENTLY_API_KEYS: "agent:short" }, ["--store", "memory://"], "shorter than 16"],
    [{ KUBENTLY_API_KEYS: "agent:0123456789abcdef0" }, ["--store", "postgres://x"], "unsupported store URL"],
  ])("bad configuration exits 2 with a message naming it (%#)", async (env, args, message) => {
    const server = spawnServe(args, env);
    expect(await server.proc.exited).toBe(2);
    await server.drained;
    expect(server.stderr()).toContain(message);
    expect(server.stderr()).not.toContain("0123456789abcdef0");
  });

  test("starts, prints its config without secrets, reloads keys on SIGHUP, stops on SIGTERM", async () => {
    const keysFile = join(dir, "keys");
    writeFileSync(keysFile, "# agents\nagent:first-key-0123456789\n");
    const server = serve(
      { KUBENTLY_API_KEYS_FILE: keysFile, KUBENTLY_ADMIN_KEYS: "ops:admin-key-0123456789" },
      "--store",
      `sqlite://${join(dir, "data", "k.db")}`,
    );
    const line = await server.waitForLine(/kubently listening/);
    const started = JSON.parse(line) as { url: string; config: Record<string, unknown> };
    expect(started.config).toMatchObject({
      api_keys: "1 configured",
      admin_keys: "1 configured",
      insecure_no_auth: false,
    });

    const clusters = (key: string) =>
      fetch(`${started.url}/debug/clusters`, { headers: { "x-api-key": key } });
    expect((await clusters("first-key-0123456789")).status).toBe(200);
    expect((await clusters("second-key-0123456789")).status).toBe(401);

    writeFileSync(keysFile, "agent:second-key-0123456789\n");
    server.proc.kill("SIGHUP");
    await server.waitForLine(/API keys reloaded/);
    expect((await clusters("second-key-0123456789")).status).toBe(200);
    expect((await clusters("first-key-0123456789")).status).toBe(401);

    server.proc.kill("SIGTERM");
    expect(await server.proc.exited).toBe(0);
    // Read to its last line before saying what it never printed.
    await server.drained;
    for (const key of ["first-key-0123456789", "second-key-0123456789", "admin-key-0123456789"])
      expect(server.stdout() + server.stderr()).not.toContain(key);
  });
});

const KEYS = { KUBENTLY_API_KEYS: "agent:0123456789abcdef0" };

/** Resolves with the server's exit code if it exits before it listens; one that listens is stopped. */
async function refusedToStart(server: Spawned): Promise<number> {
  const listened = await server.waitForLine(/kubently listening/).then(
    () => true,
    () => false,
  );
  if (listened) server.proc.kill("SIGTERM");
  expect(listened).toBe(false);
  const code = await server.proc.exited;
  await server.drained;
  return code;
}

/** The one line a refusal prints: on stderr, naming kubently, and no stack trace or source. */
function oneLine(server: Spawned): string {
  const lines = server.stderr().trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toStartWith("kubently: ");
  return lines[0] ?? "";
}

describe("kubently serve refuses what it cannot use, in one line, exit 2", () => {
  test("a port another server is listening on (EADDRINUSE)", async () => {
    const first = serve(KEYS, "--store", "memory://");
    const { url } = JSON.parse(await first.waitForLine(/kubently listening/)) as { url: string };
    const { port } = new URL(url);
    try {
      const second = serve(KEYS, "--store", "memory://", "--port", port);
      expect(await refusedToStart(second)).toBe(2);
      const line = oneLine(second);
      expect(line).toContain("EADDRINUSE");
      expect(line).toContain(`127.0.0.1:${port}`);
    } finally {
      first.proc.kill("SIGTERM");
      await first.proc.exited;
    }
  });

  test("a certificate and key that look like PEM but are not", async () => {
    const cert = join(dir, "cert.pem");
    const key = join(dir, "key.pem");
    writeFileSync(cert, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    writeFileSync(key, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    const server = serve(KEYS, "--store", "memory://", "--tls-cert", cert, "--tls-key", key);
    expect(await refusedToStart(server)).toBe(2);
    expect(oneLine(server)).toContain("KUBENTLY_TLS_CERT");
  });

  const notADatabase = join(dir, "not-a-database");
  writeFileSync(notADatabase, "these bytes are not an SQLite file, and there are more than a header's worth");
  const aFile = join(dir, "a-file");
  writeFileSync(aFile, "");
  test.each([
    ["a folder that is a file", `${aFile}/x.db`],
    ["a database that is a folder", dir],
    ["a file that is not a database", notADatabase],
  ])("an SQLite path it cannot use: %s", async (_, path) => {
    const server = serve(KEYS, "--store", `sqlite://${path}`);
    expect(await refusedToStart(server)).toBe(2);
    const line = oneLine(server);
    expect(line).toContain(path);
    expect(server.stdout()).toBe("");
  });

  test.each([
    ["no host", "redis://"],
    ["a database that is not a number", "redis://127.0.0.1:6379/zero"],
    ["options it would ignore", "redis://127.0.0.1:6379/0?family=6"],
  ])("a Redis URL with %s", async (_, url) => {
    const server = serve(KEYS, "--store", url);
    expect(await refusedToStart(server)).toBe(2);
    expect(oneLine(server)).toContain("redis://[user:password@]host[:port][/db]");
  });

  test.each([
    ["no node", "redis+cluster://"],
    ["a node whose port is not a number", "redis+cluster://127.0.0.1:6379,127.0.0.1:x"],
    ["a database, which a cluster has not", "redis+cluster://127.0.0.1:6379/0"],
  ])("a Redis Cluster URL with %s", async (_, url) => {
    const server = serve(KEYS, "--store", url);
    expect(await refusedToStart(server)).toBe(2);
    expect(oneLine(server)).toContain("redis+cluster://[user:password@]host:port[,host:port…]");
  });

  test("a Redis key prefix holding a hash tag's brace", async () => {
    const server = serve(KEYS, "--store", "redis+cluster://127.0.0.1:6379", "--redis-prefix", "team{a}:");
    expect(await refusedToStart(server)).toBe(2);
    expect(oneLine(server)).toContain("may not contain { or }");
  });

  test("a Redis Cluster URL asking for wait_replicas, which only one Redis or Sentinel offers", async () => {
    const server = serve(KEYS, "--store", "redis+cluster://kubently:pa55word@127.0.0.1:6379?wait_replicas=1");
    expect(await refusedToStart(server)).toBe(2);
    const line = oneLine(server);
    expect(line).toContain("cannot take wait_replicas");
    expect(line).not.toContain("pa55word");
  });

  test.each([
    [
      "two commas between sentinels",
      "redis+sentinel://kubently:pa55word@127.0.0.1:26379,,127.0.0.1:26380/main",
    ],
    ["no master name", "redis+sentinel://kubently:pa55word@127.0.0.1:26379"],
    ["an option it does not know", "redis+sentinel://127.0.0.1:26379/main?sentinel_password=pa55word&tls=1"],
  ])("a Redis Sentinel URL with %s", async (_, url) => {
    const server = serve(KEYS, "--store", url);
    expect(await refusedToStart(server)).toBe(2);
    const line = oneLine(server);
    expect(line).toContain("redis+sentinel://[user:password@]host[:port][,host[:port]…]/master-name[/db]");
    expect(line).not.toContain("pa55word");
  });
});

test("kubently serve creates a missing folder for its SQLite file, and says so", async () => {
  const folder = join(dir, "new", "deeper");
  const server = serve(KEYS, "--store", `sqlite://${join(folder, "k.db")}`);
  await server.waitForLine(/kubently listening/);
  const lines = server
    .stdout()
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(lines).toContainEqual(
    expect.objectContaining({ level: "info", msg: "created the store's folder", path: folder }),
  );
  server.proc.kill("SIGTERM");
  expect(await server.proc.exited).toBe(0);
});

test("a second kubently serve on the same SQLite file exits at start, naming the file", async () => {
  const file = join(dir, "shared.db");
  const first = serve(KEYS, "--store", `sqlite://${file}`);
  await first.waitForLine(/kubently listening/);
  try {
    const second = serve(KEYS, "--store", `sqlite://${file}`);
    expect(await refusedToStart(second)).toBe(1);
    expect(oneLine(second)).toContain(`${file} is in use by another kubently process`);
  } finally {
    first.proc.kill("SIGTERM");
    await first.proc.exited;
  }
});

/** Whether `line` is one JSON object, as every line the server writes must be. */
function isJsonObject(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null;
  } catch {
    return false;
  }
}

describe("the compiled kubently on Redis", () => {
  const binary = join(dir, "bin", "kubently");
  const { redis } = useStores("serve-redis");
  beforeAll(async () => {
    // As build.ts compiles a release, for this machine only: Bun prints warnings from a bundle that
    // it keeps quiet for code under node_modules, so only the compiled server shows them.
    const build = Bun.spawn(
      [
        process.execPath,
        "build",
        "--compile",
        "--minify-syntax",
        "--minify-whitespace",
        "--outfile",
        binary,
        "src/index.ts",
      ],
      { stdout: "pipe", stderr: "pipe" },
    );
    if ((await build.exited) !== 0)
      throw new Error(`bun build failed: ${await new Response(build.stderr).text()}`);
  }, 60_000);

  test("writes nothing but JSON lines: no warnings, and the store's outages as JSON too", async () => {
    const server = spawnServe(["--store", redis().url], KEYS, [binary]);
    await server.waitForLine(/kubently listening/);
    await redis().kill();
    await server.waitForLine(/connection down/, 10_000, "stderr");
    await redis().restart();
    await server.waitForLine(/connection restored/, 10_000, "stderr");
    server.proc.kill("SIGTERM");
    expect(await server.proc.exited).toBe(0);
    await server.drained;
    const lines = `${server.stdout()}${server.stderr()}`.split("\n").filter((line) => line !== "");
    expect(lines.filter((line) => !isJsonObject(line))).toEqual([]);
    expect(lines.map((line) => JSON.parse(line))).toContainEqual(
      expect.objectContaining({ level: "warn", msg: expect.stringContaining("connection down") }),
    );
  });
});
