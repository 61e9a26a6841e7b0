/**
 * Owns what `kubectl explain` prints from an OpenAPI v3 document: kubectl v1.32's plaintext
 * template (pkg/explain/v2/templates/plaintext.tmpl) followed define by define, with Go's template
 * truth (nil, false, 0, "", empty lists and maps are false), `or` returning its first true argument,
 * maps ranged in key order, `$ref`s resolved only as fragments of the document, and the template's
 * own history of references followed, which ends a cycle. What the template writes before it
 * fails stays written, as kubectl's stdout keeps it. Anything the template would print through
 * Go's formatting of a value that is not text (an enum of numbers, a `type` that is a list), or
 * fail on outside its own `throw`, is Unsupported: the command runs kubectl.
 */

import { wrapString } from "./word-wrap";

type Json = unknown;
type JsonObject = Record<string, Json>;

/** What the template cannot be followed through here; the command runs kubectl. */
export class Unsupported extends Error {}

/** The explain errors the template throws: kubectl prints them, after what was written before. */
export class ExplainError extends Error {
  constructor(
    readonly printed: string,
    message: string,
  ) {
    super(message);
  }
}

const isObject = (value: Json): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Go template truth of a JSON value. */
function truth(value: Json): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isObject(value)) return Object.keys(value).length > 0;
  return true;
}

const or = (...values: Json[]): Json => values.find(truth) ?? values.at(-1);
const field = (value: Json, key: string): Json => (isObject(value) ? value[key] : undefined);
/** A map's entries in key order, as Go's range visits them; nothing for anything else. */
const ranged = (value: Json): [string, Json][] =>
  isObject(value) ? Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : [];
/** A list's items; a map's values in key order, as range visits them. */
const items = (value: Json): Json[] => (Array.isArray(value) ? value : ranged(value).map(([, v]) => v));
const indent = (amount: number, text: string) => {
  const pad = " ".repeat(amount);
  return pad + text.replaceAll("\n", `\n${pad}`);
};
/** A map-valued additionalProperties, which the template follows (a boolean one it does not). */
const mapValues = (schema: Json): Json =>
  truth(field(schema, "additionalProperties")) && typeof field(schema, "additionalProperties") !== "boolean"
    ? field(schema, "additionalProperties")
    : undefined;

/** The text Go's template prints for a value: strings only here. */
function printed(value: Json): string {
  if (typeof value !== "string") throw new Unsupported("a value that is not text");
  return value;
}

/** How deep descriptions may nest before the template (which has no cycle check there) is left to kubectl. */
const MAX_DEPTH = 64;

export interface ExplainRequest {
  group: string;
  version: string;
  resource: string;
  fieldPath: string[];
  recursive: boolean;
}

