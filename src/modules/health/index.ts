/** Health controller: unauthenticated, for load balancers and operators; 503 when the store is down. */
import { Elysia } from "elysia";
import { Health } from "./model";
import type { createHealthService } from "./service";

export const healthModule = (health: ReturnType<typeof createHealthService>) =>
  new Elysia({ tags: ["Health"], detail: { security: [] } }).get(
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
  );
