/**
 * On the embedded store, a delivery loop is told of queued commands at the end of the event-loop
 * turn that queued them: commands queued by several requests handled in one turn (separate I/O
 * callbacks, here separate immediates) reach the executor in one claim and one send, and that send
 * goes out before the turn's commit runs.
 */
import { afterEach, beforeEach, expect, test } from "bun:test";
import type { Command } from "../../src/models";
import { createAuditTrail } from "../../src/modules/audit/service";
import { createExecutorGateway, type DeliveryChannel } from "../../src/modules/executors/service";
import { createMetrics } from "../../src/modules/metrics/service";
import {
  createQueueService,
  DEFAULT_QUEUE_OPTIONS,
  type QueueService,
} from "../../src/modules/queue/service";
import { openStore, type Store } from "../../src/store";
import { makeCommand } from "../support/fixtures";

let store: Store;
let queue: QueueService;
beforeEach(async () => {
  store = await openStore("memory://", { redisPrefix: "" });
  queue = createQueueService(store, DEFAULT_QUEUE_OPTIONS, createAuditTrail(store), createMetrics(store));
});
afterEach(async () => {
  queue.stop();
  await store.close();
});

/** A connected delivery whose sends are read one at a time, in order. */
function connect(clusterId: string) {
  const sends: Command[][] = [];
  let arrived = () => {};
  const channel: DeliveryChannel = {
    send: (commands) => {
      sends.push(commands);
      arrived();
    },
    keepalive: () => {},
    close: () => {},
  };
  const stop = new AbortController();
  const gateway = createExecutorGateway(store, queue, createMetrics(store));
  const meta = {
    clusterId,
    version: null,
    transport: "ws" as const,
    policy: null,
    stillAuthorized: async () => true,
  };
  const delivering = gateway.deliver(meta, channel, stop.signal);
  const next = async () => {
    while (sends.length === 0) await new Promise<void>((resolve) => (arrived = resolve));
    return (sends.shift() as Command[]).map((c) => c.command_id);
  };
  const end = () => {
    stop.abort();
    return delivering;
  };
  return { next, stop: end };
}

test("commands queued by separate callbacks of one turn reach the executor in one send", async () => {
  const delivery = connect("alpha");
  const first = makeCommand("alpha");
  void queue.submit(first);
  expect(await delivery.next()).toEqual([first.command_id]);

  const later = [makeCommand("alpha"), makeCommand("alpha"), makeCommand("alpha")];
  // Each in its own callback of the same turn, as requests arriving together are handled.
  for (const command of later) setImmediate(() => void queue.submit(command));
  expect(await delivery.next()).toEqual(later.map((c) => c.command_id));
  await delivery.stop();
});

test("a turn's send goes out before that turn's commit", async () => {
  const delivery = connect("beta");
  void queue.submit(makeCommand("beta"));
  await delivery.next();

  const order: string[] = [];
  const command = makeCommand("beta");
  const queued = queue.submit(command).then(() => order.push("committed"));
  expect(await delivery.next()).toEqual([command.command_id]);
  order.push("sent");
  await queued;
  expect(order).toEqual(["sent", "committed"]);
  await delivery.stop();
});
