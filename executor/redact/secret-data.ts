/**
 * Owns redacting a Secret's data, where the policy lets Secrets be read at all. Its `data` holds
 * base64, in which no rule on text can see a credential, and it holds nothing but credentials by
 * design, so with the `secret-data` rule on every value is replaced, whatever its key is named. The
 * marker is written base64-encoded, as the field is: kubectl's typed clients decode every value
 * (`describe secret` prints sizes, `describe serviceaccount` finds tokens), and a marker that were
 * not base64 would make them drop the whole object ("illegal base64 data"). `stringData`, which the
 * API never returns but an applied manifest's last-applied-configuration holds, is plain text: its
 * values become plain markers. With `secret-data` off, each value is judged as the other rules judge
 * any field, by its key's name, then as the text it decodes to, and written back encoded.
 */
import type { Redactor } from "./compile";
import { marker } from "./rule-names";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export const SECRET_DATA = "secret-data";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function encoded(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}

/** The text a base64 value holds, when it is base64 of UTF-8 text; binary stays unjudged. */
function decodedText(value: string): string | undefined {
  const bytes = Buffer.from(value, "base64");
  // Buffer skips what is not base64: only a value that re-encodes to itself was base64.
  if (bytes.toString("base64") !== value) return undefined;
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** One `data` value: what replaces it, the same string when nothing does. */
function redactValue(
  redactor: Redactor,
  key: string,
  value: string,
  judge: (text: string) => string,
): string {
  if (value === "") return value;
  if (redactor.secretData) return encoded(marker(SECRET_DATA));
  const rule = redactor.ruleForName(key);
  if (rule !== undefined) return encoded(marker(rule));
  const text = decodedText(value);
  if (text === undefined) return value;
  const judged = judge(text);
  return judged === text ? value : encoded(judged);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Redacts a Secret's `data` (and with secret-data on, its `stringData`) in place: true when anything
 * changed. `judge` redacts a string as the structured pass redacts any other. The fields it owns are
 * those `ownedFields` names, which the structured pass then leaves alone.
 */
export function redactSecretFields(
  redactor: Redactor,
  secret: JsonObject,
  judge: (text: string) => string,
): boolean {
  let changed = false;
  const { data, stringData } = secret;
  if (isObject(data)) {
    for (const [key, value] of Object.entries(data)) {
      if (typeof value !== "string") continue;
      const next = redactValue(redactor, key, value, judge);
      if (next === value) continue;
      data[key] = next;
      changed = true;
    }
  }
  if (redactor.secretData && isObject(stringData)) {
    for (const [key, value] of Object.entries(stringData)) {
      if (typeof value !== "string" || value === "") continue;
      stringData[key] = marker(SECRET_DATA);
      changed = true;
    }
  }
  return changed;
}

/** The fields of a Secret that redactSecretFields has redacted. */
export function ownedFields(redactor: Redactor): ReadonlySet<string> {
  return redactor.secretData ? BOTH : DATA_ONLY;
}

const BOTH: ReadonlySet<string> = new Set(["data", "stringData"]);
const DATA_ONLY: ReadonlySet<string> = new Set(["data"]);
