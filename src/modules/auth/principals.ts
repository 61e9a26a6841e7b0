/**
 * The keys file (`--keys-file`, KUBENTLY_KEYS_FILE): principals with their API keys and scopes, in
 * YAML. A file is taken whole or not at all: anything wrong (YAML, an unknown field, a value out of
 * range, a glob that cannot match, a key given twice) refuses it with the line at fault, and a
 * message that never repeats a key.
 *
 *   principals:
 *     shop-team:
 *       keys: ["…"]                  # at least 16 characters each
 *       oidcGroups: ["shop-devs"]    # people signed in through OIDC in one of these groups (keys, groups or both)
 *       clusters: ["prod-*", "staging"]  # ids or globs; absent: every cluster
 *       clusterLabels: { env: prod }      # labels a cluster must carry too (an admin sets them)
 *       namespaces: { allow: ["shop"], deny: [] }   # absent: every namespace the cluster allows
 *       mode: readOnly               # the most it may do; never more than the cluster's policy
 *       rateLimit: "5:10"            # RATE[:BURST] or off; absent: the server's KUBENTLY_RATE_LIMIT
 *       share: 1                     # its weight among principals for an executor's kubectl slots
 */
import { type Static, Type as t } from "@sinclair/typebox";
import { type ValueError, ValueErrorType } from "@sinclair/typebox/errors";
import { Value } from "@sinclair/typebox/value";
import { type Document, isMap, isSeq, LineCounter, parseDocument } from "yaml";
import { LABEL_KEY_PATTERN, LABEL_VALUE_PATTERN, NamespaceGlob, ScopeMode } from "../../models";
import { parseRateLimit, RateLimitSpecError } from "../limits/service";
import { globProblem } from "../scopes/glob";
import type { Scope } from "../scopes/model";
import { type KeyEntry, KeyFormatError, MIN_KEY_LENGTH, SERVICE_RE } from "./keys";

const Globs = (what: string) =>
  t.Array(t.String({ description: `a ${what} name or glob: lowercase letters, digits, '-', '*' and '?'` }), {
    description: `a list of ${what} names or globs`,
  });

const PrincipalEntry = t.Object(
  {
    keys: t.Optional(
      t.Array(
        t.String({
          minLength: MIN_KEY_LENGTH,
          description: `a key of at least ${MIN_KEY_LENGTH} characters`,
        }),
        {
          description: "a list of API keys",
        },
      ),
    ),
    oidcGroups: t.Optional(
      t.Array(t.String({ minLength: 1, maxLength: 256, description: "a group name" }), {
        description: "a list of OIDC group names",
      }),
    ),
    clusters: t.Optional(Globs("cluster")),
    clusterLabels: t.Optional(
      t.Record(
        t.String({ pattern: LABEL_KEY_PATTERN, maxLength: 253 }),
        t.String({ pattern: LABEL_VALUE_PATTERN }),
        {
          additionalProperties: false,
          description: "a mapping of cluster label names to the values a cluster must carry",
        },
      ),
    ),
    namespaces: t.Optional(
      t.Object(
        { allow: t.Optional(t.Array(NamespaceGlob)), deny: t.Optional(t.Array(NamespaceGlob)) },
        { additionalProperties: false, description: "a mapping of allow and deny lists" },
      ),
    ),
    mode: t.Optional(ScopeMode),
    rateLimit: t.Optional(t.Union([t.String(), t.Number()], { description: "off, or RATE[:BURST]" })),
    share: t.Optional(t.Integer({ minimum: 1, maximum: 100, description: "a whole number from 1 to 100" })),
  },
  {
    additionalProperties: false,
    description: "a mapping of keys, oidcGroups, clusters, clusterLabels, namespaces, mode, rateLimit, share",
  },
);

const KeysFile = t.Object(
  {
    principals: t.Record(t.String(), PrincipalEntry, {
      description: "a mapping of principal names to their keys and scopes",
    }),
  },
  { additionalProperties: false, description: "a mapping with one field, principals" },
);
type KeysFile = Static<typeof KeysFile>;

type Path = (string | number)[];

/** The 1-based line of the node at `path` (the key itself for a mapping's entry), or of its nearest ancestor. */
function lineOf(document: Document, lines: LineCounter, path: Path): number {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const parent = document.getIn(path.slice(0, depth - 1), true);
    const last = path[depth - 1];
    let offset: number | undefined;
    if (depth === 0) offset = document.contents?.range?.[0];
    else if (isMap(parent)) {
      const pair = parent.items.find((item) => (item.key as { value?: unknown })?.value === last);
      offset = (pair?.key as { range?: number[] } | undefined)?.range?.[0];
    } else if (isSeq(parent)) {
      offset = (parent.items[Number(last)] as { range?: number[] } | undefined)?.range?.[0];
    }
    if (offset !== undefined) return lines.linePos(offset).line;
  }
  return 1;
}

