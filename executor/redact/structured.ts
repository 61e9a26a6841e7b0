/**
 * Owns redacting parsed JSON: Kubernetes objects, lists, server-side Tables and watch events as
 * the cluster gate relays them, so kubectl (or a native read) prints the redacted value in any
 * format it prints. A string is replaced whole when its name says it is a credential (a field or
 * map key such as a ConfigMap's `DB_PASSWORD`, the `value` of a `{name, value}` pair such as an
 * env entry, a Table cell under such a column); any other string is redacted as text, and a string
 * that holds a JSON object (`kubectl.kubernetes.io/last-applied-configuration`, a config file in
 * a ConfigMap) is parsed and redacted the same way, then written back. Names are never redacted.
 *
 * What identifies or selects objects is left as the API server sent it: metadata (but for its
 * annotations), object references and selectors. kubectl builds further requests from them (logs
 * of a Deployment lists its pods by selector and asks for a pod by name); a rule that matched a
 * name there would send kubectl to a path that does not exist. Where such a value is printed, the
 * agent's pass over the final text redacts it all the same.
 */
import type { Redactor } from "./compile";
import { ownedFields, redactEncodedFields } from "./encoded-values";
import { marker } from "./rule-names";
import { redactText } from "./text";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const ANY_MARKER = /^\[REDACTED:[a-z0-9-]{1,40}\]$/;

/** The kinds whose base64 fields encoded-values.ts owns, and the lists whose items are of them. */
const HOLDS_BASE64: ReadonlySet<string> = new Set(["Secret", "ConfigMap"]);
const ITEM_KIND = new Map([...HOLDS_BASE64].map((kind) => [`${kind}List`, kind]));

/** Fields kubectl reads to make its next requests: never rewritten here. */
const IDENTITY = new Set(["involvedObject", "regarding", "related", "ownerReferences", "selector"]);

/** The string a named credential becomes; an empty one or one already redacted stays. */
function replaced(value: string, rule: string): string {
  return value === "" || ANY_MARKER.test(value) ? value : marker(rule);
}

/**
 * Strings a redactor found nothing in, per redactor, up to a bound: responses repeat them call after
 * call (a Table's column descriptions, a status, an image), and judging a Table's long descriptions
 * cost more than the rest of a small list. Only strings that came back unchanged are kept, so what is
 * kept holds nothing any rule sees as a credential; a name rule is applied before this, by the field.
 * Bounded to 2,048 strings of at most 1,024 characters (a few MiB at worst; descriptions are ~400).
 */
const CLEAN_LIMIT = 2048;
const CLEAN_MAX_CHARS = 1024;
const cleanByRedactor = new WeakMap<Redactor, Set<string>>();

/** A string redacted as text, or as the JSON object it holds; one found clean before is not judged again. */
function redactString(redactor: Redactor, value: string): string {
  let clean = cleanByRedactor.get(redactor);
  if (clean === undefined) {
    clean = new Set();
    cleanByRedactor.set(redactor, clean);
  }
  if (clean.has(value)) return value;
  const out = judgeString(redactor, value);
  if (out === value && value.length <= CLEAN_MAX_CHARS) {
    if (clean.size >= CLEAN_LIMIT) clean.clear();
    clean.add(value);
  }
  return out;
}

function judgeString(redactor: Redactor, value: string): string {
  const start = value.trimStart();
  if (start.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = undefined;
    }
    if (isObject(parsed)) {
      if (!redactNode(redactor, parsed)) return value;
      // kubectl writes last-applied-configuration with a trailing newline: keep what was there.
      const tail = value.slice(value.trimEnd().length);
      return JSON.stringify(parsed) + tail;
    }
  }
  return redactText(redactor, value);
}

