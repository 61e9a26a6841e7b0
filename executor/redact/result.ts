/**
 * Owns the last step before a result leaves the executor: its stdout and stderr redacted as text
 * (what the cluster gate already redacted in structured responses carries markers, which no rule
 * matches again; a credential the output cap cut is redacted from its first characters on), and
 * `redactions` counting, per rule, the markers the caller will see. Counting the markers in the
 * final output, rather than each replacement where it was made, is what keeps the count honest: a
 * value the gate redacted in a response kubectl then did not print is not counted, and one
 * redacted in the gate is not counted again here. A Secret's value is counted where its marker is
 * printed, base64-encoded (`-o yaml`) or decoded (a token `describe` prints), not where `describe
 * secret` prints only its size.
 */
import type { CommandResult } from "../../src/models";
import type { Policy } from "../policy/schema";
import { type Redactor, redactorFor } from "./compile";
import { findMarkers, mayHoldMarker } from "./markers";
import { marker } from "./rule-names";
import { redactText } from "./text";

/** How far back from a cut end a credential's start is looked for. */
const CUT_TAIL = 4096;

/**
 * The end of an output the cap cut off: a credential whose start survived (`ghp_16C7e4…`, an
 * `eyJ…` JWT without its signature) is redacted from its start to the end.
 */
function redactCutEnd(redactor: Redactor, text: string): string {
  const tail = text.slice(-CUT_TAIL);
  for (const rule of redactor.valueRules) {
    const found = rule.cutStart?.exec(tail);
    if (found) return text.slice(0, text.length - tail.length + found.index) + marker(rule.name);
  }
  return text;
}

/** How many markers of each active rule `texts` show. */
export function countMarkers(redactor: Redactor, ...texts: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  // Made only for an output with a marker: most have none, and this runs on every result.
  let active: ReadonlySet<string> | undefined;
  for (const text of texts) {
    if (!mayHoldMarker(text)) continue;
    for (const { rule } of findMarkers(text)) {
      active ??= new Set(redactor.ruleNames);
      if (active.has(rule)) counts[rule] = (counts[rule] ?? 0) + 1;
    }
  }
  return counts;
}

/** The result with its output redacted under the policy's rules, and `redactions` when any. */
export function redactResult(policy: Policy, result: CommandResult): CommandResult {
  const redactor = redactorFor(policy);
  const redact = (text: string) => {
    const redacted = redactText(redactor, text);
    return result.truncated ? redactCutEnd(redactor, redacted) : redacted;
  };
  const stdout = redact(result.stdout);
  const stderr = redact(result.stderr);
  const redactions = countMarkers(redactor, stdout, stderr);
  if (Object.keys(redactions).length > 0) return { ...result, stdout, stderr, redactions };
  // Most outputs hold nothing to redact: the result as it was, not a copy of it.
  return stdout === result.stdout && stderr === result.stderr ? result : { ...result, stdout, stderr };
}
