/**
 * The server's log and the executor's write one line format, through their one shared writer: every
 * line JSON, `time`, `level` and `msg` first, info on stdout and warnings and errors on stderr.
 */
import { expect, test } from "bun:test";
import { join } from "node:path";
import { runToEnd } from "../support/process";

const root = join(import.meta.dir, "../..");
const script = `
import { flushLog as flushServer, log } from "${root}/src/log";
import { flushLog as flushExecutor, jsonLog } from "${root}/executor/log";
log.info("server info", { route: "/health" });
jsonLog("info", "executor info", { command_id: "c-1" });
log.warn("server warn", { n: 1 });
jsonLog("error", "executor error", { n: 2 });
await flushServer();
await flushExecutor();
`;

test("both logs write JSON lines of the same shape, info to stdout and warnings and errors to stderr", async () => {
  const { stdout, stderr, code } = await runToEnd([process.execPath, "-e", script], {
    PATH: process.env.PATH,
    KUBENTLY_LOG_LEVEL: "info",
  });
  expect(code).toBe(0);
  const lines = (text: string) =>
    text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const shape = (line: Record<string, unknown>) => [Object.keys(line).slice(0, 3), line.level, line.msg];
  expect(lines(stdout).map(shape)).toEqual([
    [["time", "level", "msg"], "info", "server info"],
    [["time", "level", "msg"], "info", "executor info"],
  ]);
  expect(lines(stderr).map(shape)).toEqual([
    [["time", "level", "msg"], "warn", "server warn"],
    [["time", "level", "msg"], "error", "executor error"],
  ]);
});
