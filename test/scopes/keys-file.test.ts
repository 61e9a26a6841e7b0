/**
 * The keys file: principals with keys and scopes, read whole or refused whole with the line at
 * fault, and never a key in a message.
 */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadKeys, loadOidc, resolveServerConfig } from "../../src/config";
import { KeyFormatError, KeyRing } from "../../src/modules/auth/keys";
import { readPrincipals } from "../../src/modules/auth/principals";

const parsePrincipals = (text: string, source: string) => readPrincipals(text, source).keys;

const KEY = "shop-key-0123456789abcdef";
const GOOD = `# who may do what where
principals:
  shop-team:
    keys: ["${KEY}", "shop-key-2-0123456789abcdef"]
    clusters: ["prod-*", "staging"]
    clusterLabels: { env: prod }
    namespaces: { allow: ["shop"], deny: ["shop-secret*"] }
    mode: readOnly
    rateLimit: "5:10"
    share: 2
  ops:
    keys: ["ops-key-0123456789abcdef"]
`;

describe("a good keys file", () => {
  test("gives each key its principal and scope; unset fields leave that part unscoped", () => {
    const entries = parsePrincipals(GOOD, "keys");
    expect(entries.map((entry) => entry.service)).toEqual(["shop-team", "shop-team", "ops"]);
    expect(entries[0]?.scope).toEqual({
      clusters: ["prod-*", "staging"],
      clusterLabels: { env: "prod" },
      namespaces: { allow: ["shop"], deny: ["shop-secret*"] },
      mode: "readOnly",
      rateLimit: { perSecond: 5, burst: 10 },
      share: 2,
    });
    expect(entries[2]?.scope).toEqual({
      clusters: null,
      clusterLabels: null,
      namespaces: null,
      mode: null,
      rateLimit: undefined,
      share: 1,
    });
    const ring = new KeyRing(entries);
    expect(ring.identify(KEY)).toBe("shop-team");
    expect(ring.scopeOf("shop-team")?.mode).toBe("readOnly");
  });

  test("namespaces: a missing allow means every namespace, a missing deny none", () => {
    const [entry] = parsePrincipals(
      `principals:\n  a:\n    keys: ["${KEY}"]\n    namespaces: { deny: ["kube-*"] }\n`,
      "k",
    );
    expect(entry?.scope?.namespaces).toEqual({ allow: ["*"], deny: ["kube-*"] });
  });
});

