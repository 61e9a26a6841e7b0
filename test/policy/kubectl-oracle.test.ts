/**
 * The policy checked against kubectl itself. Real kubectl runs against the Kubernetes API
 * stand-in (one per run, so parallel runs keep separate records), which records what it is asked for:
 * - every refusal below is real: kubectl, given that argv, does request secrets, a denied
 *   namespace or every namespace, so the spellings the policy refuses are ones kubectl resolves;
 * - every approval is safe: the argv `decide` returns makes kubectl request no secret and no
 *   denied namespace, so the parser agrees with kubectl on which token is the type, which is a
 *   name and which namespace is used. Besides a table, this runs on argv generated from tokens
 *   that matter to kubectl (fixed seed, so a failure reproduces).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import type { DenyCode, Policy } from "../../executor/policy";
import { startKubeStandin } from "../k8s/standin";
import { NO_KUBE, READ_ONLY, run } from "./helpers";

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

// Tokens kubectl gives meaning to, for generated argv; nothing that streams or watches.
const TOKENS = [
  "pods",
  "secrets",
  "pods,secrets",
  "Secret.v1.",
  "secret/db",
  "secret.",
  "ns",
  "web",
  "credit-service",
  "deploy/web",
  "kube-system",
  "shop",
  "-n",
  "-nkube-system",
  "--namespace=shop",
  "-A",
  "-Afalse",
  "--all-namespaces=false",
  "--",
  "-o",
  "yaml",
  "name",
  "-l",
  "app=web",
  "--sort-by",
  "--show-kind",
  "-c",
  "app",
];
const generated = fc.sample(
  fc.tuple(
    fc.constantFrom("get", "describe", "logs"),
    fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 6 }),
  ),
  { numRuns: 400, seed: 20240611 },
);

/** The resource an API path is about: `/api/v1/namespaces/shop/pods/secrets` is about pods. */
function resourceOf(path: string): string | undefined {
  const parts = path.split("/").filter(Boolean);
  const rest = parts.slice(parts[0] === "api" ? 2 : 3);
  return rest[0] === "namespaces" && rest.length > 2 ? rest[2] : rest[0];
}

function readsSecrets(path: string): boolean {
  return resourceOf(path) === "secrets";
}

/** A path in a denied namespace, or a list across every namespace. */
function reachesDenied(path: string): boolean {
  return /\/namespaces\/kube-/.test(path) || path === "/api/v1/pods";
}

describe("against real kubectl", () => {
  const dir = mkdtempSync(join(tmpdir(), "kubently-oracle-"));
  let runs = 0;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs kubectl with argv against a fresh stand-in; the API paths it requested. */
  async function requested(argv: readonly string[]): Promise<string[]> {
    const standin = await startKubeStandin();
    try {
      const child = Bun.spawn(["kubectl", ...argv], {
        env: {
          PATH: process.env.PATH ?? "",
          HOME: dir,
          KUBECONFIG: standin.kubeconfigPath,
          KUBECACHEDIR: join(dir, `cache-${runs++}`),
        },
        stdout: "ignore",
        stderr: "ignore",
        timeout: 15_000,
      });
      await child.exited;
      return standin.requests.map((request) => request.pathname);
    } finally {
      await standin.stop();
    }
  }

  test("each refusal stops a request kubectl would really make", async () => {
    const results = await Promise.all(
      REFUSED.map(async ([argv, code, policy]) => ({
        argv,
        decision: run(policy, argv),
        code,
        paths: await requested(argv),
      })),
    );
    for (const { argv, decision, code, paths } of results) {
      expect({ argv, decision }).toMatchObject({ argv, decision: { allowed: false, code } });
      const reached = paths.some(code === "RESOURCE_RESTRICTED" ? readsSecrets : reachesDenied);
      expect({ argv, reached }).toEqual({ argv, reached: true });
    }
  });

  test("each approved argv keeps kubectl away from secrets and denied namespaces", async () => {
    const results = await Promise.all(
      APPROVED.map(async ([argv, policy, namespace]) => {
        const decision = run(policy, argv, namespace);
        return { argv, decision, paths: decision.allowed ? await requested(decision.argv) : [] };
      }),
    );
    for (const { argv, decision, paths } of results) {
      expect({ argv, allowed: decision.allowed }).toEqual({ argv, allowed: true });
      expect(paths.length).toBeGreaterThan(0);
      expect({ argv, secrets: paths.filter(readsSecrets) }).toEqual({ argv, secrets: [] });
      expect({ argv, denied: paths.filter(reachesDenied) }).toEqual({ argv, denied: [] });
    }
  });

  test("generated argv that decide approves keep kubectl away from secrets and denied namespaces", async () => {
    const distinct = new Map<string, string[]>();
    for (const [verb, args] of generated) {
      const decision = run(NO_KUBE, [verb, ...args]);
      if (decision.allowed) distinct.set(JSON.stringify(decision.argv), decision.argv);
    }
    const approved = [...distinct.values()].slice(0, 24);
    expect(approved.length).toBe(24);
    const results = await Promise.all(approved.map(async (argv) => ({ argv, paths: await requested(argv) })));
    for (const { argv, paths } of results) {
      expect({ argv, secrets: paths.filter(readsSecrets) }).toEqual({ argv, secrets: [] });
      expect({ argv, denied: paths.filter(reachesDenied) }).toEqual({ argv, denied: [] });
    }
  });
});
