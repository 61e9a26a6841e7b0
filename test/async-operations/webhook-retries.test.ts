/**
 * The README's webhook retry schedule and signing, seen from a real receiver: a delivery answered
 * 503 is retried, each wait at least half of a ceiling that doubles from backoffMs (the README's
 * "waits of up to 1 s, 2 s, 4 s…, each at least half of that"), and every attempt is signed afresh:
 * its own X-Kubently-Timestamp, the second it was sent, and a signature over that timestamp.
 * Only lower bounds on the waits are asserted: a slow machine makes them longer, never shorter.
 */
import { expect, test } from "bun:test";
import type { Operation } from "../../src/modules/operations/model";
import { parseAllowedHosts } from "../../src/modules/operations/webhooks";
import { connectSse } from "../support/protocol-executor";
import { json } from "../support/server";
import { type Delivery, startOperationsServer, startReceiver } from "./harness";

test("503s are retried on the doubling schedule, each attempt signed with its own timestamp", async () => {
  const receiver = startReceiver([503, 503, 503, 200]);
  const server = await startOperationsServer({
    webhooks: {
      allowedHosts: parseAllowedHosts(receiver.host),
      backoffMs: 400,
      maxBackoffMs: 60_000,
      maxAttempts: 5,
    },
  });
  const executor = await connectSse(server.url, "hooked", await server.registerCluster("hooked"));
  try {
    const started = await server.client("/debug/execute/async", {
      ...json({ cluster_id: "hooked", command_type: "get", args: ["pods"], callback_url: receiver.url() }),
    });
    expect(started.status).toBe(202);
    const { operation_id } = (await started.json()) as Operation;
    const deliveries: Delivery[] = [];
    for (let i = 0; i < 4; i++) deliveries.push(await receiver.next(15_000));

    expect(deliveries.map((d) => d.answeredWith)).toEqual([503, 503, 503, 200]);
    for (const delivery of deliveries) {
      expect(delivery.operation.operation_id).toBe(operation_id);
      expect(delivery.verified).toBe(true);
    }
    // Waits before retries 1, 2, 3: at least half of 400, 800, 1600 ms.
    const gaps = deliveries.slice(1).map((d, i) => d.at - (deliveries[i]?.at ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(200);
    expect(gaps[1]).toBeGreaterThanOrEqual(400);
    expect(gaps[2]).toBeGreaterThanOrEqual(800);

    // Signed afresh: each timestamp is the second its attempt was sent, so they move on with it,
    // and the signature (over timestamp and body) changes with the timestamp.
    const stamps = deliveries.map((d) => Number(d.headers.get("x-kubently-timestamp")));
    for (const [i, delivery] of deliveries.entries()) {
      expect(Math.abs(Math.floor(delivery.at / 1000) - (stamps[i] ?? 0))).toBeLessThanOrEqual(1);
    }
    expect(stamps.at(-1)).toBeGreaterThan(stamps[0] ?? Number.POSITIVE_INFINITY);
    const signatures = new Set(deliveries.map((d) => d.headers.get("x-kubently-signature")));
    expect(signatures.size).toBe(new Set(stamps).size);
    expect(new Set(deliveries.map((d) => d.body)).size).toBe(1);
  } finally {
    executor.close();
    await server.stop();
    receiver.stop();
  }
}, 30_000);
