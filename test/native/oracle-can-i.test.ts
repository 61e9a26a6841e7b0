/**
 * `auth can-i` answered natively, held to real kubectl through the same gate and stand-in: the
 * stand-in decides each SelfSubjectAccessReview by its RBAC objects (test/k8s/rbac.ts), which give
 * its service account the read-only ClusterRole Kubently ships and, in lab, the deployer Role
 * (test/k8s/executor-rbac.ts). Lines cover what the role grants and refuses, names and
 * subresources, namespaces and -A, the warnings kubectl prints (a cluster-scoped type in a
 * namespace, a type the cluster does not serve, a verb it does not know), URLs, types by short
 * name, group and version, -q, and --list; then a gate that impersonates a user, whose answer is
 * the user's, not the executor's.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type GateHarness, startGateHarness } from "../gate/harness";
import { describeScenario } from "../k8s/describe-scenario";
import { compare, useOracle } from "./oracle-harness";

const oracle = useOracle({ scenario: describeScenario() });
const can = (...args: string[]) => ["auth", "can-i", ...args];

const LINES = [
  can("list", "pods"),
  can("get", "pods", "-n", "shop"),
  can("watch", "deployments.apps", "-A"),
  can("get", "deployments.v1.apps", "-n", "lab"),
  can("list", "deploy", "-n", "lab"),
  can("list", "cj"),
  can("get", "Pods"),
  can("get", "secrets"),
  can("get", "secrets", "-n", "lab"),
  can("create", "deployments", "-n", "lab"),
  can("create", "deployments"),
  can("create", "deployments", "-A"),
  can("update", "configmaps/app-settings", "-n", "lab"),
  can("update", "configmaps/other", "-n", "lab"),
  can("update", "configmaps", "-n", "lab"),
  can("update", "deployments", "--subresource=scale", "-n", "lab"),
  can("get", "pods", "--subresource", "log", "-n", "shop"),
  can("create", "pods", "--subresource=exec", "-n", "shop"),
  can("get", "pods/checkout", "-n", "shop"),
  can("delete", "pods", "-n", "shop"),
  can("get", "nodes"),
  can("get", "nodes", "-n", "shop"),
  can("get", "nodes", "-A"),
  can("list", "storageclasses"),
  can("list", "storageclasses.storage.k8s.io", "-A"),
  can("get", "pdos"),
  can("get", "widgets.example.com"),
  can("get", "users"),
  can("impersonate", "users"),
  can("frob", "pods"),
  can("frob", "pods", "-A"),
  can("*", "*"),
  can("get", "*", "-n", "lab"),
  can("create", "selfsubjectaccessreviews"),
  can("get", "/version"),
  can("get", "/healthz"),
  can("post", "/version"),
  can("frob", "/api"),
  can("get", "/api/v1"),
  can("list", "pods", "-q"),
  can("get", "secrets", "--quiet"),
  can("--list"),
  can("--list", "-n", "lab"),
  can("--list", "-n", "shop", "--no-headers"),
];

describe("auth can-i answered natively prints what kubectl prints", () => {
  test(`${LINES.length} questions about the executor's own access`, async () => {
    const { answered, fellBack } = await oracle.compare(LINES);
    console.log(`native reads answered ${answered.length} of ${LINES.length} auth can-i command lines`);
    expect(fellBack).toEqual([]);
    // Not every answer is the same: both yes and no are among them.
    const said = await Promise.all(
      [can("list", "pods"), can("get", "secrets")].map(
        async (argv) => (await oracle.gated.native(argv)).output,
      ),
    );
    expect(said.map((output) => [output?.stdout, output?.exitCode])).toEqual([
      ["yes\n", 0],
      ["no\n", 1],
    ]);
  }, 120_000);

  test("lines kubectl refuses are left to it", async () => {
    for (const argv of [
      can("get"),
      can("get", "/version", "--subresource=x"),
      can("--list", "-q"),
      can("--list", "pods"),
      can("list", "pods", "--no-headers"),
    ]) {
      expect((await oracle.gated.native(argv)).output).toBeUndefined();
    }
  });

  describe("through a gate that impersonates a user", () => {
    let impersonating: GateHarness | undefined;
    beforeAll(async () => {
      impersonating = await startGateHarness(oracle.standin, {
        deniedNamespaces: ["kube-*"],
        impersonate: { agent: { user: "jane" } },
      });
    });
    afterAll(() => impersonating?.stop());

    test("the answers are the user's: jane reads pods in lab and nowhere else", async () => {
      const gated = impersonating as GateHarness;
      const lines = [
        can("list", "pods", "-n", "lab"),
        can("list", "pods", "-n", "shop"),
        can("get", "pods/log", "-n", "lab"),
        can("--list", "-n", "lab"),
      ];
      const { fellBack } = await compare(gated, lines);
      expect(fellBack).toEqual([]);
      const [inLab, inShop] = await Promise.all(
        lines.slice(0, 2).map(async (argv) => (await gated.native(argv)).output?.stdout),
      );
      expect([inLab, inShop]).toEqual(["yes\n", "no\n"]);
    }, 60_000);
  });
});
