/** Schemas of GET /ready (GET /health answers with the shared Health model). */
import { t } from "elysia";

export const Readiness = t.Object(
  { status: t.Literal("ready") },
  { title: "Readiness", examples: [{ status: "ready" }] },
);
