/**
 * The gate's decision function over generated requests. Requests are generated as parts (method,
 * group, resource, namespace, name, subresource) and written out as the URL kubectl would send;
 * the expected decision is computed from the parts by rules written here from the README's table,
 * not from executor/gate, so a parser that misreads a path shows up as a disagreement.
 */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { decideRequest, parseApiRequest } from "../../executor/gate";
import { policyFrom } from "../../executor/policy";

const policy = policyFrom({ deniedNamespaces: ["kube-*"] });
const open = policyFrom({});
const SAFE_SUBRESOURCES = ["log", "status", "scale", "ephemeralcontainers", "resize"];
const REVIEWS: Record<string, string> = {
  selfsubjectaccessreviews: "authorization.k8s.io",
  selfsubjectrulesreviews: "authorization.k8s.io",
  selfsubjectreviews: "authentication.k8s.io",
};

interface Parts {
  method: string;
  group: string;
  resource: string;
  namespace?: string;
  name?: string;
  sub?: string;
  watchPrefix: boolean;
}

const parts: fc.Arbitrary<Parts> = fc.record(
  {
    method: fc.constantFrom("GET", "GET", "GET", "POST", "PUT", "PATCH", "DELETE"),
    group: fc.constantFrom("", "apps", "authorization.k8s.io", "authentication.k8s.io", "bitnami.com"),
    resource: fc.constantFrom(
      "pods",
      "secrets",
      "configmaps",
      "nodes",
      "serviceaccounts",
      "sealedsecrets",
      ...Object.keys(REVIEWS),
    ),
    namespace: fc.constantFrom("shop", "default", "kube-system", "kube-public", "kubeflow"),
    name: fc.constantFrom("web", "kube-system", "db"),
    sub: fc.constantFrom(
      ...SAFE_SUBRESOURCES,
      "proxy",
      "exec",
      "attach",
      "portforward",
      "token",
      "eviction",
      "binding",
    ),
    watchPrefix: fc.boolean(),
  },
  { requiredKeys: ["method", "group", "resource", "watchPrefix"] },
);

function urlOf(p: Parts): URL {
  const base = p.group === "" ? "/api/v1" : `/apis/${p.group}/v1`;
  const watch = p.watchPrefix ? "/watch" : "";
  const ns = p.namespace === undefined ? "" : `/namespaces/${p.namespace}`;
  const name = p.name === undefined ? "" : `/${p.name}`;
  const sub = p.name !== undefined && p.sub !== undefined ? `/${p.sub}` : "";
  return new URL(`https://gate${base}${watch}${ns}/${p.resource}${name}${sub}`);
}

/** The README's rules, applied to the parts. */
function expected(p: Parts): boolean {
  const sub = p.name === undefined ? undefined : p.sub;
  const isReview = REVIEWS[p.resource] === p.group && p.namespace === undefined && p.name === undefined;
  if (p.method !== "GET" && !(p.method === "POST" && isReview && !p.watchPrefix)) return false;
  if (sub !== undefined && !SAFE_SUBRESOURCES.includes(sub)) return false;
  if (p.resource === "secrets" || p.resource === "sealedsecrets") return false;
  if (p.namespace?.startsWith("kube-")) return false;
  return true;
}

describe("the gate's decision on generated requests", () => {
  test("agrees with the rules computed from the request's parts", () => {
    fc.assert(
      fc.property(parts, (p) => {
        const restricted = policyFrom({
          deniedNamespaces: ["kube-*"],
          restrictedResources: ["secrets", "sealedsecrets.bitnami.com"],
        });
        const decision = decideRequest(restricted, parseApiRequest(p.method, urlOf(p)));
        expect(decision.allowed).toBe(expected(p));
      }),
      { numRuns: 2_000, seed: 1_2026 },
    );
  });

  test("a cluster-wide list or watch is filtered when namespaces are restricted, and only then", () => {
    fc.assert(
      fc.property(parts, (p) => {
        const get = { ...p, method: "GET", namespace: undefined, name: undefined };
        const request = parseApiRequest("GET", urlOf(get));
        const restricted = decideRequest(policy, request);
        const unrestricted = decideRequest(open, request);
        if (!restricted.allowed || !unrestricted.allowed) return;
        expect(restricted.filter).toBe("items-by-namespace");
        expect(unrestricted.filter).toBe("none");
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  test("the namespace object is judged by its name; its list is filtered by name", () => {
    const get = (path: string) =>
      decideRequest(policy, parseApiRequest("GET", new URL(`https://gate${path}`)));
    expect(get("/api/v1/namespaces/kube-system").allowed).toBe(false);
    expect(get("/api/v1/namespaces/kube-system/status").allowed).toBe(false);
    expect(get("/api/v1/namespaces/shop")).toEqual({ allowed: true, filter: "none" });
    expect(get("/api/v1/namespaces")).toEqual({ allowed: true, filter: "namespaces-by-name" });
    expect(get("/api/v1/watch/namespaces")).toEqual({ allowed: true, filter: "namespaces-by-name" });
  });

  test("any path, however written, never throws, and a secrets segment is never allowed", () => {
    const segment = fc.constantFrom(
      "api",
      "apis",
      "v1",
      "namespaces",
      "shop",
      "secrets",
      "Secrets",
      "SECRETS",
      "%73ecrets",
      "pods",
      "watch",
      "..",
      ".",
      "%2F",
      "%2e%2e",
      "",
      "log",
      "version",
      "openapi",
      "v3",
    );
    fc.assert(
      fc.property(
        fc.array(segment, { maxLength: 8 }),
        fc.constantFrom("GET", "POST", "DELETE"),
        (segments, method) => {
          const url = new URL(`https://gate/${segments.join("/")}`);
          const decision = decideRequest(policy, parseApiRequest(method, url));
          const decoded = url.pathname.split("/").map((s) => {
            try {
              return decodeURIComponent(s).toLowerCase();
            } catch {
              return s;
            }
          });
          // `/apis/secrets` would be the discovery document of a group of that name: no objects.
          const groupDocument = /^\/apis\/[^/]+\/?$/.test(url.pathname);
          if (
            decoded.includes("secrets") &&
            !groupDocument &&
            !/^\/(version|openapi)(\/|$)/.test(url.pathname)
          ) {
            expect(decision.allowed).toBe(false);
          }
        },
      ),
      { numRuns: 3_000, seed: 42 },
    );
  });
});
