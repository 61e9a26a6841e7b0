/**
 * Results over the WebSocket against a server whose message limit is smaller than a result: the one
 * the server closes the socket for (1009) is posted by HTTP instead, and so is any as large after it,
 * without costing the next connection.
 */
import { afterAll, afterEach, expect, test } from "bun:test";
import { makeResult } from "../support/fixtures";
import { connectedPoster, startFakeApi } from "./fake-api";

const MAX_MESSAGE_BYTES = 64 * 1024;
const api = startFakeApi({ maxMessageBytes: MAX_MESSAGE_BYTES });
afterAll(() => api.stop());

const stop = new AbortController();
afterEach(() => stop.abort());

/** A poster connected to the fake API over a WebSocket, until the test ends. */
const poster = () => connectedPoster(api.url, "big", "ws-results", stop.signal);

const result = (outputBytes: number) =>
  makeResult({ command_id: crypto.randomUUID(), cluster_id: "big" }, { stdout: "x".repeat(outputBytes) });
const deadline = () => Date.now() + 30_000;

test("a result too large for the WebSocket is posted by HTTP, and so is the next as large, on the same socket", async () => {
  const { results, first, connected } = poster();
  await first;
  const reconnected = connected();
  const big = result(2 * MAX_MESSAGE_BYTES);
  expect(await results.post(big, deadline())).toBe(true);
  expect(api.arrivedBy.get(big.command_id)).toBe("http");
  expect(api.results.get(big.command_id)?.stdout).toBe(big.stdout);
  await reconnected;
  const opened = api.socketsOpened;

  const [next, small] = [result(2 * MAX_MESSAGE_BYTES), result(100)];
  expect(await results.post(next, deadline())).toBe(true);
  expect(await results.post(small, deadline())).toBe(true);
  expect(api.arrivedBy.get(next.command_id)).toBe("http");
  expect(api.arrivedBy.get(small.command_id)).toBe("ws");
  expect(api.socketsOpened).toBe(opened);
});
