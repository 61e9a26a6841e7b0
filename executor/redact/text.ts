/**
 * Owns redacting text: whatever kubectl or a native read printed, and every string inside a
 * structured response. The value rules run in order, then `secret-name` on `NAME=value` and
 * `NAME: value` pairs (a log line printing its environment, an embedded properties or YAML file).
 * Rules only ever see the text between markers, so a marker is never matched again: redacting
 * twice changes nothing and counts nothing twice.
 */
import type { Redactor } from "./compile";
import { findMarkers, mayHoldMarker } from "./markers";
import { CREDENTIAL_NAME_HINT } from "./names";
import { marker } from "./rule-names";

type Groups = { pre?: string; secret?: string } | undefined;

/** Applies `edit` to the stretches of `text` outside markers. */
function outsideMarkers(text: string, edit: (part: string) => string): string {
  if (!mayHoldMarker(text)) return edit(text);
  let out = "";
  let from = 0;
  for (const found of findMarkers(text)) {
    out += edit(text.slice(from, found.index)) + found.text;
    from = found.index + found.text.length;
  }
  return out + edit(text.slice(from));
}

/**
 * NAME, a `:` or `=` (quotes around the name allowed), then a value, after an HTTP auth scheme if
 * there is one (`Authorization: Basic …`: the scheme stays, the value goes). A quoted value is taken
 * to its closing quote, spaces and all (`DB_PASSWORD="correct horse battery staple"`); an unquoted
 * one to the first space or punctuation. Values that start with `<`, `[` or `{` are not values
 * (describe's `<set to the key …>`, markers, objects).
 */
const VALUE =
  "((?<=\")(?![<[{])(?:[^\"\\\\\\n]|\\\\.){1,4096}(?=\")|(?<=')(?![<[{])[^'\\n]{1,4096}(?=')|[^\\s\"'`,;&<>()[\\]{}]+)";
const NAMED_VALUE = new RegExp(
  `(?<![A-Za-z0-9_.[=:/+])([A-Za-z_][A-Za-z0-9_.-]{0,127})(["']?[ \\t]{0,8}[:=][ \\t]{0,64})(["']?(?:(?:[Bb]earer|[Bb]asic|[Tt]oken|[Dd]igest)[ \\t]{1,4})?)(?!(?:[Bb]earer|[Bb]asic|[Tt]oken|[Dd]igest)[ \\t])${VALUE}`,
  "g",
);
/**
 * An object printed whole (an operator logging a pod spec, YAML in a log): `"name":"DB_PASSWORD",
 * "value":"…"` or `name: DB_PASSWORD` then `value: …` on the next line.
 */
const NAME_VALUE_PAIR = new RegExp(
  `(["']?\\bname["']?[ \\t]{0,8}:[ \\t]{0,8}["']?)([A-Za-z_][A-Za-z0-9_.-]{0,127})(["']?[ \\t]{0,8},?[ \\t]{0,8}(?:\\r?\\n[ \\t]{0,64})?["']?value["']?[ \\t]{0,8}:[ \\t]{0,8}["']?)${VALUE}`,
  "g",
);
/** With secret-name the only name rule, only names with a credential's word in them are tried. */
const DEFAULT_NAMED_VALUE = new RegExp(
  NAMED_VALUE.source.replace(
    ")([A-Za-z_]",
    `)(?=[A-Za-z0-9_.-]{0,127}?(?:${CREDENTIAL_NAME_HINT}))([A-Za-z_]`,
  ),
  "gi",
);
/**
 * What follows a count that is describe's size of a value (`password:  22 bytes`: a Secret's
 * data, a ConfigMap's binary data), not the value.
 */
const DESCRIBED_SIZE = /^ bytes(?:\r?\n|$)/;

/** Words a value can be that never hold a credential: YAML's and JSON's literals. */
const LITERALS = new Set(["true", "false", "null", "nil", "~", "True", "False", "None"]);

export function redactText(redactor: Redactor, text: string): string {
  if (text === "") return text;
  let out = text;
  for (const rule of redactor.valueRules) {
    if (rule.trigger !== undefined && !rule.trigger.test(out)) continue;
    const replacement = marker(rule.name);
    for (const pattern of rule.patterns) {
      out = outsideMarkers(out, (part) =>
        part.replace(pattern, (match: string, ...rest: unknown[]) => {
          if (match === "") return match;
          const groups = rest.at(-1) as Groups;
          return groups?.secret === undefined ? replacement : `${groups.pre ?? ""}${replacement}`;
        }),
      );
    }
  }
  if (redactor.nameRules.length === 0 || !/[:=]/.test(out)) return out;
  out = outsideMarkers(out, (part) => redactNamedValues(redactor, part));
  if (!out.includes("value")) return out;
  return outsideMarkers(out, (part) =>
    part.replace(
      NAME_VALUE_PAIR,
      (match: string, before: string, name: string, between: string, value: string) => {
        const rule = LITERALS.has(value) ? undefined : redactor.ruleForName(name);
        return rule === undefined ? match : `${before}${name}${between}${marker(rule)}`;
      },
    ),
  );
}

/** `NAME=value` pairs whose name a name rule matches; past any other name the search goes on. */
function redactNamedValues(redactor: Redactor, text: string): string {
  const onlyDefault = redactor.nameRules.length === 1 && redactor.nameRules[0]?.name === "secret-name";
  const pairs = new RegExp(onlyDefault ? DEFAULT_NAMED_VALUE : NAMED_VALUE);
  let out = "";
  let from = 0;
  for (let found = pairs.exec(text); found !== null; found = pairs.exec(text)) {
    const [whole, name = "", separator = "", quote = "", value = ""] = found;
    const size = /^\d+$/.test(value) && DESCRIBED_SIZE.test(text.slice(found.index + whole.length));
    const rule = LITERALS.has(value) || size ? undefined : redactor.ruleForName(name);
    if (rule === undefined) {
      // `config: DB_PASSWORD=…`: the value of a name that is not a credential may hold one that is.
      pairs.lastIndex = found.index + name.length;
      continue;
    }
    out += `${text.slice(from, found.index)}${name}${separator}${quote}${marker(rule)}`;
    from = found.index + whole.length;
  }
  return out + text.slice(from);
}
