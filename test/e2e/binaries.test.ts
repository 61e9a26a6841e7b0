/**
 * The compiled binaries, as an operator runs them: `kubently serve` on the embedded store and
 * `kubently-executor` beside the Kubernetes API stand-in, one command end to end, clean stops.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CommandResult } from "../../src/models";
import { CRASHING_POD, SHOP_NAMESPACE } from "../k8s/scenario";
import { type KubeStandin, startKubeStandin } from "../k8s/standin";
import { spawnProcess } from "../support/process";

const dir = mkdtempSync(join(tmpdir(), "kubently-bin-"));
const bin = join(dir, "bin");
let standin: KubeStandin;

beforeAll(async () => {
  const build = Bun.spawn([process.execPath, "run", "build.ts", bin], { stdout: "pipe", stderr: "pipe" });
  expect(await build.exited).toBe(0);
  standin = await startKubeStandin();
}, 120_000);
afterAll(async () => {
  await standin.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("compiled binaries", () => {
  test("both report the package version", async () => {
    const pkg = (await Bun.file("package.json").json()) as { version: string };
    for (const name of ["kubently", "kubently-executor"]) {
      const proc = Bun.spawn([join(bin, name), "--version"], { stdout: "pipe" });
      expect((await new Response(proc.stdout).text()).trim()).toBe(pkg.version);
    }
  });

  test("server and executor binaries answer a kubectl command end to end", async () => {
    const apiKey = "binary-test-key-0123456789";
    const adminKey = "binary-admin-key-0123456789";
    const server = spawnProcess(
      [join(bin, "kubently"), "serve", "--port", "0", "--store", `sqlite://${join(dir, "k.db")}`],
      {
        PATH: process.env.PATH,
        KUBENTLY_API_KEYS: `agent:${apiKey}`,
        KUBENTLY_ADMIN_KEYS: `ops:${adminKey}`,
      },
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
    });
    try {
      await executor.waitForLine(/"msg":"connected"/);
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
      expect(executor.stdout()).toContain('"msg":"command finished"');
      expect(executor.stdout() + executor.stderr()).not.toContain(token);
    } finally {
      executor.proc.kill("SIGTERM");
      server.proc.kill("SIGTERM");
    }
    expect(await executor.proc.exited).toBe(0);
    expect(await server.proc.exited).toBe(0);
  });
});
