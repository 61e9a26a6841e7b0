/**
 * The policy checked against kubectl itself. Real kubectl runs against the Kubernetes API
 * stand-in (one per run, so each run has its own record of requests), at most KUBECTL_AT_ONCE at a
 * time; a kubectl that had to be killed fails its case. What it reached is judged by `overreach`
 * (./oracle.ts), from the raw API paths and the cluster's discovery alone, never by the policy code:
 * - every refusal below is real: kubectl, given that argv, does request secrets, a denied
 *   namespace or every namespace, so the spellings the policy refuses are ones kubectl resolves;
 * - every approval is safe: the argv `decide` returns makes kubectl request no secret, nothing in a
 *   denied namespace and no list across every namespace;
 * - commands generated from the types, names and namespaces the stand-in serves (fixed seed, so a
 *   failure reproduces): every one decide approves is run, must exit 0, print the objects it means,
 *   read the resources it names in its namespace, and reach nothing it must not.
 */
import { afterAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { DenyCode, Policy } from "../../executor/policy";
import { resourceForKind } from "../k8s/resources";
import { defaultScenario, NODE_NAMES } from "../k8s/scenario";
import { NO_KUBE, READ_ONLY, run } from "./helpers";
import {
  EVERY_NAMESPACE,
  KUBECTL_AT_ONCE,
  type KubectlRun,
  kubectlHome,
  NOT_KUBE,
  overreach,
  pooled,
  type Reachable,
  resourcePaths,
  runKubectl,
} from "./oracle";

const REFUSED: Array<[string[], DenyCode, Policy]> = [
  [["get", "secrets"], "RESOURCE_RESTRICTED", READ_ONLY],
  [["get", "Secret"], "RESOURCE_RESTRICTED", READ_ONLY],
  [["get", "SECRETS"], "RESOURCE_RESTRICTED", READ_ONLY],
  [["get", "Secrets/db"], "RESOURCE_RESTRICTED", READ_ONLY],
  [["get", "secrets.v1."], "RESOURCE_RESTRICTED", READ_ONLY],
  [["get", "Secret.v1./db"], "RESOURCE_RESTRICTED", READ_ONLY],
  [["get", "secret.", "db"], "RESOURCE_RESTRICTED", READ_ONLY],
  [["get", "pods,secrets"], "RESOURCE_RESTRICTED", READ_ONLY],
  [["get", "-o", "yaml", "--", "secrets"], "RESOURCE_RESTRICTED", READ_ONLY],
  [["get", "--show-kind", "secrets"], "RESOURCE_RESTRICTED", READ_ONLY],
  [["describe", "secrets"], "RESOURCE_RESTRICTED", READ_ONLY],
  [["logs", "secret/db"], "RESOURCE_RESTRICTED", READ_ONLY],
  [["get", "pods", "-nkube-system"], "NAMESPACE_DENIED", NO_KUBE],
  [["get", "pods", "-n=kube-system"], "NAMESPACE_DENIED", NO_KUBE],
  [["get", "pods", "-n", "shop", "-n", "kube-system"], "NAMESPACE_DENIED", NO_KUBE],
  [["get", "ns", "kube-system"], "NAMESPACE_DENIED", NO_KUBE],
  [["get", "ns/kube-system"], "NAMESPACE_DENIED", NO_KUBE],
  [["get", "pods", "-A"], "ALL_NAMESPACES_DENIED", NO_KUBE],
  [["get", "--all_namespaces", "pods"], "ALL_NAMESPACES_DENIED", NO_KUBE],
];

const APPROVED: Array<[string[], Policy, string?]> = [
  [["get", "pods", "secrets"], READ_ONLY],
  [["logs", "secrets"], READ_ONLY],
  [["get", "--sort-by", "secrets", "pods"], READ_ONLY],
  [["get", "pods", "--", "secrets"], READ_ONLY],
  [["get", "all"], READ_ONLY],
  [["get", "pods", "-n", "external-secrets", "--server-print=false"], READ_ONLY],
  [["get", "pods", "-l", "app=token-service", "-o", "jsonpath={.items[*].metadata.name}"], READ_ONLY],
  [["describe", "pod", "credit-service"], READ_ONLY],
  [["rollout", "history", "deploy/web"], READ_ONLY],
  [["get", "pods"], NO_KUBE],
  [["get", "pods"], NO_KUBE, "shop"],
  [["get", "ns"], NO_KUBE],
  [["get", "--all-namespaces=false", "pods"], NO_KUBE],
  [["logs", "web", "-c", "app"], NO_KUBE],
  [["events", "--for", "secret/db"], READ_ONLY],
  [["events", "--for", "namespace/kube-system"], NO_KUBE],
];

/** The namespace rules each policy in the tables has, restated apart from the policy code. */
const REACHABLE = new Map<Policy, Reachable>([
  [READ_ONLY, EVERY_NAMESPACE],
  [NO_KUBE, NOT_KUBE],
]);

/**
 * The cluster kubectl talks to: the stand-in's objects, by resource and namespace. Its metrics
 * (metrics.k8s.io's pods and nodes) are left out: kubectl resolves `pods` and `nodes` to the core
 * group, and these commands never name the metrics.
 */
const objects = defaultScenario().objects.flatMap((object) => {
  const type = resourceForKind(object.apiVersion, object.kind);
  return type && type.group !== "metrics.k8s.io"
    ? [{ resource: type.resource, namespace: object.metadata.namespace, object }]
    : [];
});
const namesOf = (resource: string, namespace: string) =>
  objects
    .filter((o) => o.resource === resource && (o.namespace === undefined || o.namespace === namespace))
    .map((o) => o.object.metadata.name);

/**
 * Type spellings kubectl resolves through discovery, each with the resources it means; every one is
 * a type the stand-in serves, so a generated command reaches the cluster instead of stopping at
 * "the server doesn't have a resource type". The secret spellings must never be approved.
 */
const TYPES: Array<[string, string[]]> = [
  ["pods", ["pods"]],
  ["po", ["pods"]],
  ["Pod", ["pods"]],
  ["pods.v1.", ["pods"]],
  ["deployments", ["deployments"]],
  ["deploy", ["deployments"]],
  ["deployment.apps", ["deployments"]],
  ["deployments.v1.apps", ["deployments"]],
  ["rs", ["replicasets"]],
  ["services", ["services"]],
  ["svc", ["services"]],
  ["configmaps", ["configmaps"]],
  ["cm", ["configmaps"]],
  ["events", ["events"]],
  ["ev", ["events"]],
  ["sa", ["serviceaccounts"]],
  ["leases", ["leases"]],
  ["ns", ["namespaces"]],
  ["namespace", ["namespaces"]],
  ["nodes", ["nodes"]],
  ["pods,services", ["pods", "services"]],
  ["deploy,cm", ["deployments", "configmaps"]],
  ["all", ["pods", "services", "deployments", "replicasets"]],
  ["secrets", ["secrets"]],
  ["Secret.v1.", ["secrets"]],
  ["pods,secrets", ["pods", "secrets"]],
];
const NAMESPACES = ["shop", "default", "external-secrets", "kube-system", "kube-public"];
const namespaceFlag = (ns: string) =>
  fc.constantFrom(["-n", ns], [`-n${ns}`], [`-n=${ns}`], [`--namespace=${ns}`], ["--namespace", ns]);
const GET_FLAGS = [
  ["-o", "yaml"],
  ["-oname"],
  ["-o=wide"],
  ["--output=json"],
  ["--show-kind"],
  ["--no-headers"],
  ["--chunk-size=2"],
  ["--server-print=false"],
  ["--all-namespaces=false"],
  ["-A"],
];
const DESCRIBE_FLAGS = [["--show-events=false"], ["--chunk-size=2"], ["--all-namespaces=false"], ["-A"]];
const LOGS_FLAGS = [["--tail=3"], ["--timestamps"], ["--prefix"], ["--limit-bytes=200"]];

/**
 * A generated command, with what it means: the namespace it runs in, the resources it reads, and
 * what its output must show: the objects it names or lists by name (none: that there are none), or
 * only whether it prints something (logs; events, whose names the scenario makes as it is built).
 */
interface Case {
  argv: string[];
  namespace: string;
  resources: string[];
  names: string[];
  shows: { names: string[] } | { output: boolean };
}

const flagsFrom = (flags: string[][]) => fc.array(fc.constantFrom(...flags), { maxLength: 3 });
/** -n in some spelling, or none (then the command runs in "default"). */
const inNamespace = fc.option(fc.constantFrom(...NAMESPACES), { nil: undefined });

const getOrDescribe = fc
  .tuple(fc.constantFrom("get", "describe"), fc.constantFrom(...TYPES), inNamespace)
  .chain(([verb, [type, resources], ns]) => {
    const namespace = ns ?? "default";
    const single = resources.length === 1 && type !== "all";
    // Event names are made when the scenario is built, so they are listed, never named.
    const names = single && resources[0] !== "events" ? namesOf(resources[0] ?? "", namespace) : [];
    const listed = resources.flatMap((resource) => namesOf(resource, namespace));
    return fc
      .record({
        names: names.length
          ? fc.subarray(names, { maxLength: Math.min(2, names.length) })
          : fc.constant<string[]>([]),
        slash: fc.boolean(),
        flags: flagsFrom(verb === "get" ? GET_FLAGS : DESCRIBE_FLAGS),
        sorted: fc.boolean(),
        ns: ns === undefined ? fc.constant<string[]>([]) : namespaceFlag(ns),
        at: fc.nat(),
      })
      .map(({ names, slash, flags, sorted, ns: nsFlag, at }): Case => {
        const positionals =
          slash && names.length > 0 && type === type.toLowerCase()
            ? names.map((name) => `${type}/${name}`)
            : [type, ...names];
        // kubectl sorts lists; objects named one by one it cannot sort by a field.
        const sort = sorted && verb === "get" && names.length === 0 ? [["--sort-by=.metadata.name"]] : [];
        const options = [...flags, ...sort, nsFlag];
        options.splice(at % (options.length + 1), 0, []);
        const shows = resources.includes("events")
          ? { output: listed.length > 0 }
          : { names: names.length > 0 ? names : listed };
        return { argv: [verb, ...positionals, ...options.flat()], namespace, resources, names, shows };
      });
  });

const logs = inNamespace.chain((ns) => {
  const namespace = ns ?? "default";
  const pods = objects.filter((o) => o.resource === "pods" && o.namespace === namespace);
  const deployments = namesOf("deployments", namespace);
  const targets = [
    ...pods.map((pod) => ({
      target: pod.object.metadata.name,
      containers: ((pod.object.spec as { containers?: { name: string }[] }).containers ?? []).map(
        (c) => c.name,
      ),
    })),
    ...deployments.map((name) => ({ target: `deploy/${name}`, containers: [] as string[] })),
  ];
  if (targets.length === 0) return fc.constant(undefined);
  return fc
    .record({
      target: fc.constantFrom(...targets),
      container: fc.boolean(),
      flags: flagsFrom(LOGS_FLAGS),
      ns: ns === undefined ? fc.constant<string[]>([]) : namespaceFlag(ns),
    })
    .map(({ target, container, flags, ns: nsFlag }): Case => {
      const withContainer = container && target.containers[0] ? ["-c", target.containers[0]] : [];
      return {
        argv: ["logs", target.target, ...withContainer, ...flags.flat(), ...nsFlag],
        namespace,
        resources: target.target.startsWith("deploy/") ? ["deployments", "pods"] : ["pods"],
        names: [target.target],
        shows: { output: true },
      };
    });
});

/**
 * Approvals that overreach today, found by the generated run below: `describe` of every namespace
 * reads each one's resource quotas and limit ranges, kube-system's too, and `describe` of a node
 * lists its pods and events in every namespace and reads its lease in kube-node-lease. The policy
 * approves both under a deny list. Until it refuses them they are kept out of the generated run and
 * checked here to still overreach, so this fails the day decide refuses them, and they move to REFUSED.
 */
const KNOWN_OVERREACH: string[][] = [
  ["describe", "ns"],
  ["describe", "namespaces", "-n", "shop"],
  ["describe", "nodes"],
  ["describe", "node", NODE_NAMES[0]],
];
const knownOverreach = (c: Case) =>
  c.argv[0] === "describe" &&
  (c.resources[0] === "nodes" || (c.resources[0] === "namespaces" && c.names.length === 0));

const generated = fc
  .sample(fc.oneof(getOrDescribe, getOrDescribe, logs), { numRuns: 240, seed: 20240611 })
  .filter((c): c is Case => c !== undefined);

/** Where kubectl's output differs from what the case must show. */
function shown(c: Case, ran: KubectlRun): string[] {
  const none =
    ran.stdout === "" ||
    /^No resources found/.test(ran.stderr) ||
    /"items": \[\]|^items: \[\]$/m.test(ran.stdout);
  if ("output" in c.shows) {
    if (c.shows.output) return ran.stdout.trim() ? [] : ["printed nothing"];
    return none ? [] : [`printed what does not exist: ${ran.stdout}`];
  }
  const { names } = c.shows;
  if (names.length === 0) return none ? [] : [`listed what does not exist: ${ran.stdout}`];
  return names.filter((name) => !ran.stdout.includes(name)).map((name) => `never showed ${name}`);
}

describe("against real kubectl", () => {
  const home = kubectlHome();
  afterAll(() => home.remove());
  const kubectl = (argv: readonly string[]) => runKubectl(argv, home.dir);

  test("each refusal stops a request kubectl would really make", async () => {
    const results = await pooled(REFUSED, KUBECTL_AT_ONCE, async ([argv, code, policy]) => ({
      code,
      decision: run(policy, argv),
      ran: await kubectl(argv),
    }));
    for (const { code, decision, ran } of results) {
      const { argv } = ran;
      expect({ argv, decision }).toMatchObject({ argv, decision: { allowed: false, code } });
      expect({ argv, killed: ran.killed }).toEqual({ argv, killed: false });
      const reached = overreach(ran.requests, code === "RESOURCE_RESTRICTED" ? EVERY_NAMESPACE : NOT_KUBE);
      const because = code === "RESOURCE_RESTRICTED" ? /reads secrets/ : /namespace/;
      expect({ argv, reached: reached.some((why) => because.test(why)) }).toEqual({ argv, reached: true });
    }
  }, 600_000);

  test("each approved argv keeps kubectl away from secrets and denied namespaces", async () => {
    const results = await pooled(APPROVED, KUBECTL_AT_ONCE, async ([argv, policy, namespace]) => {
      const decision = run(policy, argv, namespace);
      return { argv, policy, decision, ran: decision.allowed ? await kubectl(decision.argv) : undefined };
    });
    for (const { argv, policy, decision, ran } of results) {
      expect({ argv, allowed: decision.allowed }).toEqual({ argv, allowed: true });
      if (!ran) continue;
      expect({ argv, killed: ran.killed }).toEqual({ argv, killed: false });
      expect({ argv, requested: resourcePaths(ran.requests).length > 0 }).toEqual({ argv, requested: true });
      const reachable = REACHABLE.get(policy) ?? EVERY_NAMESPACE;
      expect({ argv, overreach: overreach(ran.requests, reachable) }).toEqual({ argv, overreach: [] });
    }
  }, 600_000);

  test("known gaps: approved under a deny list, yet kubectl reaches denied namespaces", async () => {
    const results = await pooled(KNOWN_OVERREACH, KUBECTL_AT_ONCE, async (argv) => {
      const decision = run(NO_KUBE, argv);
      return { argv, decision, ran: decision.allowed ? await kubectl(decision.argv) : undefined };
    });
    for (const { argv, decision, ran } of results) {
      expect({ argv, allowed: decision.allowed, killed: ran?.killed }).toEqual({
        argv,
        allowed: true,
        killed: false,
      });
      expect({ argv, overreaches: overreach(ran?.requests ?? [], NOT_KUBE).length > 0 }).toEqual({
        argv,
        overreaches: true,
      });
    }
  }, 600_000);

  test("every generated command decide approves runs, reads what it means, and nothing it must not", async () => {
    const distinct = new Map<string, Case>();
    for (const c of generated) {
      const decision = run(NO_KUBE, c.argv);
      if (decision.allowed && !knownOverreach(c))
        distinct.set(JSON.stringify(decision.argv), { ...c, argv: decision.argv });
    }
    const approved = [...distinct.values()];
    // Enough that a generator gone narrow shows; each one is run below.
    expect(approved.length).toBeGreaterThanOrEqual(60);
    const results = await pooled(approved, KUBECTL_AT_ONCE, async (c) => ({ c, ran: await kubectl(c.argv) }));
    const failures = results.flatMap(({ c, ran }) => {
      const problems = [
        ...(ran.killed ? ["killed"] : []),
        ...(ran.code === 0 ? [] : [`exit ${ran.code}: ${ran.stderr.trim()}`]),
        ...(ran.code === 0 && /error/i.test(ran.stderr) ? [`an error: ${ran.stderr.trim()}`] : []),
        ...shown(c, ran),
        ...c.resources
          .filter(
            (resource) =>
              !resourcePaths(ran.requests).some(
                (path) =>
                  path.resource === resource &&
                  (path.namespace === c.namespace || path.namespace === undefined),
              ),
          )
          .map((resource) => `never read ${resource} in ${c.namespace}`),
        ...overreach(ran.requests, NOT_KUBE),
      ];
      return problems.length ? [{ argv: c.argv.join(" "), problems }] : [];
    });
    expect(failures).toEqual([]);
  }, 900_000);
});
