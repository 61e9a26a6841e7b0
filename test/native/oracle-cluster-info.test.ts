/**
 * `kubectl cluster-info` answered natively, held to real kubectl. Native reads print the cluster's
 * own address, so where the list is read their oracle is kubectl holding the credentials itself
 * (the stand-in's kubeconfig, no gate), as it would run inside the cluster; where the gate refuses
 * the namespace, kubectl through the same gate (nothing printed names an address). The lines cover
 * kube-system (CoreDNS by its kubernetes.io/name, metrics-server linked by https), a namespace
 * whose labelled services are a load balancer and a service with no ports, namespaces with none
 * and one that does not exist, -n forms, and a refused namespace.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeScenario } from "../k8s/describe-scenario";
import { runToEnd } from "../support/process";
import { compare, compareEach, useOracle } from "./oracle-harness";

const oracle = useOracle({ scenario: describeScenario(), deniedNamespaces: ["kube-public"] });
let home: string;
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), "kubently-cluster-info-"));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** kubectl with the stand-in's own kubeconfig: no gate between them. */
async function direct(argv: string[]) {
  const env = { PATH: process.env.PATH, HOME: home, KUBECONFIG: oracle.standin.kubeconfigPath };
  const { stdout, stderr, code } = await runToEnd(["kubectl", ...argv], env);
  return { stdout, stderr, exitCode: code };
}

const READ = [
  ["cluster-info"],
  ["cluster-info", "-n", "kube-system"],
  ["cluster-info", "-n", "lab"],
  ["cluster-info", "--namespace=lab"],
  ["cluster-info", "--namespace="],
  ["cluster-info", "-n", "shop"],
  ["cluster-info", "-n", "no-such-namespace"],
];

test("cluster-info prints what kubectl holding the cluster's credentials prints", async () => {
  const printed: string[] = [];
  const { answered, fellBack } = await compareEach(READ, async (argv, line) => {
    const { output } = await oracle.gated.native(argv);
    if (output === undefined) return "fellBack";
    expect({ line, ...output }).toEqual({ line, ...(await direct(argv)) });
    printed.push(output.stdout);
    return "answered";
  });
  expect(fellBack).toEqual([]);
  expect(answered).toHaveLength(READ.length);
  // The lines reach every way kubectl links a service, so each was compared at least once: a load
  // balancer's ingress on each of its ports, and proxy paths with the https scheme guessed, with a
  // port name, and with the service's name alone.
  const links = printed.join("").split("\n");
  for (const shape of [
    / is running at (http:\/\/[^ ]+ ){2}$/,
    /\/https:[^:/]+:https\/proxy$/,
    /\/[^:/]+:dns\/proxy$/,
    /\/services\/[^:/]+\/proxy$/,
  ]) {
    expect(links.some((line) => shape.test(line))).toBe(true);
  }
});

test("a namespace the gate refuses prints kubectl's error, as kubectl through the gate does", async () => {
  const lines = [["cluster-info", "-n", "kube-public"]];
  const { answered } = await compare(oracle.gated, lines);
  expect(answered).toHaveLength(1);
  const { output } = await oracle.gated.native(lines[0] as string[]);
  expect(output?.exitCode).toBe(1);
  expect(output?.stderr).toStartWith("Error from server (Forbidden)");
});

test("cluster-info dump and extra arguments are left to kubectl", async () => {
  for (const argv of [
    ["cluster-info", "dump"],
    ["cluster-info", "extra"],
    ["cluster-info", "-A"],
  ]) {
    expect((await oracle.gated.native(argv)).output).toBeUndefined();
  }
});
