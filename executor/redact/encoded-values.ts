/**
 * Owns redacting the values Kubernetes keeps in base64, in which no rule on text can see a
 * credential: a Secret's `data` and a ConfigMap's `binaryData`. Whatever replaces such a value is
 * written base64-encoded, as the field is: kubectl's typed clients decode every value (`describe
 * secret` and `describe configmap` print sizes, `describe serviceaccount` finds tokens), and a
 * marker that were not base64 would make them drop the whole object ("illegal base64 data").
 *
 * A Secret holds nothing but credentials by design, so with the `secret-data` rule on every value of
 * its data is replaced, whatever its key is named; `stringData`, which the API never returns but an
 * applied manifest's last-applied-configuration holds, is plain text, and its values become plain
 * markers. Otherwise (a ConfigMap's binary data, a Secret with `secret-data` off) each value is judged
 * as the other rules judge any field: by its key's name, then as the text it decodes to.
 */
import type { Redactor } from "./compile";
import { marker } from "./rule-names";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export const SECRET_DATA = "secret-data";

/** Each kind with base64 values, and the field that holds them. */
const ENCODED_FIELD: Readonly<Record<string, string>> = { Secret: "data", ConfigMap: "binaryData" };

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

/** One value: what replaces it, the same string when nothing does. */
function redactValue(
  redactor: Redactor,
  whole: boolean,
  key: string,
  value: string,
  judge: (text: string) => string,
): string {
  if (value === "") return value;
  if (whole) return encoded(marker(SECRET_DATA));
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
 * Redacts the base64 values of an object of `kind` in place (and with secret-data on, a Secret's
 * `stringData`): true when anything changed. `judge` redacts a string as the structured pass redacts
 * any other. The fields it owns are those `ownedFields` names, which the structured pass then leaves.
 */
export function redactEncodedFields(
  redactor: Redactor,
  kind: string,
  object: JsonObject,
  judge: (text: string) => string,
): boolean {
  const field = ENCODED_FIELD[kind];
  if (field === undefined) return false;
  const whole = kind === "Secret" && redactor.secretData;
  let changed = false;
  const values = object[field];
  if (isObject(values)) {
    for (const [key, value] of Object.entries(values)) {
      if (typeof value !== "string") continue;
      const next = redactValue(redactor, whole, key, value, judge);
      if (next === value) continue;
      values[key] = next;
      changed = true;
    }
  }
  const { stringData } = object;
  if (whole && isObject(stringData)) {
    for (const [key, value] of Object.entries(stringData)) {
      if (typeof value !== "string" || value === "") continue;
      stringData[key] = marker(SECRET_DATA);
      changed = true;
    }
  }
  return changed;
}

const SECRET_FIELDS: ReadonlySet<string> = new Set(["data", "stringData"]);
const NO_FIELDS: ReadonlySet<string> = new Set();
/** Each kind's base64 field alone, made once: this is asked of every object the gate relays. */
const ENCODED_ONLY = new Map(Object.entries(ENCODED_FIELD).map(([kind, field]) => [kind, new Set([field])]));

/** The fields of an object of `kind` that redactEncodedFields has redacted. */
export function ownedFields(redactor: Redactor, kind: string): ReadonlySet<string> {
  if (kind === "Secret" && redactor.secretData) return SECRET_FIELDS;
  return ENCODED_ONLY.get(kind) ?? NO_FIELDS;
}
