/**
 * Owns the shape of a policy: the typebox schema a policy file is validated against and the
 * `Policy` type derived from it, so the type the code uses and the check the loader runs cannot
 * drift apart. Descriptions double as the hints in load errors.
 */
import { type Static, Type as t } from "@sinclair/typebox";
import { DEFAULT_RULE_NAMES, RULE_NAME_PATTERN } from "../redact/rule-names";

const NamespacePattern = t.String({
  pattern: "^[a-z0-9*?-]{1,63}$",
  description: "a namespace name or glob: lowercase letters, digits, '-', '*' and '?'",
});

const NamespaceName = t.String({
  pattern: "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$",
  description: "a namespace name (a DNS-1123 label)",
});

const PositiveInteger = (description: string) => t.Integer({ minimum: 1, description });

export const Mode = t.Union([t.Literal("readOnly"), t.Literal("extendedReadOnly"), t.Literal("fullAccess")], {
  description: "one of readOnly, extendedReadOnly, fullAccess",
});
export type Mode = Static<typeof Mode>;

const PatternText = (description: string) => t.String({ minLength: 1, maxLength: 1024, description });

const RedactionRule = t.Object(
  {
    name: t.String({
      pattern: RULE_NAME_PATTERN,
      description: "a rule name: lowercase letters, digits and '-', at most 40, as in [REDACTED:<name>]",
    }),
    namePattern: t.Optional(
      PatternText(
        "a regular expression (case-insensitive) on names: env variables, ConfigMap keys, fields whose values it redacts",
      ),
    ),
    valuePattern: t.Optional(PatternText("a regular expression on any output: what it matches is redacted")),
  },
  { additionalProperties: false, description: "a rule: { name, namePattern } or { name, valuePattern }" },
);

export const Redaction = t.Object(
  {
    disable: t.Optional(
      t.Array(
        t.Union(
          DEFAULT_RULE_NAMES.map((name) => t.Literal(name)),
          { description: `one of the default rule names (${DEFAULT_RULE_NAMES.join(", ")})` },
        ),
        { description: "a list of default rule names to switch off" },
      ),
    ),
    rules: t.Optional(t.Array(RedactionRule, { maxItems: 64, description: "a list of at most 64 rules" })),
  },
  {
    additionalProperties: false,
    description: "a mapping with disable (default rules switched off) and rules (the policy's own)",
  },
);

export const PolicySchema = t.Object(
  {
    mode: Mode,
    acknowledgeFullAccess: t.Boolean({
      description: "true or false (true confirms mode fullAccess)",
    }),
    restrictedResources: t.Array(
      t.String({
        pattern: "^[A-Za-z0-9][A-Za-z0-9.-]*$",
        description: "a resource name such as secrets or sealedsecrets.bitnami.com",
      }),
      { description: "a list of resource names that get/describe may not read" },
    ),
    allowedNamespaces: t.Array(NamespacePattern, { description: "a list of namespace names or globs" }),
    deniedNamespaces: t.Array(NamespacePattern, { description: "a list of namespace names or globs" }),
    defaultNamespace: NamespaceName,
    maxOutputBytes: PositiveInteger("a positive whole number of bytes"),
    maxConcurrency: PositiveInteger("a positive whole number of commands"),
    maxTimeoutSeconds: PositiveInteger("a positive whole number of seconds"),
    defaultTimeoutSeconds: PositiveInteger("a positive whole number of seconds"),
    maxFollowSeconds: PositiveInteger("a positive whole number of seconds"),
    nativeReads: t.Boolean({
      description: "true or false (false: every command runs kubectl, none is answered natively)",
    }),
    impersonate: t.Optional(
      t.Record(
        t.String({
          pattern: "^(\\*|[A-Za-z0-9._-]{1,64}|oidc:[\\x21-\\x7e]{1,120})$",
          description:
            "a service identity, oidc:USER for a person signed in through OIDC, or * for any other",
        }),
        t.Object(
          {
            user: t.String({
              minLength: 1,
              maxLength: 256,
              pattern: "^[\\x21-\\x7e]+$",
              description: "the Kubernetes user to act as",
            }),
            groups: t.Optional(
              t.Array(t.String({ minLength: 1, maxLength: 256, pattern: "^[\\x21-\\x7e]+$" }), {
                description: "the Kubernetes groups to act as",
              }),
            ),
          },
          { additionalProperties: false },
        ),
        {
          description:
            "service identity (or oidc:USER) → { user, groups }: the cluster gate impersonates them (needs impersonate RBAC)",
        },
      ),
    ),
    redaction: t.Optional(Redaction),
  },
  { additionalProperties: false },
);

type PolicyDocument = Static<typeof PolicySchema>;

/** Namespace globs a principal may reach (allow) and may not (deny wins). */
export interface NamespaceRules {
  readonly allow: readonly string[];
  readonly deny: readonly string[];
}

/**
 * A checked policy. Read-only: one policy object is shared by every decision. `principalNamespaces`
 * never comes from a file: it is the scope of the principal a command runs for (scope.ts), applied
 * on top of the cluster's own namespace rules.
 */
export type Policy = {
  readonly [K in keyof PolicyDocument]: PolicyDocument[K] extends (infer E)[]
    ? readonly E[]
    : PolicyDocument[K];
} & { readonly principalNamespaces?: NamespaceRules };
