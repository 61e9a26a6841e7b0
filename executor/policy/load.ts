/**
 * Owns getting a policy: the defaults (`DEFAULT_POLICY`: readOnly, secrets restricted, every
 * namespace allowed, native reads on), and loading a YAML or JSON file over them (the yaml package reads both,
 * and rejects duplicate keys so a file cannot say `mode` twice). Every value is checked against
 * the typebox schema, and errors name the field and what it must be; fullAccess must be
 * acknowledged in the same file, so that one mistyped word cannot hand agents write access.
 * Redaction rules are compiled at load too (redact/compile.ts), so a bad pattern stops the start.
 */
import { readFileSync } from "node:fs";
import { type ValueError, ValueErrorType } from "@sinclair/typebox/errors";
import { Value } from "@sinclair/typebox/value";
import { parse as parseYaml } from "yaml";
import { compileRedaction, RedactionRuleError } from "../redact/compile";
import { type Policy, PolicySchema } from "./schema";

// Frozen all the way down: it is shared, and a caller mutating it would change every default.
export const DEFAULT_POLICY: Policy = Object.freeze({
  mode: "readOnly",
  acknowledgeFullAccess: false,
  restrictedResources: Object.freeze(["secrets"]),
  allowedNamespaces: Object.freeze(["*"]),
  deniedNamespaces: Object.freeze([]),
  defaultNamespace: "default",
  maxOutputBytes: 16 * 1024 * 1024,
  maxConcurrency: 4,
  maxTimeoutSeconds: 300,
  defaultTimeoutSeconds: 30,
  // The longest window a following command (logs -f, get -w) runs for here, whatever the server allows.
  maxFollowSeconds: 120,
  nativeReads: true,
});

export type PolicyErrorCode =
  | "POLICY_UNREADABLE"
  | "POLICY_SYNTAX"
  | "POLICY_INVALID"
  | "FULL_ACCESS_NOT_ACKNOWLEDGED";

export class PolicyError extends Error {
  constructor(
    readonly code: PolicyErrorCode,
    message: string,
    /** The offending field, as a path like "allowedNamespaces/0". */
    readonly field?: string,
  ) {
    super(message);
    this.name = "PolicyError";
  }
}

function describeError(error: ValueError): { field: string; message: string } {
  const field = error.path.replace(/^\//, "");
  if (error.type === ValueErrorType.ObjectAdditionalProperties) {
    return { field, message: `${field}: unknown field` };
  }
  // Every field's schema carries a description written to finish the sentence "must be ...".
  const expected = typeof error.schema.description === "string" ? error.schema.description : "valid";
  return { field, message: `${field}: must be ${expected}, got ${JSON.stringify(error.value)}` };
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks a parsed document (fields over the defaults) and returns the policy it describes. */
export function policyFrom(document: unknown, source = "policy"): Policy {
  if (document !== null && document !== undefined && !isMapping(document)) {
    throw new PolicyError("POLICY_INVALID", `${source}: must be a mapping of policy fields`);
  }
  const candidate = { ...structuredClone(DEFAULT_POLICY), ...document };
  const [first] = Value.Errors(PolicySchema, candidate);
  if (first !== undefined) {
    const { field, message } = describeError(first);
    throw new PolicyError("POLICY_INVALID", `${source}: ${message}`, field);
  }
  const policy = candidate as Policy;
  if (policy.mode === "fullAccess" && !policy.acknowledgeFullAccess) {
    throw new PolicyError(
      "FULL_ACCESS_NOT_ACKNOWLEDGED",
      `${source}: mode fullAccess lets agents change the cluster; set acknowledgeFullAccess: true to confirm`,
      "acknowledgeFullAccess",
    );
  }
  if (policy.defaultTimeoutSeconds > policy.maxTimeoutSeconds) {
    throw new PolicyError(
      "POLICY_INVALID",
      `${source}: defaultTimeoutSeconds (${policy.defaultTimeoutSeconds}) must not exceed maxTimeoutSeconds (${policy.maxTimeoutSeconds})`,
      "defaultTimeoutSeconds",
    );
  }
  try {
    compileRedaction(policy.redaction);
  } catch (error) {
    if (!(error instanceof RedactionRuleError)) throw error;
    throw new PolicyError("POLICY_INVALID", `${source}: ${error.message}`, error.field);
  }
  return policy;
}

/** Parses YAML or JSON policy text; an empty document means the defaults. */
export function parsePolicy(text: string, source = "policy"): Policy {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    // The yaml package appends a code excerpt on further lines; its first line says what and where.
    const [summary] = (error as Error).message.split("\n");
    throw new PolicyError("POLICY_SYNTAX", `${source}: not valid YAML or JSON: ${summary}`);
  }
  return policyFrom(document, source);
}

/** The policy in the file at `path`, or the defaults when no path is given. */
export function loadPolicy(path?: string): Policy {
  if (path === undefined) return structuredClone(DEFAULT_POLICY);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new PolicyError(
      "POLICY_UNREADABLE",
      `policy file ${path}: cannot be read: ${(error as Error).message}`,
    );
  }
  return parsePolicy(text, `policy file ${path}`);
}
