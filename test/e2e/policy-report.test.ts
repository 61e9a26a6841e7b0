/**
 * The policy an executor reports as it connects, end to end: the real executor (its gate on the
 * Kubernetes API stand-in) and the real server, over every transport. What it reports is what
 * GET /debug/clusters shows; an executor that reports none, or one the server cannot read, leaves
 * the cluster showing none, and still connects.
 */

import { afterEach, beforeAll, beforeEach, describe, expect, spyOn, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { EventSourceParserStream } from "eventsource-parser/stream";
import { resolveExecutorConfig } from "../../executor/config";
import { startExecutor } from "../../executor/executor";
import type { ExecutorLog } from "../../executor/log";
import { DEFAULT_RULE_NAMES } from "../../executor/redact";
import type { TransportName } from "../../executor/transports/types";
import pkg from "../../package.json" with { type: "json" };
import { setLogLevel } from "../../src/log";
import { type ClusterView, type ExecutorPolicy, encodePolicyReport } from "../../src/models";
import { eventually } from "../support/eventually";
import { executorEnv, startInProcessExecutor } from "../support/executor";
import { openExecutorSocket } from "../support/executor-socket";
import { makePolicy } from "../support/fixtures";
import { executorHeaders } from "../support/protocol-executor";
import { useServerAndStandin } from "../support/server-and-standin";

const pair = useServerAndStandin("policy-report");
const { dir } = pair;

/** Every field differs from the defaults, so a report that ignored the file would show it. */
const POLICY_FILE = `
mode: extendedReadOnly
allowedNamespaces: [shop, "team-*"]
deniedNamespaces: ["kube-*"]
restrictedResources: [secrets, configmaps]
maxTimeoutSeconds: 120
defaultTimeoutSeconds: 20
maxOutputBytes: 65536
maxFollowSeconds: 45
nativeReads: false
redaction:
  disable: [slack-token]
  rules:
    - { name: employee-id, valuePattern: "EMP-[0-9]{6}" }
impersonate:
  triage-bot: { user: "kubently:triage-bot", groups: ["kubently:readers"] }
`;
const REPORTED: ExecutorPolicy = {
  mode: "extendedReadOnly",
  allowed_namespaces: ["shop", "team-*"],
  denied_namespaces: ["kube-*"],
  restricted_resources: ["secrets", "configmaps"],
  max_timeout_seconds: 120,
  default_timeout_seconds: 20,
  max_output_bytes: 65_536,
  max_follow_seconds: 45,
  native_reads: false,
  redaction_rules: [...DEFAULT_RULE_NAMES.filter((name) => name !== "slack-token"), "employee-id"],
  impersonation: true,
  executor_version: pkg.version,
};
const policyPath = join(dir, "policy.yaml");
writeFileSync(policyPath, POLICY_FILE);

async function clusterView(clusterId: string): Promise<ClusterView & Record<string, unknown>> {
  const response = await pair.server.client("/debug/clusters");
  expect(response.status).toBe(200);
  const { clusters } = (await response.json()) as { clusters: ClusterView[] };
  const view = clusters.find((c) => c.cluster_id === clusterId);
  if (!view) throw new Error(`${clusterId} is not listed`);
  return view;
}

/**
 * A connection made by hand, as an executor older than the report (no header) or a broken one (a
 * header the server cannot read) would make it: resolves once the server accepted it.
 */
async function connectByHand(
  transport: TransportName,
  headers: Record<string, string>,
): Promise<{ close(): void }> {
  if (transport === "ws") {
    const socket = openExecutorSocket(pair.server.url, headers);
    expect((await socket.next()).type).toBe("connected");
    return { close: () => socket.socket.close() };
  }
  const abort = new AbortController();
  const path = transport === "sse" ? "/executor/stream" : "/executor/commands?wait=0";
  const response = await fetch(pair.server.url + path, { headers, signal: abort.signal });
  expect(response.status).toBe(200);
  if (transport === "sse" && response.body) {
    const events = response.body
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(new EventSourceParserStream())
      .getReader();
    expect((await events.read()).value?.event).toBe("connected");
  } else await response.text();
  return { close: () => abort.abort() };
}

const transports: TransportName[] = ["sse", "ws", "poll"];

describe.each(transports)("over %s", (transport) => {
  const clusterId = `policy-${transport}`;
  let token: string;
  let stderr: ReturnType<typeof spyOn>;
  beforeAll(async () => {
    token = await pair.server.registerCluster(clusterId);
  });
  beforeEach(() => {
    // The server's warning about an unreadable report is part of what is tested here.
    setLogLevel("warn");
    stderr = spyOn(process.stderr, "write").mockImplementation(() => true);
  });
  afterEach(() => {
    stderr.mockRestore();
    setLogLevel("error");
  });
  const env = () => ({
    ...executorEnv({
      apiUrl: pair.server.url,
      clusterId,
      token,
      transport,
      kubeconfig: pair.standin.kubeconfigPath,
      cacheDir: join(dir, `cache-${transport}`),
    }),
    KUBENTLY_POLICY: policyPath,
  });
  const warnings = () =>
    (stderr.mock.calls as unknown[][])
      .map(([line]) => String(line))
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.msg === "executor policy report ignored");

  test("the executor's effective policy is what GET /debug/clusters shows; impersonation without its users", async () => {
    expect((await clusterView(clusterId)).policy).toBeNull();
    const executor = await startInProcessExecutor(env());
    try {
      const view = await eventually(async () => {
        const seen = await clusterView(clusterId);
        expect(seen.policy).not.toBeNull();
        return seen;
      });
      expect(view).toMatchObject({ connected: true, transport });
      expect(view.policy).toEqual(REPORTED);
      const body = await (await pair.server.client("/debug/clusters")).text();
      expect(body).not.toContain("triage-bot");
      expect(body).not.toContain("kubently:readers");
    } finally {
      await executor.stop();
    }
    // Kept after the executor left: an agent still learns what the cluster allows.
    expect((await clusterView(clusterId)).policy).toEqual(REPORTED);
  });

  test("an executor older than the report clears it; an unreadable report is ignored with a warning, never stored", async () => {
    const headers = executorHeaders(clusterId, token);
    const older = await connectByHand(transport, headers);
    await eventually(async () => expect((await clusterView(clusterId)).policy).toBeNull());
    older.close();

    const other = makePolicy({ executor_version: "test-1.0" });
    const current = await connectByHand(transport, {
      ...headers,
      "x-executor-policy": encodePolicyReport(other),
    });
    await eventually(async () => expect((await clusterView(clusterId)).policy).toEqual(other));
    current.close();

    const unreadable = [
      encodePolicyReport({ ...other, mode: "godMode" } as unknown as ExecutorPolicy),
      Buffer.from("{not json").toString("base64url"),
      "not base64url!",
    ];
    for (const [i, header] of unreadable.entries()) {
      const broken = await connectByHand(transport, { ...headers, "x-executor-policy": header });
      await eventually(async () => expect((await clusterView(clusterId)).policy).toBeNull());
      expect(warnings()).toHaveLength(i + 1);
      broken.close();
      // Connected with a valid report again, so the next unreadable one has something to clear.
      const again = await connectByHand(transport, {
        ...headers,
        "x-executor-policy": encodePolicyReport(other),
      });
      await eventually(async () => expect((await clusterView(clusterId)).policy).toEqual(other));
      again.close();
    }
    expect(warnings().map((line) => [line.cluster_id, line.problem])).toEqual([
      [clusterId, "/mode: Expected union value"],
      [clusterId, "not JSON"],
      [clusterId, "not base64url"],
    ]);
  });
});

