/**
 * The audit trail checked the way an outside auditor would: real commands through a real server,
 * executor and kubectl, the chain read back over GET /audit a few entries a page, and verified by a
 * verifier written from the README's recipe alone ("Audit trail" → "The chain"), with node:crypto.
 * Nothing here imports the project's auditHash, canonicalJson or ChainVerifier: a drift between them
 * and the documented recipe fails this test even when `kubently audit verify` still agrees with itself.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningExecutor } from "../../executor/executor";
import { type KubeStandin, startKubeStandin } from "../k8s/standin";
import { startInProcessExecutor } from "../support/executor";
import { json, startTestServer, type TestServer } from "../support/server";
import { useStores } from "../support/stores";

// ---- the README's recipe, and nothing else ----

/** "canonical JSON (keys sorted, no whitespace)": keys sorted at every level, values as JSON writes them. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object)
      .filter((key) => object[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(object[key])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** "the SHA-256 (hex) of the entry without `hash`", its canonical JSON taken as UTF-8. */
function hashOf(entry: Record<string, unknown>): string {
  const { hash: _, ...body } = entry;
  return createHash("sha256").update(canonical(body), "utf8").digest("hex");
}

/** Walks the chain oldest first: the seq of the first link that does not hold, or null. */
function firstBreak(entries: Record<string, unknown>[], head: { seq: number; hash: string } | null) {
  let prev = "0".repeat(64);
  for (const [i, entry] of entries.entries()) {
    if (entry.seq !== i + 1 || entry.prev_hash !== prev || entry.hash !== hashOf(entry)) return i + 1;
    prev = entry.hash as string;
  }
  const last = entries.at(-1);
  if ((head?.seq ?? 0) !== entries.length || (last && head?.hash !== last.hash)) return entries.length + 1;
  return null;
}

// ---- a real trail ----

const { backends } = useStores("outside-audit");

/** Every entry, following next_after with small pages, and the head the last page names. */
async function readTrail(server: TestServer) {
  const entries: Record<string, unknown>[] = [];
  let head: { seq: number; hash: string } | null = null;
  let after: number | null = 0;
  for (let pages = 0; after !== null && pages < 100; pages++) {
    const response = await server.admin(`/audit?limit=3&after=${after}`);
    expect(response.status).toBe(200);
    const page = (await response.json()) as {
      entries: Record<string, unknown>[];
      next_after: number | null;
      head: { seq: number; hash: string } | null;
    };
    entries.push(...page.entries);
    head = page.head;
    after = page.next_after;
  }
  expect(after).toBeNull();
  return { entries, head };
}

describe.each(backends.filter(([name]) => name !== "memory"))("a trail on %s", (_, storeUrl) => {
  let server: TestServer;
  let standin: KubeStandin;
  let executor: RunningExecutor;
  const cacheDir = mkdtempSync(join(tmpdir(), "kubently-outside-audit-"));

  beforeAll(async () => {
    [server, standin] = await Promise.all([startTestServer({ storeUrl: storeUrl() }), startKubeStandin()]);
    executor = await startInProcessExecutor({
      apiUrl: server.url,
      clusterId: "audited",
      token: await server.registerCluster("audited"),
      kubeconfig: standin.kubeconfigPath,
      cacheDir: join(cacheDir, "cache"),
    });
  });
  afterAll(async () => {
    await executor.stop();
    await Promise.all([server.stop(), standin.stop()]);
    rmSync(cacheDir, { recursive: true, force: true });
  });

  test("verifies with a verifier written from the README, after real commands of every outcome", async () => {
    const execute = (args: string[], namespace?: string) =>
      server.client("/debug/execute", json({ cluster_id: "audited", command_type: "get", args, namespace }));
    const answered = [
      await execute(["pods"], "shop"), // succeeded
      await execute(["secrets"], "shop"), // denied by the executor's policy
      await execute(["pods", "no-such-pod"], "shop"), // failed: kubectl exits 1
      // Text beyond ASCII and characters JSON escapes, as a caller may send them.
      await execute(["pods", "-l", "app=café-ü", "-L", 'tier"\\\t'], "shop"),
    ];
    expect(answered.map((response) => response.status)).toEqual([200, 403, 200, 200]);
    await server.admin("/admin/clusters/audited/token?rotate=true", { method: "POST" });

    const { entries, head } = await readTrail(server);
    // Registering the cluster, four commands accepted and ended, one rotation.
    expect(entries.length).toBeGreaterThanOrEqual(10);
    expect(new Set(entries.map((entry) => entry.outcome))).toEqual(
      new Set(["succeeded", "accepted", "denied", "failed"]),
    );
    expect(entries.some((entry) => (JSON.stringify(entry.args) ?? "").includes("café-ü"))).toBe(true);
    expect(firstBreak(entries, head)).toBeNull();

    // The outside verifier is not a yes-machine: one changed field, anywhere, breaks its link.
    const tampered = entries.map((entry) => ({ ...entry }));
    const victim = tampered[4] as Record<string, unknown>;
    victim.namespace = "kube-system";
    expect(firstBreak(tampered, head)).toBe(5);
    expect(firstBreak(entries.slice(0, -1), head)).toBe(entries.length);
  }, 120_000);
});