/** What kubectl's plaintext template prints for `request` from `document`, or the error it throws. */
export function renderExplain(document: JsonObject, request: ExplainRequest): string {
  const { group, version, resource, fieldPath, recursive } = request;

  /** The template's resolveRef: a fragment-only reference followed through maps, or nothing. */
  function resolveRef(ref: Json): Json {
    if (typeof ref !== "string" || !ref.startsWith("#")) return undefined;
    let fragment: string;
    try {
      fragment = decodeURIComponent(ref.slice(1));
    } catch {
      return undefined;
    }
    let current: Json = document;
    for (const key of fragment.split("/")) {
      if (key === "") continue;
      const next = field(current, key);
      if (!isObject(next)) return undefined;
      current = next;
    }
    return current;
  }

  const refOf = (schema: Json): string => {
    const ref = or(field(schema, "$ref"), "");
    if (typeof ref !== "string") throw new Unsupported("a $ref that is not text");
    return ref;
  };

  function typeGuess(schema: Json): string {
    if (!truth(schema)) throw new Unsupported("typeGuess without a schema");
    const items = field(schema, "items");
    if (truth(items)) return `[]${typeGuess(items)}`;
    const values = mapValues(schema);
    if (values !== undefined) return `map[string]${typeGuess(values)}`;
    const allOf = field(schema, "allOf");
    if (truth(allOf) && !truth(field(schema, "properties")) && Array.isArray(allOf) && allOf.length === 1)
      return typeGuess(allOf[0]);
    const ref = field(schema, "$ref");
    if (truth(ref)) {
      const target = resolveRef(ref);
      const type = field(target, "type");
      if (!truth(target) || !truth(type) || type === "object") {
        const name = printed(ref).split("/").at(-1) as string;
        return printed(or(name.split(".").at(-1), "Object"));
      }
      return printed(type);
    }
    const type = field(schema, "type");
    if (type !== undefined && type !== null && typeof type !== "string")
      throw new Unsupported("a type that is not text");
    return type === "object" ? "Object" : printed(or(type, "Object"));
  }

  function extractEnum(schema: Json, longView: boolean, limit: number, indentAmount = 0): string {
    const values = field(schema, "enum");
    if (!truth(schema) || !truth(values)) return "";
    let out = longView ? "ENUM:" : `\n${indent(indentAmount, "")}enum: `;
    for (const [index, value] of items(values).entries()) {
      if (limit > -1 && index >= limit) {
        out += ", ....";
        break;
      }
      if (index > 0 && !longView) out += ", ";
      else if (longView) out += `\n${indent(4, "")}`;
      out += value === "" ? '""' : printed(value);
    }
    return out;
  }

  function description(schema: Json, depth = 0): string {
    if (depth > MAX_DEPTH) throw new Unsupported("descriptions nested too deep");
    const resolved = or(resolveRef(field(schema, "$ref")), schema);
    if (!truth(resolved)) return "";
    let out = "";
    const text = field(resolved, "description");
    if (truth(text)) out += `${printed(text)}\n`;
    for (const sub of items(field(resolved, "allOf"))) out += description(sub, depth + 1);
    const listed = field(resolved, "items");
    if (truth(listed)) out += description(listed, depth + 1);
    const values = mapValues(resolved);
    if (values !== undefined) out += description(values, depth + 1);
    return out;
  }

  function fieldDetail(name: string, schema: Json, short: boolean, level: number): string {
    const indentAmount = level * 2;
    const fieldSchema = field(field(schema, "properties"), name);
    if (!isObject(fieldSchema)) throw new Unsupported("a property that is no schema");
    let out = `${indent(indentAmount, name)}\t<${typeGuess(fieldSchema)}>`;
    const required = field(schema, "required");
    if (Array.isArray(required) && required.includes(name)) out += " -required-";
    out += `${extractEnum(fieldSchema, false, 4, indentAmount)}\n`;
    if (!short) {
      const text = printed(or(field(fieldSchema, "description"), "<no description>"));
      out += `${indent(indentAmount + 2, wrapString(text, 78 - indentAmount))}\n\n`;
    }
    return out;
  }

  function fieldList(schema: Json, level: number, history: Set<string>): string {
    const ref = refOf(schema);
    if (truth(ref) && history.has(ref)) return "";
    const next = new Set(history).add(ref);
    const resolved = or(resolveRef(ref), schema);
    let out = "";
    for (const [name, property] of ranged(field(resolved, "properties"))) {
      out += fieldDetail(name, resolved, recursive, level);
      if (recursive) out += fieldList(property, level + 1, next);
    }
    for (const sub of items(field(resolved, "allOf"))) out += fieldList(sub, level, next);
    const listed = field(resolved, "items");
    if (truth(listed)) out += fieldList(listed, level, next);
    const values = mapValues(resolved);
    if (values !== undefined) out += fieldList(values, level, next);
    return out;
  }

  function output(schema: Json, history: Set<string>, path: string[]): string {
    const ref = refOf(schema);
    const next = new Set(history).add(ref);
    const resolved = or(resolveRef(ref), schema);
    if (path.length === 0) {
      const fields = fieldList(resolved, 1, new Set());
      const text = printed(or(description(resolved), "<empty>"));
      return `DESCRIPTION:\n${indent(4, wrapString(text, 76))}\n${truth(fields) ? `FIELDS:\n${fields}` : ""}`;
    }
    if (truth(ref) && history.has(ref)) return "";
    const [first = ""] = path;
    const properties = field(resolved, "properties");
    const property = field(properties, first);
    if (truth(properties) && truth(property)) {
      const named =
        path.length === 1
          ? `FIELD: ${first} <${typeGuess(property)}>\n${extractEnum(property, true, -1)}\n\n`
          : "";
      return named + output(property, new Set(), path.slice(1));
    }
    const listed = field(resolved, "items");
    if (truth(listed)) return output(listed, next, path);
    const values = mapValues(resolved);
    if (values !== undefined) return output(values, next, path);
    for (const sub of items(field(resolved, "allOf"))) {
      const found = output(sub, next, path);
      if (truth(found)) return found;
    }
    return "";
  }

  // The template finds the kind in the resource's paths: the last operation it looks at decides.
  const prefix = group === "" ? "/api" : `/apis/${group}`;
  const searched = [
    `${prefix}/${version}/${resource}`,
    `${prefix}/${version}/${resource}/{name}`,
    `${prefix}/${version}/namespaces/{namespace}/${resource}`,
    `${prefix}/${version}/namespaces/{namespace}/${resource}/{name}`,
  ];
  let gvk: Json;
  for (const path of searched) {
    const element = field(field(document, "paths"), path);
    if (!truth(element)) continue;
    for (const method of ["get", "post", "put", "patch", "delete"]) {
      const operation = field(element, method);
      if (!truth(operation)) continue;
      gvk = field(operation, "x-kubernetes-group-version-kind");
      if (truth(gvk)) break;
    }
  }
  if (!truth(gvk)) {
    // GroupVersionResource.String(): the core group's is empty, its slash is still written.
    const gvr = `${group}/${version}, Resource=${resource}`;
    throw new ExplainError("", `error: GVR (${gvr}) not found in OpenAPI schema`);
  }
  let out = "";
  const kindGroup = field(gvk, "group");
  if (truth(kindGroup)) out += `GROUP:      ${printed(kindGroup)}\n`;
  out += `KIND:       ${printed(field(gvk, "kind"))}\nVERSION:    ${printed(field(gvk, "version"))}\n\n`;
  for (const [, schema] of ranged(field(field(document, "components"), "schemas"))) {
    const kinds = field(schema, "x-kubernetes-group-version-kind");
    if (!Array.isArray(kinds) || !kinds.some((kind) => Bun.deepEquals(kind, gvk))) continue;
    const explained = output(schema, new Set(), fieldPath);
    if (!truth(explained)) throw new ExplainError(out, `error: field "${fieldPath.at(-1)}" does not exist`);
    return `${out}${explained}\n`;
  }
  // Go prints the kind as a map, which is not modelled.
  throw new Unsupported("a kind without a schema");
}
