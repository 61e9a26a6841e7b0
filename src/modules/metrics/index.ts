/**
 * Metrics controller: GET /metrics in the Prometheus text exposition format, with no key, like
 * /health. It reveals traffic volumes and cluster ids, never a credential or a command; a server
 * that should not show even that turns it off (KUBENTLY_METRICS=off) or keeps the path off its
 * ingress.
 */
import { Elysia } from "elysia";
import type { Metrics } from "./service";

const EXAMPLE =
  "# HELP kubently_http_requests_total HTTP requests answered, by route template and status.\n" +
  "# TYPE kubently_http_requests_total counter\n" +
  'kubently_http_requests_total{method="POST",route="/debug/execute",status="200"} 1027\n\n' +
  "# HELP kubently_queue_depth Commands waiting for an executor, by registered cluster …\n" +
  "# TYPE kubently_queue_depth gauge\n" +
  'kubently_queue_depth{cluster_id="production"} 0\n';

export const metricsModule = (metrics: Metrics) =>
  new Elysia({ tags: ["Health"], detail: { security: [] } }).get(
    "/metrics",
    async () => {
      const { body, contentType } = await metrics.scrape();
      return new Response(body, { headers: { "content-type": contentType } });
    },
    {
      detail: {
        operationId: "getMetrics",
        summary: "Prometheus metrics",
        description:
          "This replica's metrics in the Prometheus text format: requests, latency and errors by route " +
          "template and status; queue depth, wait time, execution time and outcomes per cluster; active " +
          "sessions; connected executors by transport; store errors; rate-limit refusals; the process's " +
          "CPU, memory and event loop. No key is needed; `KUBENTLY_METRICS=off` removes the route.",
        responses: {
          200: {
            description: "The metrics.",
            content: {
              "text/plain; version=0.0.4; charset=utf-8": { schema: { type: "string" }, example: EXAMPLE },
            },
          },
        },
      },
    },
  );
