/**
 * The executor's liveness signal: the heartbeat file a running executor rewrites, and
 * `kubently-executor alive`, the exec probe of its Deployment, which says from that file's age whether
 * the executor is alive: exit 0, or 1 with the reason; 2 when it is not told which file.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkHeartbeat, startHeartbeat } from "../../executor/liveness";
import { eventually } from "../support/eventually";
import { spawnProcess } from "../support/process";
import { startTestServer } from "../support/server";

const dir = mkdtempSync(join(tmpdir(), "kubently-liveness-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `kubently-executor alive ARGS` from source: its exit code and what it wrote on stderr. */
function alive(args: string[], env: Record<string, string> = {}) {
  const run = Bun.spawnSync([process.execPath, "executor/index.ts", "alive", ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stderr: "pipe",
  });
  return { code: run.exitCode, stderr: run.stderr.toString() };
}

describe("checkHeartbeat", () => {
  test("alive while the file is younger than the bound, with the reason when not", () => {
    const file = join(dir, "check");
    writeFileSync(file, "");
    const written = statSync(file).mtimeMs;
    expect(checkHeartbeat(file, 60, written + 59_000)).toEqual({ alive: true });
    expect(checkHeartbeat(file, 60, written + 61_000)).toEqual({
      alive: false,
      reason: `${file} was last written 61 s ago`,
    });
    expect(checkHeartbeat(join(dir, "never"), 60)).toEqual({
      alive: false,
      reason: `cannot read ${join(dir, "never")}: ENOENT`,
    });
  });
});

describe("startHeartbeat", () => {
  test("writes at once, rewrites on its period, and stops when told", async () => {
    const file = join(dir, "beat");
    const beat = startHeartbeat(file, 20);
    expect(checkHeartbeat(file, 1).alive).toBe(true);
    utimesSync(file, new Date(0), new Date(0));
    await eventually(async () => expect(checkHeartbeat(file, 1).alive).toBe(true));
    beat.stop();
    utimesSync(file, new Date(0), new Date(0));
    // A second heartbeat on the same period is the clock: by its third beat the first would have beaten.
    const clock = join(dir, "clock");
    const other = startHeartbeat(clock, 20);
    try {
      for (let beats = 0; beats < 3; beats++) {
        utimesSync(clock, new Date(0), new Date(0));
        await eventually(async () => expect(checkHeartbeat(clock, 1).alive).toBe(true));
      }
    } finally {
      other.stop();
    }
    expect(checkHeartbeat(file, 1).alive).toBe(false);
  });
});

describe("kubently-executor alive", () => {
  test("exit 0 for a fresh file, 1 with the reason for a stale or missing one, 2 without a file", () => {
    const file = join(dir, "probe");
    writeFileSync(file, "");
    expect(alive(["--file", file])).toEqual({ code: 0, stderr: "" });
    expect(alive([], { KUBENTLY_LIVENESS_FILE: file }).code).toBe(0);

    const old = new Date(Date.now() - 120_000);
    utimesSync(file, old, old);
    const stale = alive(["--file", file, "--max-age", "60"]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(
      new RegExp(`^kubently-executor alive: ${file} was last written 1[12]\\d s ago\\n$`),
    );
    expect(alive(["--file", file, "--max-age", "300"]).code).toBe(0);

    expect(alive(["--file", join(dir, "missing")]).stderr).toContain("ENOENT");
    expect(alive([])).toEqual({
      code: 2,
      stderr: "kubently-executor alive: give --file or KUBENTLY_LIVENESS_FILE\n",
    });
    expect(alive(["--file", file, "--max-age", "0"]).code).toBe(1);
  });

  test("a running executor keeps its file fresh; a file it cannot write stops its start", async () => {
    const server = await startTestServer();
    try {
      const file = join(dir, "executor-alive");
      const env = {
        PATH: process.env.PATH,
        KUBENTLY_API_URL: server.url,
        KUBENTLY_CLUSTER_ID: "production",
        KUBENTLY_TOKEN: await server.registerCluster("production"),
        KUBENTLY_RUNNER: "echo",
        KUBENTLY_TRANSPORT: "sse",
        KUBENTLY_CACHE_DIR: join(dir, "cache"),
      };
      const executor = spawnProcess([process.execPath, "executor/index.ts"], {
        ...env,
        KUBENTLY_LIVENESS_FILE: file,
      });
      await executor.waitForLine(/"connected"/);
      expect(alive(["--file", file, "--max-age", "15"])).toEqual({ code: 0, stderr: "" });
      executor.proc.kill("SIGTERM");
      expect(await executor.proc.exited).toBe(0);

      const refused = spawnProcess([process.execPath, "executor/index.ts"], {
        ...env,
        KUBENTLY_LIVENESS_FILE: join(dir, "no-such-folder", "alive"),
      });
      expect(await refused.proc.exited).toBe(2);
      await refused.drained;
      expect(refused.stderr()).toStartWith(
        `kubently-executor: KUBENTLY_LIVENESS_FILE: cannot write ${join(dir, "no-such-folder", "alive")}:`,
      );
    } finally {
      await server.stop();
    }
  });
});
