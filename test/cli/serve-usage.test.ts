/**
 * Usage errors of `kubently serve` are like those of every other command: one line on stderr, nothing
 * on stdout, exit 2, and no server started. Help still exits 0.
 */
import { describe, expect, test } from "bun:test";
import { expectOneLine, runKubently } from "../support/cli";

const serve = (args: string[]) => runKubently(["serve", ...args], { KUBENTLY_STORE: "memory://" });

describe("kubently serve usage errors", () => {
  test.each([
    [["--bogus"], "error: unknown option '--bogus'"],
    [["extra"], "error: too many arguments for 'serve'. Expected 0 arguments but got 1."],
    [["--port"], "error: option '--port <port>' argument missing"],
    [["--port", "abc"], "kubently: KUBENTLY_PORT (--port) must be a whole number from 0 to 65535, got 'abc'"],
  ])("%j", async (args, line) => {
    const run = await serve(args);
    expectOneLine(run.stderr);
    expect({ stderr: run.stderr, stdout: run.stdout, code: run.code }).toEqual({
      stderr: `${line}\n`,
      stdout: "",
      code: 2,
    });
  });

  test("--help still exits 0 with the usage on stdout", async () => {
    const run = await serve(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toStartWith("Usage: kubently serve [options]");
    expect(run.stderr).toBe("");
  });
});
