/**
 * Owns what `decide` answers: either the argv the executor will run, or a refusal with a short
 * sentence for people and a stable code for machines (dashboards, agents choosing a retry).
 */

/**
 * Every refusal code; stable, so callers may branch on them. All but one come from `decide`, on
 * argv; API_REQUEST_DENIED says the cluster gate refused one of the requests kubectl then made
 * (the result's `refused_request` names it and the gate's rule).
 */
export const DENY_CODES = [
  "API_REQUEST_DENIED",
  "ARGUMENT_INVALID",
  "ARGUMENT_NOT_ALLOWED",
  "ALL_NAMESPACES_DENIED",
  "FLAG_FORBIDDEN",
  "FLAG_NOT_ALLOWED",
  "FLAG_SYNTAX_INVALID",
  "FLAG_VALUE_INVALID",
  "FLAG_VALUE_MISSING",
  "FULL_ACCESS_NOT_ACKNOWLEDGED",
  "NAMESPACE_CONFLICT",
  "NAMESPACE_DENIED",
  "NAMESPACE_INVALID",
  "OUTPUT_FORMAT_NOT_ALLOWED",
  "RESOURCE_RESTRICTED",
  "VERB_NOT_ALLOWED",
  "VERB_UNKNOWN",
  "VERBOSITY_TOO_HIGH",
] as const;

export type DenyCode = (typeof DENY_CODES)[number];

export interface Denial {
  allowed: false;
  reason: string;
  code: DenyCode;
}

export type Decision = { allowed: true; argv: string[] } | Denial;

export function deny(code: DenyCode, reason: string): Denial {
  return { allowed: false, reason, code };
}

const MAX_QUOTED_LENGTH = 80;

/** Quotes a token from argv for a reason sentence: escaped, and cut short so reasons stay short. */
export function quote(token: string): string {
  const shown = token.length > MAX_QUOTED_LENGTH ? `${token.slice(0, MAX_QUOTED_LENGTH)}…` : token;
  return JSON.stringify(shown);
}
