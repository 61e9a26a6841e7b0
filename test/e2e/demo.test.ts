/** The README's demo command does what it says: a short debugging session, then a clean stop. */
import { expect, test } from "bun:test";
import { CRASH_LOG_LINE, CRASHING_POD } from "../k8s/scenario";

test("npm run demo walks through a debugging session and stops cleanly", async () => {
  const demo = Bun.spawn([process.execPath, "scripts/demo.ts", "--once"], { stdout: "pipe", stderr: "pipe" });
  const [stdout, code] = await Promise.all([new Response(demo.stdout).text(), demo.exited]);
  expect(code).toBe(0);
  expect(stdout).toMatch(new RegExp(`${CRASHING_POD}\\s+0/1\\s+CrashLoopBackOff`));
  expect(stdout).toContain(CRASH_LOG_LINE);
  expect(stdout).toContain("403 COMMAND_DENIED");
  expect(stdout).toContain("stopped server, executor and simulated cluster");
}, 60_000);
