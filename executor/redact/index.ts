/**
 * Redaction inside the cluster: credentials in what a command printed are replaced by
 * `[REDACTED:<rule>]` before its result leaves the executor. The cluster gate redacts the JSON
 * responses it relays (structured.ts), the agent redacts the final text and counts (result.ts).
 * Imports nothing from src/ but the wire models: the executor ships on its own.
 */
export { compileRedaction, RedactionRuleError, type Redactor, redactorFor } from "./compile";
export { isCredentialName } from "./names";
export { countMarkers, redactResult } from "./result";
export { DEFAULT_RULE_NAMES } from "./rule-names";
export { redactJson, redactJsonText } from "./structured";
export { redactText } from "./text";
