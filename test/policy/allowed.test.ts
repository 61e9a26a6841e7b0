/**
 * What must pass: everyday read-only commands, and the near misses a substring filter would
 * refuse (a pod named credit-service, a namespace external-secrets, `--server-print=false`,
 * a selector app=token-service, jsonpath with brackets and stars). Also pins the argv the
 * executor runs: unchanged, or with the request's namespace added as `-n`.
 */
import { describe, expect, test } from "bun:test";
import type { Policy } from "../../executor/policy";
import { EXTENDED, FULL, NO_KUBE, READ_ONLY, run, TEAM_ONLY } from "./helpers";

const nearMisses: string[][] = [
  ["get", "pod", "credit-service", "-n", "shop"],
  ["logs", "credit-service", "-n", "shop", "--tail=100"],
  ["describe", "pod", "credit-service"],
  ["get", "deploy", "cluster-autoscaler", "-n", "kube-system"],
  ["rollout", "status", "deploy/cluster-autoscaler", "-n", "kube-system"],
  ["rollout", "history", "deployment", "cluster-autoscaler"],
  ["get", "pods", "-n", "external-secrets"],
  ["get", "pods", "--namespace=external-secrets"],
  ["get", "externalsecrets.external-secrets.io", "-A"],
  ["get", "secretstores", "-n", "external-secrets"],
  ["get", "pods", "--server-print=false"],
  ["get", "pods", "-o", "jsonpath={.items[*].metadata.name}"],
  ["get", "pods", "-o=jsonpath={.items[*].metadata.name}"],
  ["get", "pods", "-ojsonpath={.items[*].spec.containers[*].image}"],
  ["get", "pods", "-o", "custom-columns=NAME:.metadata.name,TOKEN:.metadata.labels.token"],
  ["get", "pods", "-o", "go-template", "--template={{range .items}}{{.metadata.name}}{{end}}"],
  ["get", "pods", "-l", "app=token-service"],
  ["get", "pods", "-lapp=token-service"],
  ["get", "pods", "--selector=app=token-service,tier!=kubeconfig"],
  ["get", "pods", "--field-selector=spec.nodeName=server-1"],
  ["get", "configmaps", "token-config", "-o", "yaml"],
  ["get", "pods", "secrets"], // a pod named "secrets": the type is pods
  ["logs", "secrets"], // likewise, a pod
  ["get", "serviceaccounts", "-n", "kube-system"],
];

const everyday: string[][] = [
  ["get", "pods", "-n", "shop", "-o", "wide"],
  ["get", "all", "-n", "shop"],
  ["get", "pods", "-A"],
  ["get", "--all-namespaces", "pods"],
  ["get", "pods", "-Aw", "--output-watch-events"],
  ["get", "pods", "--watch-only", "--show-labels", "-L", "app"],
  ["get", "pods", "--sort-by=.metadata.creationTimestamp", "--no-headers"],
  ["get", "pods", "--chunk-size", "100", "--show-kind", "--ignore-not-found"],
  ["get", "pods/web", "--subresource=status", "-o", "yaml"],
  ["get", "deploy/web", "--subresource", "scale"],
  ["get", "pod", "web", "--subresource=resize"],
  ["get", "pod", "web", "--subresource=ephemeralcontainers"],
  ["get", "deployment.apps/web", "-n", "shop"],
  ["get", "nodes"],
  ["get", "ns"],
  ["get", "namespace", "shop", "-o", "yaml"],
  ["get", "pods", "-v=6", "--request-timeout=5s"],
  ["get", "pods", "-v", "2"],
  ["get", "pods", "-h"],
  ["get", "--", "pods"],
  ["describe", "nodes", "-l", "node-role.kubernetes.io/control-plane"],
  ["describe", "pod", "web", "--show-events=false"],
  ["logs", "-f", "web"],
  ["logs", "web", "-c", "app", "--since=1h", "--timestamps", "--tail=-1"],
  ["logs", "-p", "web", "--limit-bytes=1048576"],
  ["logs", "deploy/web", "--all-containers", "--prefix"],
  ["logs", "-l", "app=web", "--max-log-requests=10", "--ignore-errors"],
  ["top", "pod", "-n", "shop", "--containers"],
  ["top", "pods", "--sort-by=cpu"],
  ["top", "no"],
  ["top", "node", "--show-capacity"],
  ["events", "-n", "shop", "--for", "pod/web", "--types=Warning", "-o", "yaml"],
  ["events", "-w"],
  // Events about an object, whatever its kind: they say what happened to it, not what it holds.
  ["events", "--for", "secret/db"],
  ["events", "--for=Secret.v1./db", "-n", "shop"],
  ["explain", "pods.spec.containers", "--recursive"],
  ["explain", "secrets"], // the schema, not the data
  ["api-resources", "--namespaced=true", "-o", "wide"],
  ["api-versions"],
  ["version", "--client", "-o", "json"],
  ["cluster-info"],
  ["auth", "can-i", "get", "pods"],
  ["auth", "can-i", "list", "secrets"], // a question about permissions, not a read
  ["auth", "can-i", "get", "/logs"],
  ["auth", "can-i", "--list", "-n", "shop"],
  ["auth", "can-i", "*", "*"],
  ["auth", "can-i", "get", "pods", "--subresource=proxy"], // asks, reads nothing
  ["rollout", "-n", "shop", "status", "deploy/web", "-w=false", "--timeout=30s"],
  ["rollout", "history", "deploy/web", "--revision=3", "-o", "yaml"],
];

