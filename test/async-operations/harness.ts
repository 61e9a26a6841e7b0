/**
 * For the async-operation tests: the shared test server with webhooks on, and a real webhook receiver on loopback that verifies signatures the way the README tells
 * receivers to, answers with the statuses a test scripts, and records every delivery.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Operation } from "../../src/modules/operations/model";
import { DEFAULT_WEBHOOK_OPTIONS, type WebhookOptions } from "../../src/modules/operations/webhooks";
import { startTestServer, type TestServer, type TestServerOptions } from "../support/server";

export const WEBHOOK_SECRET = "whsec-test-0123456789abcdef-do-not-print";

/** Webhooks on, signed with WEBHOOK_SECRET, retried at once: backoff is a test option, never a sleep. */
export const testWebhooks = (overrides: Partial<WebhookOptions> = {}): WebhookOptions => ({
  ...DEFAULT_WEBHOOK_OPTIONS,
  secret: WEBHOOK_SECRET,
  backoffMs: 1,
  maxBackoffMs: 5,
  attemptTimeoutMs: 2_000,
  drainMs: 10_000,
  ...overrides,
});

/** A real API server with webhooks on (see testWebhooks), otherwise the shared test server. */
export function startOperationsServer(
  options: Omit<TestServerOptions, "webhooks"> & { webhooks?: Partial<WebhookOptions> },
): Promise<TestServer> {
  return startTestServer({ ...options, webhooks: testWebhooks(options.webhooks) });
}

export interface Delivery {
  path: string;
  headers: Headers;
  body: string;
  /** The signature matched and the timestamp was fresh, checked as a receiver should. */
  verified: boolean;
  operation: Operation;
  answeredWith: number;
  /** When it arrived (Date.now()). */
  at: number;
}

export interface Receiver {
  /** host:port, for the allowlist. */
  host: string;
  url(path?: string): string;
  deliveries: Delivery[];
  /** Resolves with the next delivery not yet taken (bounded wait). */
  next(withinMs?: number): Promise<Delivery>;
  stop(): void;
}

/** Verifies like the README's receiver: HMAC over `${timestamp}.${raw body}`, constant time, 5 min window. */
export function verifySignature(secret: string, headers: Headers, body: string, nowMs = Date.now()): boolean {
  const timestamp = headers.get("x-kubently-timestamp") ?? "";
  const given = headers.get("x-kubently-signature") ?? "";
  if (!/^\d+$/.test(timestamp) || Math.abs(nowMs / 1000 - Number(timestamp)) > 300) return false;
  const expected = `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
  const [a, b] = [Buffer.from(given), Buffer.from(expected)];
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A webhook receiver: answers each delivery with the next status of `script` (200 once it runs out;
 * 0 means never answer, until the sender gives up) and records it, with its signature checked.
 */
export function startReceiver(script: number[] = [], secret = WEBHOOK_SECRET): Receiver {
  const statuses = [...script];
  const deliveries: Delivery[] = [];
  let taken = 0;
  let wake: (() => void) | null = null;
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const at = Date.now();
      const body = await request.text();
      const answeredWith = statuses.shift() ?? 200;
      deliveries.push({
        path: new URL(request.url).pathname,
        headers: request.headers,
        body,
        verified: verifySignature(secret, request.headers, body),
        operation: JSON.parse(body) as Operation,
        answeredWith,
        at,
      });
      wake?.();
      if (answeredWith === 0) {
        return new Promise<Response>((resolve) =>
          request.signal.addEventListener("abort", () => resolve(new Response(null, { status: 499 }))),
        );
      }
      const headers: Record<string, string> =
        answeredWith >= 300 && answeredWith < 400 ? { location: "/redirected" } : {};
      return new Response(null, { status: answeredWith, headers });
    },
  });
  const host = `127.0.0.1:${server.port}`;
  return {
    host,
    url: (path = "/hook") => `http://${host}${path}`,
    deliveries,
    async next(withinMs = 10_000) {
      const deadline = Date.now() + withinMs;
      while (taken >= deliveries.length) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no webhook delivery within ${withinMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
      return deliveries[taken++] as Delivery;
    },
    stop: () => void server.stop(true),
  };
}
