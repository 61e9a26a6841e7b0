/**
 * The parser reads argv as cobra/pflag do. Each case here is a kubectl behaviour the policy
 * relies on; several were checked against kubectl 1.32 itself (`-Afalse` is `-A -f alse`,
 * `top -A pod` finds no subcommand, `--all_namespaces` is `--all-namespaces`).
 */
import { describe, expect, test } from "bun:test";
import { type ParsedCommand, parseKubectlArgv } from "../../executor/policy";

function flagsOf(parsed: ParsedCommand): Array<[string, string | undefined]> {
  return parsed.flags.map((flag) => [flag.name, flag.value]);
}

describe("flags", () => {
  test.each<[string[], Array<[string, string | undefined]>, string[]]>([
    [
      ["get", "pods", "-n", "shop", "-o", "wide"],
      [
        ["namespace", "shop"],
        ["output", "wide"],
      ],
      ["pods"],
    ],
    [["get", "pods", "--namespace=shop"], [["namespace", "shop"]], ["pods"]],
    [["get", "pods", "--namespace", "shop"], [["namespace", "shop"]], ["pods"]],
    [["get", "-nshop", "pods"], [["namespace", "shop"]], ["pods"]],
    [["get", "-n=shop", "pods"], [["namespace", "shop"]], ["pods"]],
    [["get", "-n=", "pods"], [["namespace", "="]], ["pods"]],
    [["get", "--all-namespaces", "pods"], [["all-namespaces", undefined]], ["pods"]],
    [["get", "--all-namespaces=false", "pods"], [["all-namespaces", "false"]], ["pods"]],
    [["get", "--all_namespaces", "pods"], [["all-namespaces", undefined]], ["pods"]],
    [
      ["get", "-Aw", "pods"],
      [
        ["all-namespaces", undefined],
        ["watch", undefined],
      ],
      ["pods"],
    ],
    [["get", "-A=false", "pods"], [["all-namespaces", "false"]], ["pods"]],
    [
      ["get", "-Afalse"],
      [
        ["all-namespaces", undefined],
        ["filename", "alse"],
      ],
      [],
    ],
    [
      ["get", "-An", "shop", "pods"],
      [
        ["all-namespaces", undefined],
        ["namespace", "shop"],
      ],
      ["pods"],
    ],
    [["get", "-ojsonpath={.items[*]}"], [["output", "jsonpath={.items[*]}"]], []],
    [["get", "pods", "-l", "--token=x"], [["selector", "--token=x"]], ["pods"]],
    [["logs", "-f", "web"], [["follow", undefined]], ["web"]],
    [["get", "-f", "web"], [["filename", "web"]], []],
    [["get", "-v9", "pods"], [["v", "9"]], ["pods"]],
    [["get", "pods", "-", ""], [], ["pods", "-", ""]],
  ])("%j", (argv, flags, positionals) => {
    const parsed = parseKubectlArgv(argv);
    expect(flagsOf(parsed)).toEqual(flags);
    expect(parsed.positionals).toEqual(positionals);
    expect(parsed.issues).toEqual([]);
  });

  test("keeps unknown flags by name and lets them consume nothing", () => {
    const parsed = parseKubectlArgv(["get", "--frobnicate", "secrets", "-z"]);
    expect(parsed.flags).toMatchObject([
      { name: "frobnicate", known: false },
      { name: "z", short: "z", known: false },
    ]);
    expect(parsed.positionals).toEqual(["secrets"]);
  });

  test("reads the letters after an unknown shorthand as flags", () => {
    expect(flagsOf(parseKubectlArgv(["get", "-zs", "https://evil"]))).toEqual([
      ["z", undefined],
      ["server", "https://evil"],
    ]);
  });

  test("reports syntax kubectl rejects", () => {
    expect(parseKubectlArgv(["get", "---x", "--=y", "-l"]).issues).toEqual([
      { token: "---x", problem: "bad-syntax" },
      { token: "--=y", problem: "bad-syntax" },
      { token: "-l", problem: "missing-value" },
    ]);
  });

  test("records the token each flag came from", () => {
    expect(parseKubectlArgv(["get", "-As", "x"]).flags).toMatchObject([
      { name: "all-namespaces", raw: "-As", short: "A" },
      { name: "server", raw: "-As", short: "s", value: "x" },
    ]);
  });
});

describe("--", () => {
  test("ends the flags; for get what follows are positionals", () => {
    const parsed = parseKubectlArgv(["get", "pods", "--", "--kubeconfig=x", "-n"]);
    expect(parsed.flags).toEqual([]);
    expect(parsed.positionals).toEqual(["pods", "--kubeconfig=x", "-n"]);
  });

  test("for exec, what follows is the container's command", () => {
    const parsed = parseKubectlArgv(["exec", "web", "-c", "app", "--", "ls", "-la"]);
    expect(parsed.positionals).toEqual(["web"]);
    expect(parsed.containerCommand).toEqual(["ls", "-la"]);
    expect(flagsOf(parsed)).toEqual([["container", "app"]]);
  });
});

describe("subcommands", () => {
  test.each<[string[], string | undefined, string[]]>([
    [["rollout", "history", "deploy/web"], "history", ["deploy/web"]],
    [["rollout", "-n", "shop", "status", "deploy/web"], "status", ["deploy/web"]],
    [["rollout", "--request-timeout", "5s", "status", "deploy/web"], "status", ["deploy/web"]],
    [["auth", "can-i", "get", "pods"], "can-i", ["get", "pods"]],
    [["cluster-info", "dump"], "dump", []],
    [["cluster-info"], undefined, []],
    [["config", "view"], "view", []],
    [["config", "use", "prod"], "use-context", ["prod"]],
    [["create", "token", "default"], "token", ["default"]],
    [["create", "cm", "x"], "configmap", ["x"]],
    [["top", "pods"], "pod", []],
    [["top", "no", "n1"], "node", ["n1"]],
    // -A is unknown to `top`, so cobra assumes it takes "pod" as its value and finds no subcommand.
    [["top", "-A", "pod"], undefined, ["pod"]],
    [["rollout", "frobnicate"], undefined, ["frobnicate"]],
    [["rollout", "-=", "status"], "status", []],
    [["get", "status"], undefined, ["status"]],
  ])("%j", (argv, subcommand, positionals) => {
    const parsed = parseKubectlArgv(argv);
    expect(parsed.subcommand).toBe(subcommand);
    expect(parsed.positionals).toEqual(positionals);
  });

  test("looks flags up under the subcommand: -w is rollout status --watch", () => {
    const parsed = parseKubectlArgv(["rollout", "status", "deploy/web", "-w=false"]);
    expect(parsed.path).toBe("rollout status");
    expect(parsed.flags).toMatchObject([{ name: "watch", value: "false", known: true }]);
  });

  test("argv text never reaches object prototypes", () => {
    for (const word of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      const parsed = parseKubectlArgv([word, word, `--${word}`, `--${word}=x`]);
      expect(parsed.subcommand).toBeUndefined();
      expect(parsed.flags.every((flag) => !flag.known)).toBe(true);
    }
  });
});
