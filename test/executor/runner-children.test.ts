/**
 * A timeout kills everything kubectl started, not only kubectl: a "kubectl" that starts a child and
 * a grandchild (their output sent elsewhere, so nothing holds the runner's pipes) and writes their
 * pids; once the run has timed out, neither process exists any more.
 */
import { afterAll, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRunner } from "../../executor/runner";
import { eventually } from "../support/eventually";

const dir = mkdtempSync(join(tmpdir(), "kubently-children-"));
const started: number[] = [];
afterAll(() => {
  for (const pid of started) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone, as it should be
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

const kubectl = join(dir, "kubectl");
writeFileSync(
  kubectl,
  [
    "#!/bin/sh",
    // The child starts a grandchild of its own; both outlive nothing but their process group.
    `sh -c 'sleep 120 & echo $! > "$PIDS/grandchild"; wait' >/dev/null 2>&1 &`,
    `echo $! > "$PIDS/child"`,
    "wait",
    "",
  ].join("\n"),
);
chmodSync(kubectl, 0o755);

/** Alive: the pid exists and is not a zombie waiting for a reaper (this container's init may not reap). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

test("a timed-out kubectl's children and grandchildren are gone", async () => {
  const run = createRunner({ kubectl, env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });
  const outcome = await run({
    argv: ["get", "pods"],
    timeoutMs: 1_500,
    maxOutputBytes: 1024,
    keep: "head",
    env: { PIDS: dir },
  });
  expect(outcome.timedOut).toBe(true);
  const pids = ["child", "grandchild"].map((name) => Number(readFileSync(join(dir, name), "utf8").trim()));
  started.push(...pids);
  for (const pid of pids) expect(pid).toBeGreaterThan(1);
  // The kill is sent before the run returns; the processes may take a moment to be gone.
  await eventually(async () => {
    const left = pids.filter(alive);
    if (left.length > 0) throw new Error(`still running after the timeout: ${left.join(", ")}`);
  }, 5_000);
}, 15_000);
