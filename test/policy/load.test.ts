/**
 * Loading a policy: defaults, YAML, JSON, and errors that name the field at fault, including
 * fullAccess without its acknowledgement.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_POLICY, loadPolicy, PolicyError, parsePolicy, policyFrom } from "../../executor/policy";

const dir = mkdtempSync(join(tmpdir(), "kubently-policy-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function loadError(load: () => unknown): PolicyError {
  try {
    load();
  } catch (error) {
    if (error instanceof PolicyError) return error;
    throw error;
  }
  throw new Error("expected a PolicyError");
}

describe("defaults", () => {
  test("are read-only, restrict secrets, allow every namespace and answer common reads natively", () => {
    expect(DEFAULT_POLICY).toEqual({
      mode: "readOnly",
      acknowledgeFullAccess: false,
      restrictedResources: ["secrets"],
      allowedNamespaces: ["*"],
      deniedNamespaces: [],
      defaultNamespace: "default",
      maxOutputBytes: 16 * 1024 * 1024,
      maxConcurrency: 4,
      maxTimeoutSeconds: 300,
      defaultTimeoutSeconds: 30,
      maxFollowSeconds: 120,
      nativeReads: true,
    });
  });

  test("are frozen all the way down, and loadPolicy() hands out a copy", () => {
    expect(Object.isFrozen(DEFAULT_POLICY)).toBe(true);
    expect(Object.isFrozen(DEFAULT_POLICY.restrictedResources)).toBe(true);
    const loaded = loadPolicy();
    expect(loaded).toEqual(DEFAULT_POLICY);
    expect(loaded).not.toBe(DEFAULT_POLICY);
  });

  test("an empty file means the defaults", () => {
    expect(loadPolicy(file("empty.yaml", ""))).toEqual(DEFAULT_POLICY);
  });
});

describe("valid files", () => {
  test("YAML, with unspecified fields defaulted", () => {
    const path = file(
      "policy.yaml",
      [
        "mode: extendedReadOnly",
        "restrictedResources: [secrets, configmaps]",
        "deniedNamespaces:",
        "  - kube-system",
        "  - kube-*",
        "maxConcurrency: 8",
      ].join("\n"),
    );
    expect(loadPolicy(path)).toEqual({
      ...DEFAULT_POLICY,
      mode: "extendedReadOnly",
      restrictedResources: ["secrets", "configmaps"],
      deniedNamespaces: ["kube-system", "kube-*"],
      maxConcurrency: 8,
    });
  });

  test("an object already parsed, e.g. from the executor's own config", () => {
    expect(policyFrom({ deniedNamespaces: ["kube-system"] })).toEqual({
      ...DEFAULT_POLICY,
      deniedNamespaces: ["kube-system"],
    });
    expect(loadError(() => policyFrom({ maxTimeoutSeconds: "5m" }, "KUBENTLY_POLICY")).message).toBe(
      'KUBENTLY_POLICY: maxTimeoutSeconds: must be a positive whole number of seconds, got "5m"',
    );
  });

  test("JSON", () => {
    const path = file(
      "policy.json",
      JSON.stringify({ mode: "fullAccess", acknowledgeFullAccess: true, allowedNamespaces: ["team-a-*"] }),
    );
    expect(loadPolicy(path)).toMatchObject({ mode: "fullAccess", allowedNamespaces: ["team-a-*"] });
  });
});

describe("invalid files", () => {
  test.each<[string, string, string, string]>([
    ["a mode that does not exist", "mode: readonly", "mode", "one of readOnly, extendedReadOnly, fullAccess"],
    ["a misspelt field", "acknowledgeFullaccess: true", "acknowledgeFullaccess", "unknown field"],
    [
      "a namespace that is not a name",
      "allowedNamespaces: [Kube_System]",
      "allowedNamespaces/0",
      "namespace name or glob",
    ],
    ["a list given as a string", "deniedNamespaces: kube-system", "deniedNamespaces", "list of namespace"],
    ["a size with a unit", "maxOutputBytes: 1MiB", "maxOutputBytes", "whole number of bytes"],
    ["a zero limit", "maxConcurrency: 0", "maxConcurrency", "positive whole number"],
    ["yes for a boolean", "acknowledgeFullAccess: yes", "acknowledgeFullAccess", "true or false"],
    [
      "a resource with a space",
      "restrictedResources: ['my secrets']",
      "restrictedResources/0",
      "resource name",
    ],
    [
      "a default timeout over the maximum",
      "defaultTimeoutSeconds: 600",
      "defaultTimeoutSeconds",
      "maxTimeoutSeconds",
    ],
  ])("%s", (_, text, field, hint) => {
    const path = file("bad.yaml", text);
    const error = loadError(() => loadPolicy(path));
    expect(error.code).toBe("POLICY_INVALID");
    expect(error.field).toBe(field);
    expect(error.message).toContain(path);
    expect(error.message).toContain(field);
    expect(error.message).toContain(hint);
  });

  test("fullAccess without the acknowledgement", () => {
    const error = loadError(() => loadPolicy(file("full.yaml", "mode: fullAccess")));
    expect(error.code).toBe("FULL_ACCESS_NOT_ACKNOWLEDGED");
    expect(error.field).toBe("acknowledgeFullAccess");
    expect(error.message).toContain("acknowledgeFullAccess: true");
  });

  test("fullAccess acknowledged as false", () => {
    const error = loadError(() => parsePolicy("mode: fullAccess\nacknowledgeFullAccess: false"));
    expect(error.code).toBe("FULL_ACCESS_NOT_ACKNOWLEDGED");
  });

  test("a file that is not YAML", () => {
    const error = loadError(() => loadPolicy(file("broken.yaml", "mode: [readOnly")));
    expect(error.code).toBe("POLICY_SYNTAX");
  });

  test("a key given twice", () => {
    const error = loadError(() => parsePolicy("mode: readOnly\nmode: fullAccess\n"));
    expect(error.code).toBe("POLICY_SYNTAX");
  });

  test("a document that is not a mapping", () => {
    expect(loadError(() => parsePolicy("- readOnly")).code).toBe("POLICY_INVALID");
    expect(loadError(() => parsePolicy("readOnly")).code).toBe("POLICY_INVALID");
  });

  test("a missing file", () => {
    const error = loadError(() => loadPolicy(join(dir, "missing.yaml")));
    expect(error.code).toBe("POLICY_UNREADABLE");
    expect(error.message).toContain("missing.yaml");
  });
});
