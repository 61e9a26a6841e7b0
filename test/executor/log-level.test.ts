/**
 * The executor's log level: lines below KUBENTLY_LOG_LEVEL are not written, so the default (info)
 * leaves out the debug line a command run by kubectl writes as kubectl starts.
 */
import { expect, test } from "bun:test";
import { join } from "node:path";
import { runToEnd } from "../support/process";

const root = join(import.meta.dir, "../..");
const script = (level: string) => `
import { flushLog, jsonLogAt } from "${root}/executor/log";
const log = jsonLogAt("${level}");
log("debug", "command started", { command_id: "c-1" });
log("info", "command finished", { command_id: "c-1" });
log("warn", "command denied", { command_id: "c-2" });
await flushLog();
`;

const messages = (text: string) =>
  text
    .trim()
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => (JSON.parse(line) as { msg: string }).msg);

test.each([
  ["debug", ["command started", "command finished"], ["command denied"]],
  ["info", ["command finished"], ["command denied"]],
  ["warn", [], ["command denied"]],
  ["error", [], []],
])("at %s, lines of that level and above are written", async (level, stdout, stderr) => {
  const out = await runToEnd([process.execPath, "-e", script(level)], { PATH: process.env.PATH });
  expect(out.code).toBe(0);
  expect(messages(out.stdout)).toEqual(stdout);
  expect(messages(out.stderr)).toEqual(stderr);
});