test("a policy too big for a header is not reported in part: the executor says so and connects without one", async () => {
  const clusterId = "policy-too-big";
  const token = await pair.server.registerCluster(clusterId);
  const namespaces = Array.from({ length: 600 }, (_, i) => `tenant-namespace-${i}`);
  const bigPolicy = join(dir, "big.yaml");
  writeFileSync(bigPolicy, `allowedNamespaces: [${namespaces.join(", ")}]\n`);
  const lines: { msg: string; fields?: Record<string, unknown> }[] = [];
  const log: ExecutorLog = (_level, msg, fields) => lines.push({ msg, fields });
  const env = {
    ...executorEnv({
      apiUrl: pair.server.url,
      clusterId,
      token,
      kubeconfig: pair.standin.kubeconfigPath,
      cacheDir: join(dir, "cache-big"),
    }),
    KUBENTLY_POLICY: bigPolicy,
  };
  const executor = await startExecutor(resolveExecutorConfig({}, env), { log, env });
  try {
    await executor.connected();
    await eventually(async () => expect((await clusterView(clusterId)).connected).toBe(true));
    expect((await clusterView(clusterId)).policy).toBeNull();
    const warning = lines.find(
      (line) => line.msg === "policy not reported: its summary is too big for a header",
    );
    expect(warning?.fields).toMatchObject({ max_bytes: 8_192 });
    expect(Number(warning?.fields?.encoded_bytes)).toBeGreaterThan(8_192);
  } finally {
    await executor.stop();
  }
});
