/**
 * A streamed command across replicas on one Redis: the executor's WebSocket is held by replica A,
 * the caller streams through replica B. Its chunks reach B, and the caller leaving B has A tell the
 * executor to stop it, all through the store's passing events (nothing of them is stored).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { EventSourceParserStream } from "eventsource-parser/stream";
import type { RunningExecutor } from "../../executor/executor";
import { type KubeStandin, startKubeStandin } from "../k8s/standin";
import { eventually } from "../support/eventually";
import { startInProcessExecutor } from "../support/executor";
import { json, startTestServer, type TestServer } from "../support/server";
import { useStores } from "../support/stores";

const CLUSTER = "replicas-stream";
const stores = useStores("follow-replicas");
let a: TestServer;
let b: TestServer;
let standin: KubeStandin;
let executor: RunningExecutor;

beforeAll(async () => {
  const shared = { storeUrl: stores.redis().url, redisPrefix: `follow-${crypto.randomUUID()}:` };
  [a, b, standin] = await Promise.all([startTestServer(shared), startTestServer(shared), startKubeStandin()]);
  executor = await startInProcessExecutor({
    apiUrl: a.url,
    clusterId: CLUSTER,
    token: await a.registerCluster(CLUSTER),
    kubeconfig: standin.kubeconfigPath,
    cacheDir: join(stores.dir, "cache"),
    transport: "ws",
  });
});
afterAll(async () => {
  await executor.stop();
  await Promise.all([a.stop(), b.stop(), standin.stop()]);
});

describe("streamed across replicas", () => {
  test("chunks reach the caller's replica, and its leaving stops the command on the executor's", async () => {
    const leaving = new AbortController();
    const response = await b.client("/debug/execute", {
      ...json({
        cluster_id: CLUSTER,
        command_type: "logs",
        args: ["-f", "deploy/frontend"],
        namespace: "shop",
        follow_seconds: 60,
      }),
      headers: { accept: "text/event-stream" },
      signal: leaving.signal,
    });
    expect(response.status).toBe(200);
    if (!response.body) throw new Error("no body");
    const events = response.body
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(new EventSourceParserStream())
      [Symbol.asyncIterator]();
    const accepted = (await events.next()).value as { event: string; data: string };
    expect(accepted.event).toBe("accepted");
    const first = (await events.next()).value as { event: string; data: string };
    // A minute's window: a chunk now was passed on through Redis while kubectl still runs.
    expect(first.event).toBe("chunk");
    expect(JSON.parse(first.data).text).toContain("Next.js");
    leaving.abort();
    const commandId = JSON.parse(accepted.data).command_id as string;
    const result = await eventually(async () => {
      const stored = await b.store.getResult(commandId);
      if (!stored) throw new Error("no result yet");
      return stored;
    });
    expect(result.follow?.ended_by).toBe("cancelled");
  });
});
