/**
 * One command across a fleet, streamed to the caller per cluster: `POST /debug/execute/fleet` with
 * `Accept: text/event-stream`, real executors running real kubectl against the Kubernetes API
 * stand-in, and a registered cluster with no executor. Each cluster's chunks arrive tagged with it
 * and add up to its `cluster` event's output; the offline one is answered right after `accepted`;
 * the summary counts them; a caller that goes away has every running command stopped in its cluster.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningExecutor } from "../../executor/executor";
import type { ErrorBody, FleetClusterAnswer } from "../../src/models";
import { type KubeStandin, startKubeStandin } from "../k8s/standin";
import { type StreamedEvent as Event, postForEvents } from "../support/event-stream";
import { eventually } from "../support/eventually";
import { connectExecutor } from "../support/executor";
import { startTestServer, type TestServer } from "../support/server";

const RUNNING = ["fleet-a", "fleet-b"];
const OFFLINE = "fleet-off";
const dir = mkdtempSync(join(tmpdir(), "kubently-fleet-stream-"));
let server: TestServer;
let standin: KubeStandin;
let executors: RunningExecutor[];

beforeAll(async () => {
  [server, standin] = await Promise.all([startTestServer(), startKubeStandin()]);
  executors = await Promise.all(
    RUNNING.map((id) => connectExecutor(server, id, standin.kubeconfigPath, dir)),
  );
  await server.registerCluster(OFFLINE);
});
afterAll(async () => {
  await Promise.all(executors.map((executor) => executor.stop()));
  await Promise.all([server.stop(), standin.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

/** Posts the fleet call for events: a `logs` command in namespace shop unless `body` says otherwise. */
const streamFleet = (body: Record<string, unknown>) =>
  postForEvents(server.client, "/debug/execute/fleet", { command_type: "logs", namespace: "shop", ...body });

test("logs -f on two clusters and an offline one: events per cluster, chunks adding up to each answer", async () => {
  const { response, events } = await streamFleet({
    clusters: [...RUNNING, OFFLINE],
    args: ["-f", "deploy/frontend"],
    follow_seconds: 1,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toStartWith("text/event-stream");
  const correlationId = response.headers.get("x-correlation-id");
  const seen: Event[] = [];
  for await (const event of events) seen.push(event);

  const [accepted, offline] = seen;
  expect(accepted?.event).toBe("accepted");
  expect(accepted?.data.correlation_id).toBe(correlationId);
  const listed = accepted?.data.clusters as { cluster_id: string; command_id: string | null }[];
  expect(listed.map(({ cluster_id }) => cluster_id)).toEqual([...RUNNING, OFFLINE]);
  expect(listed.find(({ cluster_id }) => cluster_id === OFFLINE)?.command_id).toBeNull();
  // The offline cluster is answered at once, before any output of the others.
  expect(offline?.event).toBe("cluster");
  expect(offline?.data).toMatchObject({ cluster_id: OFFLINE, outcome: "offline" });

  const ends = seen.filter((e) => e.event === "cluster").map((e) => e.data as unknown as FleetClusterAnswer);
  expect(ends.map(({ cluster_id }) => cluster_id).sort()).toEqual([...RUNNING, OFFLINE].sort());
  for (const clusterId of RUNNING) {
    const answer = ends.find(({ cluster_id }) => cluster_id === clusterId);
    expect(answer).toMatchObject({ outcome: "success", result: { follow: { ended_by: "window" } } });
    expect(answer?.result?.command_id).toBe(
      listed.find(({ cluster_id }) => cluster_id === clusterId)?.command_id as string,
    );
    const chunks = seen.filter((e) => e.event === "chunk" && e.data.cluster_id === clusterId);
    expect(chunks.length).toBeGreaterThan(0);
    // Every chunk of the cluster comes before its end.
    expect(seen.lastIndexOf(chunks.at(-1) as Event)).toBeLessThan(
      seen.findIndex((e) => e.event === "cluster" && e.data.cluster_id === clusterId),
    );
    const stdout = chunks
      .filter((e) => e.data.stream === "stdout")
      .map((e) => e.data.text)
      .join("");
    expect(stdout).toContain("Next.js");
    expect(stdout).toBe(answer?.result?.stdout as string);
  }
  expect(seen.at(-1)).toEqual({
    event: "summary",
    data: {
      correlation_id: correlationId,
      summary: { success: 2, failure: 0, denied: 0, offline: 1, timeout: 0, error: 0 },
    },
  });
});

test("a caller that goes away mid-stream has every running command stopped in its cluster", async () => {
  const { events, leave } = await streamFleet({
    clusters: [...RUNNING, OFFLINE],
    args: ["--follow", "deploy/frontend"],
    follow_seconds: 60,
  });
  const accepted = (await events.next()).value as Event;
  expect(accepted.event).toBe("accepted");
  const commands = (accepted.data.clusters as { command_id: string | null }[])
    .map(({ command_id }) => command_id)
    .filter((id): id is string => id !== null);
  expect(commands).toHaveLength(RUNNING.length);
  // Wait until both clusters sent output: both commands run, their window a minute away.
  const talking = new Set<unknown>();
  for await (const event of events) {
    expect(event.event).not.toBe("summary");
    if (event.event === "chunk") talking.add(event.data.cluster_id);
    if (talking.size === RUNNING.length) break;
  }
  leave();
  const results = await eventually(async () =>
    Promise.all(
      commands.map(async (id) => {
        const stored = await server.store.getResult(id);
        if (!stored) throw new Error(`no result yet for ${id}`);
        return stored;
      }),
    ),
  );
  expect(results.map((result) => result.follow?.ended_by)).toEqual(["cancelled", "cancelled"]);
});

test("a refusal before anything is queued stays an ordinary JSON error", async () => {
  const { response } = await streamFleet({ selector: { name: "nomatch-*" }, args: ["-f", "deploy/x"] });
  expect(response.status).toBe(404);
  expect(response.headers.get("content-type")).toStartWith("application/json");
  expect(((await response.json()) as ErrorBody).details.code).toBe("NO_CLUSTER_MATCHES");
});
