/**
 * Usage errors of the `kubently` client commands: whatever is typed, one line on stderr, nothing on
 * stdout, exit 2, and the process never reaches a server (the URL points at a port nobody listens on).
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { type CliRun, expectOneLine, runKubently } from "../support/cli";
import { freePort } from "../support/ports";

let url = "";
beforeAll(async () => {
  url = `http://127.0.0.1:${await freePort()}`;
});

const kubently = (args: string[]) =>
  runKubently(args, { KUBENTLY_URL: url, KUBENTLY_API_KEY: "k", KUBENTLY_ADMIN_KEY: "k" });

function expectUsageError(run: CliRun, line: string) {
  expectOneLine(run.stderr);
  expect({ stderr: run.stderr, stdout: run.stdout, code: run.code }).toEqual({
    stderr: `${line}\n`,
    stdout: "",
    code: 2,
  });
}

describe("option values", () => {
  test.each([
    [["exec", "--timeout", "abc", "prod", "get", "pods"], "--timeout <seconds>", "abc", "1 or more"],
    [["exec", "--timeout", "0", "prod", "get", "pods"], "--timeout <seconds>", "0", "1 or more"],
    [["exec", "--timeout", "1e3", "prod", "get", "pods"], "--timeout <seconds>", "1e3", "1 or more"],
    [["session", "start", "prod", "--ttl", "abc"], "--ttl <seconds>", "abc", "1 or more"],
    [["session", "start", "prod", "--ttl", "-5"], "--ttl <seconds>", "-5", "1 or more"],
    [["audit", "list", "--limit", "abc"], "--limit <n>", "abc", "1 or more"],
    [["audit", "list", "--limit", "0"], "--limit <n>", "0", "1 or more"],
    [["audit", "list", "--after", "-1"], "--after <seq>", "-1", "0 or more"],
    [
      ["audit", "list", "--after", "99999999999999999999"],
      "--after <seq>",
      "99999999999999999999",
      "0 or more",
    ],
  ])("%j", async (args, option, value, range) => {
    expectUsageError(
      await kubently(args),
      `error: option '${option}' argument '${value}' is invalid. give a whole number, ${range}`,
    );
  });

  test("--since and --outcome", async () => {
    expectUsageError(
      await kubently(["audit", "list", "--since", "yesterday"]),
      "error: option '--since <time>' argument 'yesterday' is invalid. give an ISO 8601 time or a duration such as 15m, 2h, 7d",
    );
    expectUsageError(
      await kubently(["audit", "list", "--outcome", "nope"]),
      "error: option '--outcome <outcome>' argument 'nope' is invalid. Allowed choices are accepted, succeeded, failed, denied, timed_out, executor_offline, refused.",
    );
  });
});

describe("commands, options and arguments", () => {
  test.each([
    [["nosuch"], "error: unknown command 'nosuch'"],
    [["clusters", "--bogus"], "error: unknown option '--bogus'"],
    [["exec", "-A", "prod", "get", "pods"], "error: unknown option '-A'"],
    [["exec"], "error: missing required argument 'cluster'"],
    [["exec", "prod"], "error: missing required argument 'kubectl-command'"],
    [["session", "start"], "error: missing required argument 'cluster'"],
    [["token", "create", "a", "b"], "error: too many arguments for 'create'. Expected 1 argument but got 2."],
    [["session", "start", "prod", "--ttl"], "error: option '--ttl <seconds>' argument missing"],
  ])("%j", async (args, line) => {
    expectUsageError(await kubently(args), line);
  });
});

describe("exec: from the kubectl verb on, every word is kubectl's", () => {
  test("an empty kubectl command", async () => {
    expectUsageError(
      await kubently(["exec", "prod", "--"]),
      "error: give the kubectl command after the cluster, such as: kubently exec prod get pods",
    );
  });

  test("a kubectl flag before the verb", async () => {
    expectUsageError(
      await kubently(["exec", "prod", "-A", "get", "pods"]),
      "error: unknown option '-A' (kubectl's own flags go after its verb)",
    );
    expectUsageError(
      await kubently(["exec", "prod", "--", "-A", "get", "pods"]),
      "error: the kubectl command starts with its verb (get, describe, logs, …), not '-A'",
    );
  });

  test("exec's own option values are checked after the cluster too", async () => {
    expectUsageError(
      await kubently(["exec", "prod", "--timeout", "abc", "get", "pods"]),
      "error: option '--timeout <seconds>' argument 'abc' is invalid. give a whole number, 1 or more",
    );
  });

  test.each([
    ["--json", ["--json"]],
    ["--session", ["--session", "s-1"]],
    ["--session", ["--session=s-1"]],
    ["--api-key", ["--api-key", "secret-api-key-0123"]],
    ["--url", ["--url", "http://elsewhere"]],
    ["--correlation-id", ["--correlation-id", "c"]],
    ["--requested-by", ["--requested-by", "me"]],
  ])("kubently's own %s is refused after the verb, never sent to the cluster", async (flag, words) => {
    expectUsageError(
      await kubently(["exec", "prod", "get", "pods", ...words]),
      `error: ${flag} is an option of kubently exec, not of kubectl: put it before the kubectl command`,
    );
  });
});