/** Cells under a column whose name says credential (a CRD's printer column, say). */
function redactTableCells(redactor: Redactor, table: JsonObject): boolean {
  const { columnDefinitions, rows } = table;
  if (!Array.isArray(columnDefinitions) || !Array.isArray(rows)) return false;
  const rules = columnDefinitions.map((column) =>
    isObject(column) && typeof column.name === "string" ? redactor.ruleForName(column.name) : undefined,
  );
  if (rules.every((rule) => rule === undefined)) return false;
  let changed = false;
  for (const row of rows) {
    if (!isObject(row) || !Array.isArray(row.cells)) continue;
    row.cells.forEach((cell, index) => {
      const rule = rules[index];
      if (rule === undefined || typeof cell !== "string") return;
      const next = replaced(cell, rule);
      if (next !== cell) {
        (row.cells as Json[])[index] = next;
        changed = true;
      }
    });
  }
  return changed;
}

/** A field's value when its name says credential: strings and lists of strings are replaced. */
function redactNamed(value: Json, rule: string): Json {
  if (typeof value === "string") return replaced(value, rule);
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) return value;
  const items = value.map((item) => replaced(item as string, rule));
  return items.some((item, index) => item !== value[index]) ? items : value;
}

/**
 * One child of an object or array, under the name rule its name matched if any: what to store in
 * its place when anything in it changed (objects and arrays change in place), else undefined.
 */
function redactChild(redactor: Redactor, value: Json, rule?: string): Json | undefined {
  let next = rule === undefined ? value : redactNamed(value, rule);
  if (next === value && typeof value === "string") next = redactString(redactor, value);
  if (next !== value) return next;
  return value !== null && typeof value === "object" && redactNode(redactor, value) ? value : undefined;
}

/**
 * Redacts a parsed JSON value in place; true when anything changed. `itemKind` is the kind of an
 * item of a list (a SecretList's), which carries no kind of its own.
 */
function redactNode(redactor: Redactor, node: Json, itemKind?: string): boolean {
  let changed = false;
  if (Array.isArray(node)) {
    node.forEach((item, index) => {
      const next = redactChild(redactor, item);
      if (next === undefined) return;
      node[index] = next;
      changed = true;
    });
    return changed;
  }
  if (!isObject(node)) return false;
  const kind = typeof node.kind === "string" ? node.kind : itemKind;
  if (kind === "Table") changed = redactTableCells(redactor, node);
  const encoded = kind !== undefined && HOLDS_BASE64.has(kind) ? ownedFields(redactor, kind) : undefined;
  if (kind !== undefined && encoded !== undefined) {
    changed = redactEncodedFields(redactor, kind, node, (text) => redactString(redactor, text)) || changed;
  }
  // {name: DB_PASSWORD, value: …}: env entries and the many lists shaped like them.
  const pairRule = typeof node.name === "string" ? redactor.ruleForName(node.name) : undefined;
  for (const key of Object.keys(node)) {
    const value = node[key] as Json;
    if (IDENTITY.has(key) || encoded?.has(key)) continue;
    if (key === "items" && kind !== undefined && Array.isArray(value)) {
      const listed = ITEM_KIND.get(kind);
      if (listed !== undefined) {
        for (const item of value) changed = redactNode(redactor, item, listed) || changed;
        continue;
      }
    }
    if (key === "metadata") {
      const annotations = isObject(value) ? value.annotations : undefined;
      if (isObject(annotations)) changed = redactNode(redactor, annotations) || changed;
      continue;
    }
    const next = redactChild(
      redactor,
      value,
      key === "value" && pairRule !== undefined ? pairRule : redactor.ruleForName(key),
    );
    if (next === undefined) continue;
    node[key] = next;
    changed = true;
  }
  return changed;
}

/**
 * A whole JSON response body, redacted; the same text when nothing in it is a credential. A body
 * that is not JSON, or nests too deep to walk, is redacted as text: a credential never passes.
 */
export function redactJsonText(redactor: Redactor, text: string): string {
  return redactJson(redactor, text).text;
}

/**
 * As redactJsonText, with the value the text holds (redacted) when it is JSON: a reader in process
 * need not parse the text again.
 */
export function redactJson(redactor: Redactor, text: string): { text: string; value?: unknown } {
  try {
    const body = JSON.parse(text) as Json;
    return { text: redactNode(redactor, body) ? JSON.stringify(body) : text, value: body };
  } catch {
    return { text: redactText(redactor, text) };
  }
}
