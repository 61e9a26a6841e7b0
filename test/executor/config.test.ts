/** Executor configuration: every mistake is named by its variable; the token never becomes a flag. */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveExecutorConfig } from "../../executor/config";
import { spawnProcess } from "../support/process";

const dir = mkdtempSync(join(tmpdir(), "kubently-exec-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const notExecutable = join(dir, "kubectl");
writeFileSync(notExecutable, "#!/bin/sh\n");

const base = {
  PATH: process.env.PATH,
  KUBENTLY_API_URL: "https://kubently.example.com/",
  KUBENTLY_CLUSTER_ID: "prod",
  KUBENTLY_TOKEN: "kbt_x",
};

describe("executor configuration", () => {
  test("defaults: auto transport, kubectl on PATH, readOnly policy, trailing slash trimmed", () => {
    const config = resolveExecutorConfig({}, base);
    expect(config).toMatchObject({
      apiUrl: "https://kubently.example.com",
      clusterId: "prod",
      kubectl: "kubectl",
      transport: "auto",
      policyFile: undefined,
      logLevel: "info",
    });
    expect(config.token()).toBe("kbt_x");
  });

  test("the log level comes from KUBENTLY_LOG_LEVEL or --log-level", () => {
    expect(resolveExecutorConfig({}, { ...base, KUBENTLY_LOG_LEVEL: "debug" }).logLevel).toBe("debug");
    expect(
      resolveExecutorConfig({ logLevel: "warn" }, { ...base, KUBENTLY_LOG_LEVEL: "debug" }).logLevel,
    ).toBe("warn");
  });

  test("flags win over the environment", () => {
    const kubectl = Bun.which("kubectl") ?? "";
    const config = resolveExecutorConfig({ transport: "ws", clusterId: "staging", kubectl }, base);
    expect(config).toMatchObject({ transport: "ws", clusterId: "staging", kubectl });
  });

  test("a token file is re-read each time, so rotation needs no restart", () => {
    const file = join(dir, "token");
    writeFileSync(file, "kbt_first\n");
    const config = resolveExecutorConfig(
      {},
      { ...base, KUBENTLY_TOKEN: undefined, KUBENTLY_TOKEN_FILE: file },
    );
    expect(config.token()).toBe("kbt_first");
    writeFileSync(file, "kbt_second\n");
    expect(config.token()).toBe("kbt_second");
  });

  test.each([
    [{ KUBENTLY_API_URL: undefined }, "KUBENTLY_API_URL"],
    [{ KUBENTLY_API_URL: "not a url" }, "KUBENTLY_API_URL"],
    [{ KUBENTLY_API_URL: "ftp://x" }, "http:// or https://"],
    [{ KUBENTLY_API_URL: "https://user:pw@x" }, "must not carry credentials"],
    [{ KUBENTLY_CLUSTER_ID: undefined }, "KUBENTLY_CLUSTER_ID"],
    [{ KUBENTLY_CLUSTER_ID: "Prod_1" }, "KUBENTLY_CLUSTER_ID"],
    [{ KUBENTLY_TOKEN: undefined }, "KUBENTLY_TOKEN or KUBENTLY_TOKEN_FILE"],
    [{ KUBENTLY_TOKEN: undefined, KUBENTLY_TOKEN_FILE: "/nonexistent/token" }, "KUBENTLY_TOKEN_FILE"],
    [{ KUBENTLY_TRANSPORT: "carrier-pigeon" }, "KUBENTLY_TRANSPORT"],
    [{ KUBENTLY_LOG_LEVEL: "verbose" }, "KUBENTLY_LOG_LEVEL must be one of debug, info, warn, error"],
    [{ KUBENTLY_API_URL: "https://x/?cluster=1" }, "query or fragment"],
    [{ KUBENTLY_API_URL: "https://x/#top" }, "query or fragment"],
    [
      { KUBENTLY_KUBECTL: "/nonexistent/kubectl" },
      "KUBENTLY_KUBECTL (--kubectl): /nonexistent/kubectl is not",
    ],
    [{ KUBENTLY_KUBECTL: notExecutable }, `KUBENTLY_KUBECTL (--kubectl): ${notExecutable} is not`],
    [{ PATH: "/nonexistent" }, "no kubectl on PATH"],
    [{ KUBENTLY_CACHE_DIR: join(notExecutable, "cache") }, "KUBENTLY_CACHE_DIR: cannot create"],
  ])("a bad setting is named: %o", (override, message) => {
    expect(() => resolveExecutorConfig({}, { ...base, ...override })).toThrow(message);
  });

  test("the echo runner runs no kubectl, so none is needed", () => {
    const config = resolveExecutorConfig({ runner: "echo", kubectl: "/nonexistent/kubectl" }, base);
    expect(config.runner).toBe("echo");
  });

  test("a missing kubectl stops the binary at start with exit 2", async () => {
    const proc = spawnProcess([process.execPath, "executor/index.ts", "--kubectl", "/nope"], base);
    expect(await proc.proc.exited).toBe(2);
    expect(proc.stderr()).toContain("/nope is not an executable file");
  });

  test("the binary exits 2 with the message, never echoing the token", async () => {
    const proc = spawnProcess([process.execPath, "executor/index.ts"], {
      PATH: process.env.PATH,
      KUBENTLY_CLUSTER_ID: "prod",
      KUBENTLY_TOKEN: "kbt_do-not-print-me",
    });
    expect(await proc.proc.exited).toBe(2);
    await proc.drained;
    expect(proc.stderr()).toContain("KUBENTLY_API_URL");
    expect(proc.stdout() + proc.stderr()).not.toContain("kbt_do-not-print-me");
  });

  test("a policy file that does not parse stops the executor with exit 2", async () => {
    const policy = join(dir, "policy.yaml");
    writeFileSync(policy, "mode: superUser\n");
    const proc = spawnProcess([process.execPath, "executor/index.ts", "--policy", policy], base);
    expect(await proc.proc.exited).toBe(2);
    expect(proc.stderr()).toContain("mode");
  });
});
