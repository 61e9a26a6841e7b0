/**
 * Owns the names of the default redaction rules: the closed list a policy may switch off, and
 * the shape a policy's own rule names must have. It imports nothing, so the policy schema can
 * build its checks from it without depending on how the rules work.
 */
export const DEFAULT_RULE_NAMES = [
  "secret-name",
  "secret-data",
  "private-key",
  "jwt",
  "aws-access-key",
  "github-token",
  "gitlab-token",
  "slack-token",
  "bearer-token",
  "url-password",
] as const;

export type DefaultRuleName = (typeof DEFAULT_RULE_NAMES)[number];

/** A policy rule's name: it appears in `[REDACTED:<name>]` and in results' `redactions`. */
export const RULE_NAME_PATTERN = "^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$";

/** What replaces a redacted value. */
export function marker(rule: string): string {
  return `[REDACTED:${rule}]`;
}
