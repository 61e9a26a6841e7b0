/**
 * The waiting line: on a real pseudo-terminal (util-linux `script` gives the CLI one) a call that waits
 * on a cluster with no executor says so on stderr until the answer comes; with --json, or when stderr
 * is not a terminal, nothing but the answer is printed.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { expectOneLine, runKubently } from "../support/cli";
import { runToEnd } from "../support/process";
import { CLIENT_KEY, startTestServer, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await server.registerCluster("no-executor");
});
afterAll(() => server.stop());

const env = () => ({ PATH: process.env.PATH ?? "", KUBENTLY_URL: server.url, KUBENTLY_API_KEY: CLIENT_KEY });
const exec = ["exec", "no-executor", "--timeout", "3"];

/** Runs the CLI with a terminal as its stdin, stdout and stderr; everything the terminal showed. */
const onTerminal = (args: string[]) =>
  runToEnd(["script", "-qec", [process.execPath, "src/index.ts", ...args].join(" "), "/dev/null"], env());

describe("on a terminal", () => {
  test("a wait on an offline cluster is shown, counted, and erased before the answer", async () => {
    const run = await onTerminal([...exec, "get", "pods"]);
    expect(run.code).toBe(124);
    expect(run.stdout).toContain("\r\x1b[Kwaiting for cluster 'no-executor'… 0s (Ctrl-C to stop)");
    expect(run.stdout).toContain("waiting for cluster 'no-executor'… 1s");
    // Erased, then the error on a line of its own.
    const erased = run.stdout.lastIndexOf("\r\x1b[K");
    expect(run.stdout.slice(erased + 4)).toMatch(/^kubently: EXECUTOR_OFFLINE: [^\r\n]+\r?\n$/);
  });

  test("with --json, nothing but the JSON", async () => {
    const run = await onTerminal([...exec, "--json", "get", "pods"]);
    expect(run.code).toBe(124);
    expect(run.stdout).not.toContain("waiting");
    expect(JSON.parse(run.stdout)).toMatchObject({ details: { code: "EXECUTOR_OFFLINE" } });
  });
});

test("when stderr is not a terminal, only the error line", async () => {
  const run = await runKubently([...exec, "get", "pods"], env());
  expect(run.code).toBe(124);
  expectOneLine(run.stderr);
  expect(run.stderr).toStartWith("kubently: EXECUTOR_OFFLINE: ");
});