function describe(error: ValueError): { path: Path; message: string } {
  const path: Path = error.path
    .split("/")
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part.replaceAll("~1", "/").replaceAll("~0", "~")));
  const field = path.join(".");
  if (error.type === ValueErrorType.ObjectAdditionalProperties)
    return { path, message: `${field}: unknown field` };
  const expected = typeof error.schema.description === "string" ? error.schema.description : "valid";
  // A key's value is a secret: say what is wrong with it, never what it is.
  const shown = path.includes("keys") ? "" : `, got ${JSON.stringify(error.value)}`;
  return { path, message: `${field}: must be ${expected}${shown}` };
}

/** What else must hold of a file the schema accepts; the first problem, with where it is. */
function checkMeaning(file: KeysFile): { path: Path; message: string } | undefined {
  const seen = new Set<string>();
  for (const [name, entry] of Object.entries(file.principals)) {
    const at = (...rest: Path): Path => ["principals", name, ...rest];
    if (!SERVICE_RE.test(name)) {
      return {
        path: at(),
        message: `principals.${name}: a principal name is 1-64 characters of [A-Za-z0-9._-]`,
      };
    }
    if ((entry.keys ?? []).length === 0 && (entry.oidcGroups ?? []).length === 0) {
      return { path: at(), message: `principals.${name}: give it keys, oidcGroups, or both` };
    }
    for (const [index, key] of (entry.keys ?? []).entries()) {
      if (seen.has(key))
        return {
          path: at("keys", index),
          message: `principals.${name}.keys.${index}: this key is given twice`,
        };
      seen.add(key);
    }
    const globs: [Path, string][] = [
      ...(entry.clusters ?? []).map((glob, i): [Path, string] => [at("clusters", i), glob]),
      ...(entry.namespaces?.allow ?? []).map((glob, i): [Path, string] => [
        at("namespaces", "allow", i),
        glob,
      ]),
      ...(entry.namespaces?.deny ?? []).map((glob, i): [Path, string] => [at("namespaces", "deny", i), glob]),
    ];
    for (const [path, glob] of globs) {
      const problem = globProblem(glob);
      if (problem) return { path, message: `${path.join(".")}: ${JSON.stringify(glob)} ${problem}` };
    }
    if (entry.rateLimit !== undefined) {
      try {
        parseRateLimit(String(entry.rateLimit));
      } catch (error) {
        if (!(error instanceof RateLimitSpecError)) throw error;
        return { path: at("rateLimit"), message: `principals.${name}.rateLimit: ${error.message}` };
      }
    }
  }
  return undefined;
}

function scopeOf(entry: Static<typeof PrincipalEntry>): Scope {
  return {
    clusters: entry.clusters ?? null,
    clusterLabels: entry.clusterLabels ?? null,
    namespaces: entry.namespaces
      ? { allow: entry.namespaces.allow ?? ["*"], deny: entry.namespaces.deny ?? [] }
      : null,
    mode: entry.mode ?? null,
    rateLimit: entry.rateLimit === undefined ? undefined : parseRateLimit(String(entry.rateLimit)),
    share: entry.share ?? 1,
  };
}

/** Which principal's scope people in an OIDC group get: the first principal in the file that names the group. */
export interface GroupMapping {
  group: string;
  principal: string;
  scope: Scope;
}

export interface Principals {
  keys: KeyEntry[];
  groups: GroupMapping[];
}

/** A keys file's key entries and OIDC group mappings, in file order; KeyFormatError names the line at fault. */
export function readPrincipals(text: string, source: string): Principals {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  const [syntax] = document.errors;
  if (syntax) {
    const line = syntax.linePos?.[0]?.line ?? 1;
    // The yaml package's message says where again, and quotes the line (which may hold a key): cut both.
    const what = (syntax.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
    throw new KeyFormatError(`${source} line ${line}: not valid YAML: ${what}`);
  }
  const value: unknown = document.toJS() ?? {};
  const [error] = Value.Errors(KeysFile, value);
  const problem = error ? describe(error) : checkMeaning(value as KeysFile);
  if (problem)
    throw new KeyFormatError(`${source} line ${lineOf(document, lines, problem.path)}: ${problem.message}`);
  const principals = Object.entries((value as KeysFile).principals).map(([service, entry]) => ({
    service,
    entry,
    scope: scopeOf(entry),
  }));
  return {
    keys: principals.flatMap(({ service, entry, scope }) =>
      (entry.keys ?? []).map((key) => ({ service, key, scope })),
    ),
    groups: principals.flatMap(({ service, entry, scope }) =>
      (entry.oidcGroups ?? []).map((group) => ({ group, principal: service, scope })),
    ),
  };
}
