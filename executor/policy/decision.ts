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

/**
 * Where a token carries a value for --token or --password, whatever came before it (`-l=--token=x`,
 * `---token=x`): the reason names the flag but never repeats the value, which the executor logs.
 * A reason quotes one token, so a value given as the next argument is not in it: that token is the
 * flag alone. (The audit trail masks args by the same rule in src/models, which the policy does not
 * import.)
 */
const SECRET_VALUE = /(--(?:token|password)=).*/s;

/** Quotes a token from argv for a reason sentence: escaped, secrets masked, cut short so reasons stay short. */
export function quote(token: string): string {
  const masked = token.replace(SECRET_VALUE, "$1***");
  const shown = masked.length > MAX_QUOTED_LENGTH ? `${masked.slice(0, MAX_QUOTED_LENGTH)}…` : masked;
  return JSON.stringify(shown);
}
