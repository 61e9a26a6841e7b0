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
import { runKubently } from "../support/cli";
import { type StreamedEvent as Event, postForEvents } from "../support/event-stream";
import { eventually } from "../support/eventually";
import { connectExecutor } from "../support/executor";
import { CLIENT_KEY, startTestServer, type TestServer } from "../support/server";

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

test("kubently exec --clusters prints a follow as it comes, each line prefixed by its cluster, once", async () => {
  const env = { KUBENTLY_URL: server.url, KUBENTLY_API_KEY: CLIENT_KEY };
  const clusters = [...RUNNING, OFFLINE].join(",");
  const follow = ["logs", "-f", "deploy/frontend", "-n", "shop"];
  const done = await runKubently(["exec", "--clusters", clusters, "--follow-seconds", "1", ...follow], env);
  expect(done.code).toBe(1); // the offline cluster ran nothing
  for (const clusterId of RUNNING) {
    const lines = done.stdout.split("\n").filter((line) => line.includes("Next.js"));
    expect(lines.filter((line) => line.startsWith(`${clusterId}  `))).toHaveLength(1);
  }
  expect(done.stderr).toContain(`${OFFLINE}  kubently: offline: EXECUTOR_OFFLINE`);
  expect(done.stderr).toContain("3 clusters: 2 success, 1 offline");

  // A minute's window: lines of both clusters printed are output passed on while kubectl still runs.
  const correlation = `cli-fleet-follow-${crypto.randomUUID()}`;
  const cli = Bun.spawn(
    [
      process.execPath,
      "src/index.ts",
      "exec",
      "--clusters",
      clusters,
      "--correlation-id",
      correlation,
    ].concat(["--follow-seconds", "60", ...follow]),
    { env: { PATH: process.env.PATH ?? "", ...env }, stdout: "pipe", stderr: "ignore" },
  );
  let printed = "";
  for await (const chunk of cli.stdout) {
    printed += new TextDecoder().decode(chunk);
    if (RUNNING.every((id) => new RegExp(`^${id} +▲ Next.js`, "m").test(printed))) break;
  }
  expect(cli.exitCode).toBeNull();
  cli.kill();
  await cli.exited;
  const ended = await eventually(async () => {
    const audit = (await (await server.admin("/audit?action=command&limit=1000")).json()) as {
      entries: { correlation_id?: string; command_id?: string }[];
    };
    const ids = new Set(
      audit.entries.filter((entry) => entry.correlation_id === correlation).map((entry) => entry.command_id),
    );
    const results = await Promise.all([...ids].map((id) => server.store.getResult(id as string)));
    if (ids.size !== RUNNING.length || results.some((result) => !result)) throw new Error("not ended yet");
    return results.map((result) => result?.follow?.ended_by);
  });
  expect(ended).toEqual(["cancelled", "cancelled"]);
});
