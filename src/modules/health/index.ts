/** Health controller: unauthenticated, for load balancers and operators; 503 when the store is down. */
import { Elysia } from "elysia";
import { Health } from "./model";
import type { createHealthService } from "./service";

export const healthModule = (health: ReturnType<typeof createHealthService>) =>
  new Elysia({ tags: ["Health"] }).get(
    "/health",
    async ({ status }) => {
      const report = await health.report();
      return report.store === "connected" ? report : status(503, report);
    },
    {
      response: { 200: Health, 503: Health },
      detail: { summary: "Health", description: "Store connectivity, version, uptime and active sessions." },
    },
  );
