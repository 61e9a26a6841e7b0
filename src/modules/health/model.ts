/** Schema of GET /health (the architecture guide's shape). */
import { t } from "elysia";

export const Health = t.Object(
  {
    status: t.Union([t.Literal("healthy"), t.Literal("unhealthy")]),
    store: t.Union([t.Literal("connected"), t.Literal("unavailable")]),
    store_kind: t.String({ description: "memory, sqlite or redis" }),
    version: t.String(),
    uptime_seconds: t.Integer(),
    active_sessions: t.Union([t.Integer(), t.Null()]),
  },
  { title: "Health" },
);