const inOtherModes: Array<[Policy, string[]]> = [
  [EXTENDED, ["exec", "web", "-c", "app", "--", "cat", "--kubeconfig", "/etc/hosts"]],
  [EXTENDED, ["exec", "deploy/web", "--", "sh", "-c", "ls -la /tmp"]],
  [EXTENDED, ["port-forward", "pod/web", "8080:80"]],
  [EXTENDED, ["port-forward", "svc/web", ":80", "--pod-running-timeout=30s"]],
  [FULL, ["delete", "pod", "web", "--grace-period=0", "--force"]],
  [FULL, ["annotate", "pod", "web", "note=two words"]],
  [FULL, ["patch", "deploy", "web", "-p", '{"spec":{"replicas":2}}']],
  [FULL, ["exec", "-it", "web", "--", "sh"]],
  [FULL, ["config", "view"]],
  [FULL, ["rollout", "restart", "deploy/web"]],
  [FULL, ["create", "token", "default"]],
  [FULL, ["debug", "node/n1", "--profile=general", "--image=busybox"]],
  [NO_KUBE, ["get", "pods", "-n", "shop"]],
  [NO_KUBE, ["get", "ns"]],
  [NO_KUBE, ["events", "-n", "shop", "--for", "namespace/kube-system"]], // events in shop, about that object
  [TEAM_ONLY, ["get", "pods", "-n", "team-a-payments"]],
  [{ ...READ_ONLY, restrictedResources: [] }, ["get", "secrets", "-o", "yaml"]],
];

describe("near misses a substring filter would refuse", () => {
  test.each(nearMisses.map((argv) => [JSON.stringify(argv), argv] as const))("%s", (_, argv) => {
    expect(run(READ_ONLY, argv)).toEqual({ allowed: true, argv });
  });
});

describe("everyday read-only commands", () => {
  test.each(everyday.map((argv) => [JSON.stringify(argv), argv] as const))("%s", (_, argv) => {
    expect(run(READ_ONLY, argv)).toEqual({ allowed: true, argv });
  });
});

describe("other modes and namespace rules", () => {
  test.each(inOtherModes.map(([policy, argv]) => [JSON.stringify(argv), policy, argv] as const))(
    "%s",
    (_, policy, argv) => {
      expect(run(policy, argv)).toMatchObject({ allowed: true });
    },
  );
});

describe("the argv the executor runs", () => {
  test("adds the request's namespace as -n", () => {
    expect(run(READ_ONLY, ["get", "pods"], "shop")).toEqual({
      allowed: true,
      argv: ["get", "pods", "-n", "shop"],
    });
  });

  test("keeps a matching -n as written", () => {
    expect(run(READ_ONLY, ["get", "pods", "-nshop"], "shop")).toEqual({
      allowed: true,
      argv: ["get", "pods", "-nshop"],
    });
  });

  test("puts -n before --, so it never joins the container command", () => {
    expect(run(EXTENDED, ["exec", "web", "--", "ls"], "shop")).toEqual({
      allowed: true,
      argv: ["exec", "web", "-n", "shop", "--", "ls"],
    });
  });

  test("pins the default namespace when namespaces are restricted and none is named", () => {
    expect(run(TEAM_ONLY, ["get", "pods"])).toEqual({ allowed: true, argv: ["get", "pods", "-n", "shop"] });
    expect(run(NO_KUBE, ["logs", "web"])).toEqual({ allowed: true, argv: ["logs", "web", "-n", "default"] });
  });

  test("leaves unnamed commands alone when every namespace is allowed", () => {
    expect(run(READ_ONLY, ["get", "pods"])).toEqual({ allowed: true, argv: ["get", "pods"] });
  });

  test("does not pin commands that act on no namespace", () => {
    expect(run(TEAM_ONLY, ["cluster-info"])).toEqual({ allowed: true, argv: ["cluster-info"] });
    expect(run(TEAM_ONLY, ["version"])).toEqual({ allowed: true, argv: ["version"] });
  });
});
