/**
 * A principal's scope as it travels with a command, so the executor applies the intersection of it
 * and the cluster's own policy: the namespaces the principal may reach (allow and deny globs, deny
 * wins), the most it may do (a policy mode; never more than the cluster's), and its share of the
 * executor's kubectl slots. Which clusters it may reach is the server's alone to decide.
 *
 * Optional on the Command: executors of a version before scopes ignore the field (the wire model
 * lets unknown fields pass), so they enforce only what the server decided before queueing.
 */
import { type Static, Type as t } from "@sinclair/typebox";

/** A namespace name or glob: lowercase letters, digits, '-', '*' and '?' (as in executor policies). */
export const NamespaceGlob = t.String({
  pattern: "^[a-z0-9*?-]{1,63}$",
  description: "a namespace name or glob: lowercase letters, digits, '-', '*' and '?'",
});

export const ScopeMode = t.Union(
  [t.Literal("readOnly"), t.Literal("extendedReadOnly"), t.Literal("fullAccess")],
  {
    description: "one of readOnly, extendedReadOnly, fullAccess",
  },
);
export type ScopeMode = Static<typeof ScopeMode>;

export const NamespaceScope = t.Object(
  {
    allow: t.Array(NamespaceGlob, {
      description: "a list of namespace names or globs the principal may reach",
    }),
    deny: t.Array(NamespaceGlob, {
      description: "a list of namespace names or globs it may not (deny wins)",
    }),
  },
  { additionalProperties: false },
);
export type NamespaceScope = Static<typeof NamespaceScope>;

export const CommandScope = t.Object(
  {
    principal: t.String({
      description: "The principal whose scope this is (the command's service_identity).",
    }),
    namespaces: t.Optional(NamespaceScope),
    mode: t.Optional(ScopeMode),
    share: t.Optional(
      t.Integer({ minimum: 1, maximum: 100, description: "Its weight when kubectl slots are shared." }),
    ),
  },
  { title: "CommandScope", description: "The principal's scope, applied by the executor with its policy." },
);
export type CommandScope = Static<typeof CommandScope>;
