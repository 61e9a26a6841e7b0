/** The health report of GET /health (the architecture guide's shape), as `kubently health` prints it. */
import { type Static, Type as t } from "@sinclair/typebox";

export const Health = t.Object(
  {
    status: t.Union([t.Literal("healthy"), t.Literal("unhealthy")]),
    store: t.Union([t.Literal("connected"), t.Literal("unavailable")]),
    store_kind: t.String({ description: "memory, sqlite or redis" }),
    version: t.String({ description: "The server's version." }),
    uptime_seconds: t.Integer(),
    active_sessions: t.Union([t.Integer(), t.Null()], {
      description: "Open debugging sessions; null when the store does not answer.",
    }),
  },
  {
    title: "Health",
    examples: [
      {
        status: "healthy",
        store: "connected",
        store_kind: "sqlite",
        version: "0.1.0",
        uptime_seconds: 86400,
        active_sessions: 2,
      },
    ],
  },
);
export type Health = Static<typeof Health>;
