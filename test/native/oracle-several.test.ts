/**
 * Native reads of several objects at once, against real kubectl (oracle-harness.ts): several names
 * of one type (found and missing ones), and several types or categories (`all`, a CRD's), over
 * scopes and output formats. Every line answered must print exactly what kubectl prints.
 */
import { describe, expect, test } from "bun:test";
import { CRASHING_POD, HEALTHY_POD, NODE_NAMES } from "../k8s/scenario";
import { useOracle } from "./oracle-harness";

const { compare } = useOracle();

describe("several objects at once print what kubectl prints", () => {
  test("several names: what was found printed together, each missing one's error after it", async () => {
    const nameSets = [
      ["pods", CRASHING_POD, HEALTHY_POD],
      ["pods", CRASHING_POD, "nope", HEALTHY_POD],
      ["pods", "nope", "nope-too"],
      ["deploy", "checkout", "frontend"],
      ["nodes", ...NODE_NAMES.slice(0, 2), "nope"],
      ["cm", "kube-root-ca.crt", "nope"],
    ];
    const scopes = [["-n", "shop"], ["-n", "empty"], ["-n", "nons"], ["-n", "kube-system"], ["-A"]];
    const formats = [
      [],
      ["-o", "wide"],
      ["-o", "name"],
      ["-o", "json"],
      ["-o", "jsonpath={.items[*].metadata.name}"],
      ["-o", "custom-columns=N:.metadata.name"],
      ["--no-headers"],
    ];
    const lines = nameSets.flatMap((names) =>
      scopes.flatMap((scope) => formats.map((format) => ["get", ...names, ...scope, ...format])),
    );
    const { answered } = await compare(lines);
    console.log(`native reads answered ${answered.length} of ${lines.length} several-names command lines`);
    expect(answered.length).toBeGreaterThanOrEqual(lines.length * 0.75);
  }, 240_000);

  test("several types and categories: one table a type, or one List", async () => {
    // cert-manager is its CRDs' category (none of their objects here), api-extensions the CRDs'.
    const types = [
      "all",
      "pods,svc",
      "deploy,rs,po",
      "all,cm",
      "pods,nodes",
      "nodes,ns",
      "svc,pods,svc",
      "cert-manager",
      "api-extensions,svc",
    ];
    const scopes = [["-n", "shop"], ["-n", "empty"], ["-A"], [], ["-n", "kube-system"]];
    const formats = [
      [],
      ["-o", "wide"],
      ["-o", "name"],
      ["-o", "json"],
      ["--no-headers"],
      ["--show-labels"],
      ["-l", "app=checkout"],
      ["-o", "custom-columns=N:.metadata.name,K:.kind"],
    ];
    const lines = types.flatMap((type) =>
      scopes.flatMap((scope) => formats.map((format) => ["get", type, ...scope, ...format])),
    );
    const { answered } = await compare(lines);
    console.log(`native reads answered ${answered.length} of ${lines.length} several-types command lines`);
    // A type whose list the gate refuses (kube-system) leaves its error after what the others found;
    // a kind named twice is listed once; with -A, a cluster-scoped type after a namespaced one gets
    // an empty NAMESPACE column, as kubectl's shared printer flags give it.
    expect(answered.length).toBeGreaterThanOrEqual(lines.length * 0.95);
    expect(answered.filter((line) => line.includes("-n kube-system")).length).toBeGreaterThan(30);
  }, 240_000);
});
