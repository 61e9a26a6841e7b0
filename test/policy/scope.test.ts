/**
 * A command's principal scope intersected with the cluster's policy, in the argv policy and in the
 * cluster gate's decision on each request: the scope narrows, never widens.
 */
import { describe, expect, test } from "bun:test";
import { decideRequest, parseApiRequest } from "../../executor/gate";
import { type Policy, scopedPolicy } from "../../executor/policy";
import { EXTENDED, FULL, NO_KUBE, READ_ONLY, run } from "./helpers";

const SHOP_ONLY = { namespaces: { allow: ["shop"], deny: [] } };
const gate = (policy: Policy, path: string) =>
  decideRequest(policy, parseApiRequest("GET", new URL(`https://gate${path}`)));

describe("argv policy", () => {
  test("without a scope the cluster's policy is used as it is", () => {
    expect(scopedPolicy(READ_ONLY, undefined)).toBe(READ_ONLY);
    expect(scopedPolicy(READ_ONLY, { namespaces: undefined })).toBe(READ_ONLY);
  });

  test("a namespace outside the scope is refused, saying it is the caller's scope", () => {
    const policy = scopedPolicy(READ_ONLY, SHOP_ONLY);
    expect(run(policy, ["get", "pods", "-n", "shop"])).toEqual({
      allowed: true,
      argv: ["get", "pods", "-n", "shop"],
    });
    expect(run(policy, ["get", "pods", "-n", "payments"])).toEqual({
      allowed: false,
      code: "NAMESPACE_DENIED",
      reason: 'Namespace "payments" is not allowed by the caller\'s scope.',
    });
    expect(run(policy, ["get", "pods"], "payments")).toMatchObject({
      allowed: false,
      code: "NAMESPACE_DENIED",
    });
  });

  test("the scope never widens the cluster's namespaces", () => {
    const policy = scopedPolicy(NO_KUBE, { namespaces: { allow: ["*"], deny: [] } });
    expect(run(policy, ["get", "pods", "-n", "kube-system"])).toMatchObject({
      code: "NAMESPACE_DENIED",
      reason: 'Namespace "kube-system" is not allowed by the policy.',
    });
  });

  test("-A passes under the scope alone (the gate filters it), and stays refused under the cluster's restriction", () => {
    expect(run(scopedPolicy(READ_ONLY, SHOP_ONLY), ["get", "pods", "-A"])).toMatchObject({ allowed: true });
    expect(run(scopedPolicy(NO_KUBE, SHOP_ONLY), ["get", "pods", "-A"])).toMatchObject({
      code: "ALL_NAMESPACES_DENIED",
    });
  });

  test("the mode is the stricter of the scope's and the cluster's", () => {
    const exec = ["exec", "api-0", "-n", "shop", "--", "ls"];
    expect(run(scopedPolicy(READ_ONLY, { mode: "fullAccess" }), exec)).toMatchObject({
      code: "VERB_NOT_ALLOWED",
    });
    expect(run(scopedPolicy(EXTENDED, { mode: "readOnly" }), exec)).toMatchObject({
      code: "VERB_NOT_ALLOWED",
    });
    expect(run(scopedPolicy(EXTENDED, { mode: "extendedReadOnly" }), exec)).toMatchObject({ allowed: true });
    expect(run(scopedPolicy(FULL, { mode: "readOnly" }), ["delete", "pod", "x", "-n", "shop"])).toMatchObject(
      {
        code: "VERB_NOT_ALLOWED",
      },
    );
  });
});

describe("cluster gate", () => {
  const policy = scopedPolicy(READ_ONLY, SHOP_ONLY);

  test("a request in a namespace outside the scope is refused, naming the caller's scope", () => {
    expect(gate(policy, "/api/v1/namespaces/shop/pods")).toEqual({ allowed: true, filter: "none" });
    expect(gate(policy, "/api/v1/namespaces/payments/pods")).toEqual({
      allowed: false,
      rule: "NAMESPACE_DENIED",
      message: 'namespace "payments" is not allowed by the caller\'s scope',
    });
    expect(gate(policy, "/api/v1/namespaces/payments")).toMatchObject({ rule: "NAMESPACE_DENIED" });
  });

  test("cluster-wide lists are filtered to the scope; unscoped, they pass whole", () => {
    expect(gate(policy, "/api/v1/pods")).toEqual({ allowed: true, filter: "items-by-namespace" });
    expect(gate(policy, "/api/v1/namespaces")).toEqual({ allowed: true, filter: "namespaces-by-name" });
    expect(gate(READ_ONLY, "/api/v1/pods")).toEqual({ allowed: true, filter: "none" });
  });
});
