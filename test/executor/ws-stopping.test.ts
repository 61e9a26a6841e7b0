/**
 * An executor told to stop while a result it sent on the WebSocket is still unanswered keeps the
 * socket until the answer comes: closed at once, the result would go again by HTTP, to a server that
 * may be stopping too, and keep the executor's stop waiting on it until the command's deadline.
 */
import { afterAll, expect, test } from "bun:test";
import { makeResult } from "../support/fixtures";
import { connectedPoster, startFakeApi } from "./fake-api";

const acks = Promise.withResolvers<void>();
const api = startFakeApi({ ackAfter: () => acks.promise });
afterAll(() => api.stop());

test("a stopping executor closes its WebSocket once its unanswered result is acknowledged", async () => {
  const stop = new AbortController();
  const { results, first, loop } = connectedPoster(api.url, "stopping", "ws-stopping", stop.signal);
  await first;
  const result = makeResult({ command_id: crypto.randomUUID(), cluster_id: "stopping" });
  const delivered = results.post(result, Date.now() + 30_000);
  await api.result(result.command_id);
  // Stopping while the server holds the answer: the socket must wait for it.
  stop.abort();
  acks.resolve();
  expect(await delivered).toBe(true);
  await loop;
  expect(api.arrivedBy.get(result.command_id)).toBe("ws");
});
