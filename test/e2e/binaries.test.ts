/**
 * The compiled binaries, as an operator runs them: `kubently serve` on the embedded store and
 * `kubently-executor` beside the Kubernetes API stand-in, one command end to end, its liveness probe,
 * clean stops; what build.ts releases beside them: the version with its commit, and SHA256SUMS.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CommandResult } from "../../src/models";
import { CRASHING_POD, SHOP_NAMESPACE } from "../k8s/scenario";
import { type KubeStandin, startKubeStandin } from "../k8s/standin";
import { spawnProcess } from "../support/process";
import { spawnServe } from "../support/serve";

const dir = mkdtempSync(join(tmpdir(), "kubently-bin-"));
const bin = join(dir, "bin");
let standin: KubeStandin;
let buildOutput: string;

// ELF e_machine (bytes 18-19, little-endian) of each release architecture.
const ELF_MACHINE: Record<string, number> = { x64: 0x3e, arm64: 0xb7 };

beforeAll(async () => {
  const build = Bun.spawn([process.execPath, "run", "build.ts", bin], { stdout: "pipe", stderr: "pipe" });
  buildOutput = await new Response(build.stdout).text();
  expect(await build.exited).toBe(0);
  standin = await startKubeStandin();
}, 120_000);
afterAll(async () => {
  await standin.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("compiled binaries", () => {
  test("both report the package version and the commit they were built from", async () => {
    const pkg = (await Bun.file("package.json").json()) as { version: string };
    // The commit build.ts read; HEAD may have moved since, so it is taken from the build's own output.
    const built = /^version (.+)$/m.exec(buildOutput)?.[1];
    expect(built).toMatch(new RegExp(`^${pkg.version.replaceAll(".", "\\.")} \\(([0-9a-f]{7,}|unknown)\\)$`));
    for (const name of ["kubently", "kubently-executor"]) {
      const proc = Bun.spawn([join(bin, name), "--version"], { stdout: "pipe" });
      expect((await new Response(proc.stdout).text()).trim()).toBe(built ?? "");
    }
    // Run from source, nothing was embedded.
    for (const entry of ["src/index.ts", "executor/index.ts"]) {
      const proc = Bun.spawn([process.execPath, entry, "--version"], { stdout: "pipe" });
      expect((await new Response(proc.stdout).text()).trim()).toBe(`${pkg.version} (dev)`);
    }
  });

  test("SHA256SUMS lists every release binary, and sha256sum agrees with it", async () => {
    const lines = (await Bun.file(join(bin, "SHA256SUMS")).text()).trimEnd().split("\n");
    const listed = lines.map((line) => /^[0-9a-f]{64} {2}(\S+)$/.exec(line)?.[1]);
    const released = readdirSync(bin).filter((name) => /^kubently(-executor)?-linux-(x64|arm64)$/.test(name));
    expect(listed.sort()).toEqual(released.sort());
    expect(released).toContain("kubently-linux-x64");
    expect(released).toContain("kubently-executor-linux-x64");
    const check = Bun.spawnSync(["sha256sum", "--check", "--strict", "SHA256SUMS"], {
      cwd: bin,
      stderr: "pipe",
    });
    expect(check.stderr.toString()).toBe("");
    expect(check.exitCode).toBe(0);
  });

  test("each release binary is a Linux executable for its architecture", async () => {
    const released = readdirSync(bin).filter((name) => name.includes("-linux-"));
    for (const name of released) {
      const header = new Uint8Array(await Bun.file(join(bin, name)).slice(0, 20).arrayBuffer());
      expect([...header.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]); // "\x7fELF"
      const arch = name.slice(name.lastIndexOf("-") + 1);
      expect({ name, machine: (header[18] ?? 0) | ((header[19] ?? 0) << 8) }).toEqual({
        name,
        machine: ELF_MACHINE[arch] ?? -1,
      });
    }
  });

  test("server and executor binaries answer a kubectl command end to end", async () => {
    const apiKey = "binary-test-key-0123456789";
    const adminKey = "binary-admin-key-0123456789";
    const server = spawnServe(
      ["--store", `sqlite://${join(dir, "k.db")}`],
      { KUBENTLY_API_KEYS: `agent:${apiKey}`, KUBENTLY_ADMIN_KEYS: `ops:${adminKey}` },
      [join(bin, "kubently")],
    );
    const { url } = JSON.parse(await server.waitForLine(/kubently listening/)) as { url: string };
    const issued = await fetch(`${url}/admin/clusters/binary/token`, {
      method: "POST",
      headers: { "x-api-key": adminKey },
    });
    const { token } = (await issued.json()) as { token: string };

    const executor = spawnProcess([join(bin, "kubently-executor")], {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      KUBECONFIG: standin.kubeconfigPath,
      KUBENTLY_API_URL: url,
      KUBENTLY_CLUSTER_ID: "binary",
      KUBENTLY_TOKEN: token,
      KUBENTLY_CACHE_DIR: join(dir, "cache"),
      KUBENTLY_LIVENESS_FILE: join(dir, "alive"),
    });
    try {
      await executor.waitForLine(/"msg":"connected"/);
      // The Deployment's liveness probe: the compiled executor itself, on the file the running one writes.
      const probe = Bun.spawnSync([join(bin, "kubently-executor"), "alive", "--file", join(dir, "alive")], {
        stderr: "pipe",
      });
      expect({ code: probe.exitCode, stderr: probe.stderr.toString() }).toEqual({ code: 0, stderr: "" });
      const response = await fetch(`${url}/debug/execute`, {
        method: "POST",
        headers: { "x-api-key": apiKey, "content-type": "application/json" },
        body: JSON.stringify({
          cluster_id: "binary",
          command_type: "get",
          args: ["pods"],
          namespace: SHOP_NAMESPACE,
        }),
      });
      expect(response.status).toBe(200);
      const result = (await response.json()) as CommandResult;
      expect(result.stdout).toContain(CRASHING_POD);
      expect(result.executor_version).toBeString();
      // kubectl went through the compiled executor's cluster gate, which named the caller.
      expect(result.api_requests?.made).toBeGreaterThan(0);
      const seen = standin.requests.filter((r) => r.pathname === `/api/v1/namespaces/${SHOP_NAMESPACE}/pods`);
      expect(seen.at(-1)?.headers["user-agent"]).toContain(`(service=agent; command=${result.command_id})`);
      // The executor writes its line once the result is on its way: it may follow the answer.
      await executor.waitForLine(/"msg":"command finished"/);
    } finally {
      executor.proc.kill("SIGTERM");
      server.proc.kill("SIGTERM");
    }
    expect(await executor.proc.exited).toBe(0);
    expect(await server.proc.exited).toBe(0);
    // Everything the executor printed, to its last line, before saying what it did not print.
    await executor.drained;
    expect(executor.stdout() + executor.stderr()).not.toContain(token);
  });
});
