/**
 * Health controller: unauthenticated, for load balancers and operators. /health says whether the
 * store answers (503 when it does not); /ready also fails while this replica drains, so traffic
 * moves elsewhere before it stops.
 */
import { Elysia } from "elysia";
import { ErrorBody, Health } from "../../models";
import { Readiness } from "./model";
import type { createHealthService } from "./service";

export const healthModule = (health: ReturnType<typeof createHealthService>) =>
  new Elysia({ tags: ["Health"], detail: { security: [] } })
    .get(
      "/health",
      async ({ status }) => {
        const report = await health.report();
        return report.store === "connected" ? report : status(503, report);
      },
      {
        response: { 200: Health, 503: Health },
        detail: {
          operationId: "getHealth",
          summary: "Health",
          description:
            "Store connectivity, version, uptime and active sessions. The store check is bounded (2 s) and shared " +
            "by the requests of one second, so polling it often is cheap and a hung store reads as down.",
          responses: {
            200: { description: "Healthy: the store answers." },
            503: { description: "Unhealthy: the store does not answer." },
          },
        },
      },
    )
    .get(
      "/ready",
      async () => {
        await health.ready();
        return { status: "ready" as const };
      },
      {
        response: { 200: Readiness, 503: ErrorBody },
        detail: {
          operationId: "getReadiness",
          summary: "Readiness",
          description:
            "Whether this replica should get traffic: its store answers (the same shared, bounded check as " +
            "/health) and it is not shutting down. From SIGTERM on it answers 503 `DRAINING` while waits " +
            "under way finish, so a load balancer or Kubernetes readiness probe takes it out of rotation.",
          responses: {
            200: { description: "Ready." },
            503: { description: "`DRAINING`: this replica is shutting down." },
          },
        },
      },
    );
