// Label selector and field selector parsing and matching, with the API server's
// per-kind list of selectable fields (unsupported fields are a 400, as on a real server).

import type { KubeObject } from "./types";

export class SelectorError extends Error {}

type Requirement = (labels: Record<string, string>) => boolean;

/** Splits on commas that are not inside parentheses. */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of s) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

function parseRequirement(req: string): Requirement {
  let m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(req);
  if (m) {
    const [, key = "", op, list = ""] = m;
    const values = list
      .split(",")
      .map((v) => v.trim())
      .filter((v) => v !== "");
    return op === "in"
      ? (l) => key in l && values.includes(l[key] ?? "")
      : (l) => !(key in l) || !values.includes(l[key] ?? "");
  }
  m = /^([\w./-]+)\s*(==|=|!=|>|<)\s*([\w./-]*)$/.exec(req);
  if (m) {
    const [, key = "", op, value = ""] = m;
    if (op === "!=") return (l) => l[key] !== value;
    if (op === ">" || op === "<") {
      const n = Number(value);
      if (!Number.isInteger(n))
        throw new SelectorError(
          `unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`,
        );
      return (l) => key in l && (op === ">" ? Number(l[key]) > n : Number(l[key]) < n);
    }
    return (l) => l[key] === value;
  }
  m = /^(!?)([\w./-]+)$/.exec(req);
  if (m) {
    const [, not, key = ""] = m;
    return not ? (l) => !(key in l) : (l) => key in l;
  }
  throw new SelectorError(`unable to parse requirement: found '${req}', expected: identifier`);
}

export function parseLabelSelector(selector: string | null): (obj: KubeObject) => boolean {
  if (!selector) return () => true;
  const reqs = splitTopLevel(selector).map(parseRequirement);
  return (obj) => {
    const labels = obj.metadata.labels ?? {};
    return reqs.every((r) => r(labels));
  };
}

const COMMON_FIELDS = ["metadata.name", "metadata.namespace"];

const SELECTABLE_FIELDS: Record<string, string[]> = {
  Pod: [
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.schedulerName",
    "spec.serviceAccountName",
    "spec.hostNetwork",
    "status.phase",
    "status.podIP",
    "status.nominatedNodeName",
  ],
  Event: [
    "involvedObject.kind",
    "involvedObject.namespace",
    "involvedObject.name",
    "involvedObject.uid",
    "involvedObject.apiVersion",
    "involvedObject.resourceVersion",
    "involvedObject.fieldPath",
    "reason",
    "reportingComponent",
    "source",
    "type",
  ],
  Secret: ["type"],
  Namespace: ["status.phase"],
  Node: ["spec.unschedulable"],
  ReplicaSet: ["status.replicas"],
  Service: ["spec.clusterIP", "spec.type"],
};

function fieldValue(obj: KubeObject, field: string): string {
  if (obj.kind === "Event" && field === "source") {
    return fieldValue(obj, "source.component") || fieldValue(obj, "reportingComponent");
  }
  if (field === "spec.hostNetwork" || field === "spec.unschedulable") {
    return String(fieldValueRaw(obj, field) ?? false);
  }
  const v = fieldValueRaw(obj, field);
  return v === undefined || v === null ? "" : String(v);
}

function fieldValueRaw(obj: KubeObject, field: string): unknown {
  let cur: unknown = obj;
  for (const part of field.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Splits `a=b,c!=d` honouring backslash escapes (`\,`, `\=`, `\\`). */
function splitEscaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] ?? "";
    if (ch === "\\" && i + 1 < s.length) {
      cur += ch + (s[i + 1] ?? "");
      i++;
    } else if (ch === sep) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

const unescapeValue = (s: string) => s.replace(/\\(.)/g, "$1");

export function parseFieldSelector(selector: string | null, kind: string): (obj: KubeObject) => boolean {
  if (!selector) return () => true;
  const allowed = [...COMMON_FIELDS, ...(SELECTABLE_FIELDS[kind] ?? [])];
  const reqs = splitEscaped(selector, ",")
    .filter((t) => t.trim() !== "")
    .map((term) => {
      const m = /^([^!=]+?)\s*(==|!=|=)\s*(.*)$/s.exec(term.trim());
      if (!m) throw new SelectorError(`invalid selector: '${selector}'; can't understand '${term}'`);
      const [, field = "", op, raw = ""] = m;
      if (!allowed.includes(field)) throw new SelectorError(`field label not supported: ${field}`);
      const value = unescapeValue(raw);
      return (obj: KubeObject) =>
        op === "!=" ? fieldValue(obj, field) !== value : fieldValue(obj, field) === value;
    });
  return (obj) => reqs.every((r) => r(obj));
}
