/**
 * Owns the checks on flag values that hold in every mode:
 * - verbosity is capped at 6: from 7 kubectl logs request headers and from 8 response bodies;
 *   old client-go printed bearer tokens there (CVE-2019-11250), and headers or bodies are not
 *   something an agent needs;
 * - output formats that read a template from a file (`-o go-template-file=/path`,
 *   `jsonpath-file`, `custom-columns-file`, `templatefile`) are refused: a template without
 *   actions is printed verbatim, so they would print any file on the executor, its own
 *   service-account token included. Inline templates are fine: they only reshape objects the
 *   command may already read;
 * - a value must not look like a flag (`-l --token=x`, `-l=--token=x`): kubectl would take it as a
 *   value, but refusing it means a disagreement between this parser and some kubectl version about
 *   which flags take values can never turn a value into a flag. Negative numbers (`--tail=-1`) pass;
 * - boolean flags given a value take only the spellings Go's strconv.ParseBool accepts;
 * - `get --subresource` takes only the subresources whose GET reads the object itself: those
 *   kubectl offers (status, scale, resize) and ephemeralcontainers. kubectl puts any value into
 *   the path it GETs, and the others are not reads of the object: `proxy` forwards the GET to the
 *   pod, service or node, `exec`, `attach` and `portforward` open a stream into a container, `log`
 *   is the `logs` command's (with its own flag checks), `token` and `eviction` act when posted; an
 *   unknown one stays refused until someone reviews it. (`auth can-i --subresource` only asks
 *   about permissions, so any value passes there.)
 */
import { type Denial, deny, quote } from "./decision";
import type { ParsedFlag } from "./parse";

export const MAX_VERBOSITY = 6;

const READ_SUBRESOURCES: ReadonlySet<string> = new Set(["status", "scale", "resize", "ephemeralcontainers"]);

const TRUE_VALUES = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const BOOL_VALUES = new Set([...TRUE_VALUES, "0", "f", "F", "FALSE", "false", "False"]);

/** Whether a boolean flag is on: written bare, or with a true value. */
export function flagIsOn(flag: ParsedFlag): boolean {
  return flag.value === undefined || TRUE_VALUES.has(flag.value);
}

/** How a flag was written, for reasons: `--server`, or `-s` (in "-As"). */
export function describeFlag(flag: ParsedFlag): string {
  if (flag.short === undefined) return flag.raw.split("=")[0] ?? flag.raw;
  const written = `-${flag.short}`;
  return flag.raw === written ? written : `${written} (in ${quote(flag.raw)})`;
}

function outputFormat(value: string): string {
  return (value.split("=")[0] ?? value).trim().toLowerCase();
}

function readsTemplateFile(format: string): boolean {
  return format.endsWith("-file") || format === "templatefile";
}

/** The value checks for `flag` on the command at `path` ("get", "rollout status"). */
export function checkFlagValue(flag: ParsedFlag, path: string): Denial | undefined {
  const { value } = flag;
  if (value === undefined) return undefined;
  if (flag.kind === "bool") {
    return BOOL_VALUES.has(value)
      ? undefined
      : deny("FLAG_VALUE_INVALID", `${describeFlag(flag)} takes true or false, not ${quote(value)}.`);
  }
  if (/^-\D/.test(value) || value === "-") {
    return deny(
      "FLAG_VALUE_INVALID",
      `The value ${quote(value)} of ${describeFlag(flag)} looks like a flag.`,
    );
  }
  if (flag.name === "v") {
    if (!/^\d+$/.test(value)) {
      return deny("FLAG_VALUE_INVALID", `${describeFlag(flag)} takes a number, not ${quote(value)}.`);
    }
    return Number(value) > MAX_VERBOSITY
      ? deny(
          "VERBOSITY_TOO_HIGH",
          `Verbosity ${quote(value)} is above ${MAX_VERBOSITY}: higher levels log HTTP headers and bodies.`,
        )
      : undefined;
  }
  if (flag.name === "subresource" && path === "get" && !READ_SUBRESOURCES.has(value)) {
    return deny(
      "FLAG_VALUE_INVALID",
      `${describeFlag(flag)} of get takes ${[...READ_SUBRESOURCES].join(", ")}, not ${quote(value)}: only these are reads of the object.`,
    );
  }
  if (flag.name === "output" && readsTemplateFile(outputFormat(value))) {
    return deny(
      "OUTPUT_FORMAT_NOT_ALLOWED",
      `Output format ${quote(value)} reads a template file on the executor.`,
    );
  }
  return undefined;
}