describe("a bad keys file is refused whole, naming the line", () => {
  const refusal = (text: string) => {
    try {
      parsePrincipals(text, "keys.yaml");
    } catch (error) {
      expect(error).toBeInstanceOf(KeyFormatError);
      return (error as Error).message;
    }
    throw new Error("the file was accepted");
  };
  const base = (extra: string) => `principals:\n  shop-team:\n    keys: ["${KEY}"]\n${extra}`;

  test.each([
    [
      "an unknown scope field",
      base("    namespacs: { allow: [shop] }\n"),
      4,
      "principals.shop-team.namespacs: unknown field",
    ],
    ["an unknown top-level field", `principals: {}\nusers: {}\n`, 2, "users: unknown field"],
    [
      "a cluster glob that cannot match",
      base('    clusters: ["prod", "Prod_*"]\n'),
      4,
      'principals.shop-team.clusters.1: "Prod_*" may hold only',
    ],
    [
      "a namespace glob ending in '-'",
      base('    namespaces: { allow: ["shop-"] }\n'),
      4,
      '"shop-" can never match',
    ],
    [
      "a mode that is none",
      base("    mode: root\n"),
      4,
      "principals.shop-team.mode: must be one of readOnly",
    ],
    [
      "a share of 0",
      base("    share: 0\n"),
      4,
      "principals.shop-team.share: must be a whole number from 1 to 100",
    ],
    [
      "a rate limit that is none",
      base('    rateLimit: "fast"\n'),
      4,
      "principals.shop-team.rateLimit: 'fast' is not a rate limit",
    ],
    ["a bad principal name", `principals:\n  "shop team":\n    keys: ["${KEY}"]\n`, 2, "a principal name is"],
    [
      "a principal with neither keys nor groups",
      `principals:\n  a:\n    keys: []\n`,
      2,
      "principals.a: give it keys, oidcGroups, or both",
    ],
    ["YAML that is not", "principals:\n  a: [\n", 3, "not valid YAML: Flow sequence"],
    [
      "a principal given twice",
      `principals:\n  a: { keys: ["${KEY}"] }\n  a: { keys: ["${KEY}x"] }\n`,
      3,
      "not valid YAML: Map keys must be unique",
    ],
    [
      "a key given twice",
      `principals:\n  a: { keys: ["${KEY}"] }\n  b:\n    keys: ["${KEY}"]\n`,
      4,
      "principals.b.keys.0: this key is given twice",
    ],
  ])("%s", (_, text, line, message) => {
    const error = refusal(text);
    expect(error).toStartWith(`keys.yaml line ${line}: `);
    expect(error).toContain(message);
  });

  test("a key too short is named by where it is, never shown", () => {
    const error = refusal(`principals:\n  a:\n    keys:\n      - short-secret\n`);
    expect(error).toBe("keys.yaml line 4: principals.a.keys.0: must be a key of at least 16 characters");
  });

  test("YAML broken inside a key never quotes it", () => {
    const error = refusal(`principals:\n  a:\n    keys: ["${KEY}\n    mode: readOnly\n`);
    expect(error).toStartWith("keys.yaml line ");
    expect(error).not.toContain(KEY.slice(0, 8));
  });

  test("a principal both in the keys file and a service:key entry is refused", () => {
    expect(
      () =>
        new KeyRing([{ service: "shop-team", key: "legacy-key-0123456789" }, ...parsePrincipals(GOOD, "k")]),
    ).toThrow("principal 'shop-team' has keys both in the keys file and as a service:key entry");
  });
});

describe("OIDC settings", () => {
  const config = (env: Record<string, string>) =>
    resolveServerConfig({}, { KUBENTLY_API_KEYS: "a:key-0123456789abcdef", ...env });

  test("off without an issuer; an issuer needs an audience and https (http only on loopback)", () => {
    expect(loadOidc(config({}))).toBeNull();
    expect(() => loadOidc(config({ KUBENTLY_OIDC_ISSUER: "https://id.example.com" }))).toThrow(
      "KUBENTLY_OIDC_AUDIENCE",
    );
    expect(() =>
      loadOidc(config({ KUBENTLY_OIDC_ISSUER: "http://id.example.com", KUBENTLY_OIDC_AUDIENCE: "kubently" })),
    ).toThrow("must be an https URL");
    expect(() => loadOidc(config({ KUBENTLY_OIDC_AUDIENCE: "kubently" }))).toThrow(
      "need KUBENTLY_OIDC_ISSUER",
    );
    expect(
      loadOidc(config({ KUBENTLY_OIDC_ISSUER: "http://127.0.0.1:9000", KUBENTLY_OIDC_AUDIENCE: "kubently" })),
    ).toMatchObject({ userClaim: "sub", groupsClaim: "groups", clockSkewSeconds: 60 });
    expect(() => config({ KUBENTLY_OIDC_CLOCK_SKEW_SECONDS: "3600" })).toThrow(ConfigError);
  });

  test("oidcGroups in the keys file need OIDC on", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubently-keys-"));
    try {
      const file = join(dir, "keys.yaml");
      writeFileSync(file, 'principals:\n  shop:\n    oidcGroups: ["shop-devs"]\n');
      expect(() => loadKeys(config({ KUBENTLY_KEYS_FILE: file }))).toThrow(
        "oidcGroups map people signed in through OIDC",
      );
      const keys = loadKeys(
        config({
          KUBENTLY_KEYS_FILE: file,
          KUBENTLY_OIDC_ISSUER: "https://id.example.com",
          KUBENTLY_OIDC_AUDIENCE: "k",
        }),
      );
      expect(keys.clients.mappingFor(["x", "shop-devs"])?.principal).toBe("shop");
      expect(keys.clients.mappingFor(["x"])).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
