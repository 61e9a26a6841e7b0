/**
 * The Store contract suite: every backend runs exactly these tests, unchanged. A backend-specific
 * test file calls `storeContract` with a factory that opens a fresh, empty store.
 */
import { afterEach, beforeEach, describe, expect, spyOn, test } from "bun:test";
import { type AuditRecord, auditHash, ChainVerifier, type Command, GENESIS_HASH } from "../../src/models";
import {
  type AuditQuery,
  type OperationOutcome,
  RESULT_EVENT_MAX_BYTES,
  type Store,
  type StoreEvent,
} from "../../src/store";
import { nextEvent } from "../support/events";
import { makeAuditRecord, makeCommand, makePolicy, makeResult, makeSession } from "../support/fixtures";

export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    const ids = (commands: { command_id: string }[]) => commands.map((c) => c.command_id);

    describe("sessions", () => {
      test("a stored session reads back equal and counts as active", async () => {
        const session = makeSession("alpha");
        await store.putSession(session);
        expect(await store.getSession(session.session_id)).toEqual(session);
        expect(await store.countActiveSessions(Date.now())).toBe(1);
        expect(await store.isClusterActive("alpha", Date.now())).toBe(true);
        expect(await store.isClusterActive("beta", Date.now())).toBe(false);
      });

      test("an expired session is neither returned nor counted", async () => {
        const expired = makeSession("alpha", 300_000, {
          expires_at: new Date(Date.now() - 1_000).toISOString(),
        });
        await store.putSession(expired);
        expect(await store.getSession(expired.session_id)).toBeNull();
        expect(await store.countActiveSessions(Date.now())).toBe(0);
        expect(await store.isClusterActive("alpha", Date.now())).toBe(false);
      });

      test("replacing a session extends it; deleting it ends it once", async () => {
        const session = makeSession("alpha", 60_000);
        await store.putSession(session);
        const extended = { ...session, expires_at: new Date(Date.now() + 600_000).toISOString() };
        await store.putSession(extended);
        expect(await store.getSession(session.session_id)).toEqual(extended);
        expect(await store.countActiveSessions(Date.now())).toBe(1);
        expect(await store.deleteSession(session.session_id)).toBe(true);
        expect(await store.deleteSession(session.session_id)).toBe(false);
        expect(await store.getSession(session.session_id)).toBeNull();
        expect(await store.isClusterActive("alpha", Date.now())).toBe(false);
      });

      test("a cluster stays active while any of its sessions lives", async () => {
        const long = makeSession("alpha", 600_000);
        const short = makeSession("alpha", 60_000);
        await store.putSession(long);
        await store.putSession(short);
        await store.deleteSession(long.session_id);
        expect(await store.isClusterActive("alpha", Date.now())).toBe(true);
        await store.deleteSession(short.session_id);
        expect(await store.isClusterActive("alpha", Date.now())).toBe(false);
      });
    });

    describe("clusters", () => {
      test("labels start empty, are replaced whole, outlive presence and rotation, and need a cluster", async () => {
        await store.createCluster("alpha", "hash-1", { replace: false, nowMs: 1_000 });
        expect((await store.getCluster("alpha"))?.labels).toEqual({});
        expect(await store.setClusterLabels("alpha", { env: "prod", region: "eu" })).toBe(true);
        expect((await store.getCluster("alpha"))?.labels).toEqual({ env: "prod", region: "eu" });
        expect(await store.setClusterLabels("alpha", { env: "staging" })).toBe(true);
        await store.recordPresence("alpha", { connected: true, connection: "c1", at_ms: 2_000 });
        await store.createCluster("alpha", "hash-2", { replace: true, nowMs: 3_000 });
        expect((await store.getCluster("alpha"))?.labels).toEqual({ env: "staging" });
        expect((await store.listClusters()).map((c) => c.labels)).toEqual([{ env: "staging" }]);
        expect(await store.setClusterLabels("beta", { env: "prod" })).toBe(false);
        expect(await store.getCluster("beta")).toBeNull();
      });

      test("a token is created once, kept on a second create, and changed only by replace", async () => {
        expect(await store.createCluster("alpha", "hash-1", { replace: false, nowMs: 1_000 })).toBe(
          "created",
        );
        expect(await store.createCluster("alpha", "hash-2", { replace: false, nowMs: 2_000 })).toBe("exists");
        expect((await store.getCluster("alpha"))?.token_hash).toBe("hash-1");
        expect(await store.createCluster("alpha", "hash-3", { replace: true, nowMs: 3_000 })).toBe(
          "replaced",
        );
        const cluster = await store.getCluster("alpha");
        expect(cluster?.token_hash).toBe("hash-3");
        expect(cluster?.created_at_ms).toBe(1_000);
        expect(cluster?.connected).toBe(false);
        expect(cluster?.last_seen_ms).toBeNull();
      });

      test("clusters list in id order, and an unknown cluster is null", async () => {
        for (const id of ["gamma", "alpha", "beta"])
          await store.createCluster(id, `h-${id}`, { replace: false, nowMs: 1 });
        expect((await store.listClusters()).map((c) => c.cluster_id)).toEqual(["alpha", "beta", "gamma"]);
        expect(await store.getCluster("delta")).toBeNull();
      });

      test("presence records the executor's last contact, version and transport", async () => {
        await store.createCluster("alpha", "h", { replace: false, nowMs: 1 });
        await store.recordPresence("alpha", {
          connected: true,
          connection: "sse-1",
          executor_version: "1.2.3",
          transport: "sse",
          at_ms: 5_000,
        });
        expect(await store.getCluster("alpha")).toMatchObject({
          connected: true,
          last_seen_ms: 5_000,
          executor_version: "1.2.3",
          transport: "sse",
        });
        await store.recordPresence("alpha", { connected: false, connection: "sse-1", at_ms: 6_000 });
        expect(await store.getCluster("alpha")).toMatchObject({
          connected: false,
          last_seen_ms: 6_000,
          executor_version: "1.2.3",
          transport: "sse",
        });
      });

      test("an old connection's disconnect, recorded after its executor reconnected, leaves it connected", async () => {
        await store.createCluster("alpha", "h", { replace: false, nowMs: 1 });
        await store.recordPresence("alpha", {
          connected: true,
          connection: "old",
          transport: "sse",
          at_ms: 1_000,
        });
        await store.recordPresence("alpha", {
          connected: true,
          connection: "new",
          transport: "poll",
          at_ms: 2_000,
        });
        await store.recordPresence("alpha", { connected: false, connection: "old", at_ms: 3_000 });
        expect(await store.getCluster("alpha")).toMatchObject({
          connected: true,
          last_seen_ms: 2_000,
          transport: "poll",
        });
        await store.recordPresence("alpha", { connected: false, connection: "new", at_ms: 4_000 });
        expect(await store.getCluster("alpha")).toMatchObject({ connected: false, last_seen_ms: 4_000 });
      });

      test("a reported policy is kept through keepalives and disconnects, replaced or cleared by the next connection", async () => {
        await store.createCluster("alpha", "h", { replace: false, nowMs: 1 });
        await store.createCluster("beta", "h", { replace: false, nowMs: 1 });
        expect((await store.getCluster("alpha"))?.policy).toBeNull();
        const policy = makePolicy();
        await store.recordPresence("alpha", { connected: true, connection: "c1", policy, at_ms: 1_000 });
        expect((await store.getCluster("alpha"))?.policy).toEqual(policy);
        await store.recordPresence("alpha", { connected: true, connection: "c1", at_ms: 2_000 });
        await store.recordPresence("alpha", { connected: false, connection: "c1", at_ms: 3_000 });
        expect((await store.getCluster("alpha"))?.policy).toEqual(policy);
        expect((await store.listClusters()).map((c) => [c.cluster_id, c.policy])).toEqual([
          ["alpha", policy],
          ["beta", null],
        ]);

        const stricter = makePolicy({ mode: "readOnly", denied_namespaces: ["kube-*"], native_reads: false });
        await store.recordPresence("alpha", {
          connected: true,
          connection: "c2",
          policy: stricter,
          at_ms: 4_000,
        });
        expect((await store.getCluster("alpha"))?.policy).toEqual(stricter);
        // An executor that reports nothing (older than the report) leaves no stale policy behind.
        await store.recordPresence("alpha", {
          connected: true,
          connection: "c3",
          policy: null,
          at_ms: 5_000,
        });
        expect((await store.getCluster("alpha"))?.policy).toBeNull();
        expect((await store.listClusters())[0]?.policy).toBeNull();
      });

      test("a policy for an unknown cluster creates nothing", async () => {
        await store.recordPresence("ghost", {
          connected: true,
          connection: "c1",
          policy: makePolicy(),
          at_ms: 1_000,
        });
        expect(await store.getCluster("ghost")).toBeNull();
        expect(await store.listClusters()).toEqual([]);
      });

      test("deleting a cluster publishes a revocation once", async () => {
        await store.createCluster("alpha", "h", { replace: false, nowMs: 1 });
        const revoked = nextEvent(store, (e) => e.type === "revoked");
        expect(await store.deleteCluster("alpha")).toBe(true);
        expect(await revoked).toEqual({ type: "revoked", cluster_id: "alpha" });
        expect(await store.deleteCluster("alpha")).toBe(false);
        expect(await store.getCluster("alpha")).toBeNull();
      });
    });

    describe("queue", () => {
      test("enqueue publishes a command event for the cluster", async () => {
        const event = nextEvent(store, (e) => e.type === "command");
        await store.enqueue(makeCommand("alpha"));
        expect(await event).toEqual({ type: "command", cluster_id: "alpha" });
        expect(await store.queueDepth("alpha")).toBe(1);
        expect(await store.queueDepth("beta")).toBe(0);
      });

      test("claims hand out each command once, oldest first, up to max", async () => {
        const commands = [1, 2, 3].map(() => makeCommand("alpha"));
        for (const c of commands) await store.enqueue(c);
        await store.enqueue(makeCommand("beta"));
        const now = Date.now();
        const first = await store.claim("alpha", "conn-a", 2, 30_000, now);
        expect(first).toEqual(commands.slice(0, 2));
        const second = await store.claim("alpha", "conn-b", 10, 30_000, now);
        expect(ids(second)).toEqual(ids(commands.slice(2)));
        expect(await store.claim("alpha", "conn-c", 10, 30_000, now)).toEqual([]);
        expect((await store.commandInfo(commands[0]?.command_id ?? ""))?.state).toBe("inflight");
        expect(await store.queueDepth("beta")).toBe(1);
      });

      test("a command past its deadline is never claimed", async () => {
        const late = makeCommand("alpha", { deadline_ms: Date.now() - 1 });
        const fresh = makeCommand("alpha");
        await store.enqueue(late);
        await store.enqueue(fresh);
        expect(ids(await store.claim("alpha", "conn-a", 10, 30_000, Date.now()))).toEqual([fresh.command_id]);
        expect((await store.commandInfo(late.command_id))?.state).toBe("cancelled");
      });

      test("release puts a consumer's unanswered commands back at the front", async () => {
        const [a, b, c] = [makeCommand("alpha"), makeCommand("alpha"), makeCommand("alpha")];
        for (const cmd of [a, b]) await store.enqueue(cmd);
        const now = Date.now();
        await store.claim("alpha", "conn-a", 10, 30_000, now);
        await store.enqueue(c);
        await store.putResult("alpha", makeResult(a), 60_000);
        const requeued = nextEvent(store, (e) => e.type === "command");
        expect(await store.release("conn-a", now)).toBe(1);
        await requeued;
        expect(ids(await store.claim("alpha", "conn-b", 10, 30_000, now))).toEqual([
          b.command_id,
          c.command_id,
        ]);
      });

      test("a released command whose deadline passed is dropped, not requeued", async () => {
        const cmd = makeCommand("alpha", { deadline_ms: Date.now() + 1_000 });
        await store.enqueue(cmd);
        await store.claim("alpha", "conn-a", 10, 30_000, Date.now());
        expect(await store.release("conn-a", Date.now() + 2_000)).toBe(0);
        expect(await store.claim("alpha", "conn-b", 10, 30_000, Date.now())).toEqual([]);
        expect((await store.commandInfo(cmd.command_id))?.state).toBe("cancelled");
      });

      test("an expired lease is requeued, a renewed one is not", async () => {
        const held = makeCommand("alpha");
        const renewed = makeCommand("alpha");
        await store.enqueue(held);
        const now = Date.now();
        await store.claim("alpha", "conn-a", 10, 1_000, now);
        await store.enqueue(renewed);
        await store.claim("alpha", "conn-b", 10, 1_000, now);
        await store.renewLeases("conn-b", 10_000, now);
        expect(await store.requeueExpired(now + 5_000)).toBe(1);
        expect(ids(await store.claim("alpha", "conn-c", 10, 30_000, now))).toEqual([held.command_id]);
        expect((await store.commandInfo(renewed.command_id))?.state).toBe("inflight");
      });

      test("cancel withdraws a pending command but not one in flight", async () => {
        const pending = makeCommand("alpha");
        const inflight = makeCommand("beta");
        await store.enqueue(pending);
        await store.enqueue(inflight);
        await store.claim("beta", "conn-b", 10, 30_000, Date.now());
        expect(await store.cancel(pending.command_id)).toBe("pending");
        expect(await store.cancel(inflight.command_id)).toBe("inflight");
        expect(await store.cancel(crypto.randomUUID())).toBeNull();
        expect(await store.claim("alpha", "conn-a", 10, 30_000, Date.now())).toEqual([]);
        expect(await store.commandInfo(pending.command_id)).toMatchObject({
          state: "cancelled",
          cluster_id: "alpha",
        });
        expect(await store.commandInfo(inflight.command_id)).toMatchObject({
          state: "inflight",
          cluster_id: "beta",
          deadline_ms: inflight.deadline_ms,
        });
      });

      test("concurrent claimers never share a command", async () => {
        const commands = Array.from({ length: 60 }, () => makeCommand("alpha"));
        for (const c of commands) await store.enqueue(c);
        const now = Date.now();
        const batches = await Promise.all(
          Array.from({ length: 12 }, (_, i) => store.claim("alpha", `conn-${i}`, 7, 30_000, now)),
        );
        const claimed = batches.flatMap(ids);
        expect(new Set(claimed).size).toBe(claimed.length);
        expect(claimed.sort()).toEqual(ids(commands).sort());
      });
    });

    describe("results", () => {
      test("a result too large to ride on its event is announced, and a carried one is whole", async () => {
        const cmd = makeCommand("alpha");
        await store.enqueue(cmd);
        const large = makeResult(cmd, { stdout: "x".repeat(RESULT_EVENT_MAX_BYTES) });
        const published = nextEvent(store, (e) => e.type === "result");
        expect(await store.putResult("alpha", large, 60_000)).toEqual({ status: "stored", command: cmd });
        const event = await published;
        // Over Redis every replica would receive it; in one process it costs nothing to pass along.
        expect(event).toEqual({
          type: "result",
          command_id: cmd.command_id,
          ...(store.kind === "redis" ? {} : { result: large }),
        });
        expect(await store.getResult(cmd.command_id)).toEqual(large);
      });

      test("the first result wins, marks the command done and is published", async () => {
        const cmd = makeCommand("alpha");
        await store.enqueue(cmd);
        await store.claim("alpha", "conn-a", 10, 30_000, Date.now());
        const published = nextEvent(store, (e) => e.type === "result");
        const first = makeResult(cmd, { stdout: "first" });
        expect(await store.putResult("alpha", first, 60_000)).toEqual({ status: "stored", command: cmd });
        // A small result rides on the event, so waiters need not read it back.
        expect(await published).toEqual({ type: "result", command_id: cmd.command_id, result: first });
        expect(await store.putResult("alpha", makeResult(cmd, { stdout: "second" }), 60_000)).toEqual({
          status: "duplicate",
          command: cmd,
        });
        expect(await store.getResult(cmd.command_id)).toEqual(first);
        expect((await store.commandInfo(cmd.command_id))?.state).toBe("done");
        expect(await store.release("conn-a", Date.now())).toBe(0);
      });

      test("a result for an unknown command, or from another cluster, is refused and changes nothing", async () => {
        const cmd = makeCommand("alpha");
        expect(await store.putResult("alpha", makeResult(cmd), 60_000)).toEqual({ status: "unknown" });
        await store.enqueue(cmd);
        const announced: string[] = [];
        const off = store.subscribe((e) => e.type === "result" && announced.push(e.command_id));
        expect(await store.putResult("beta", makeResult(cmd), 60_000)).toEqual({ status: "wrong_cluster" });
        expect(await store.getResult(cmd.command_id)).toBeNull();
        expect((await store.commandInfo(cmd.command_id))?.state).toBe("pending");
        // Events arrive in order: had the refused one been announced, it would come before this one.
        const other = makeCommand("alpha");
        await store.enqueue(other);
        const published = nextEvent(store, (e) => e.type === "result");
        await store.putResult("alpha", makeResult(other), 60_000);
        await published;
        off();
        expect(announced).toEqual([other.command_id]);
      });

      test("an unknown result is null", async () => {
        expect(await store.getResult(crypto.randomUUID())).toBeNull();
      });
    });

    describe("output parts", () => {
      test("parts read back in order, per stream, only when every one asked for is there", async () => {
        const id = crypto.randomUUID();
        // Put out of order, as concurrent uploads may arrive.
        await store.putOutputPart(id, "stdout", 2, "c\n", 60_000);
        await store.putOutputPart(id, "stdout", 0, "a\n", 60_000);
        expect(await store.readOutputParts(id, "stdout", 3)).toBeNull();
        await store.putOutputPart(id, "stdout", 1, "b\n", 60_000);
        await store.putOutputPart(id, "stderr", 0, "warning\n", 60_000);
        expect(await store.readOutputParts(id, "stdout", 3)).toEqual(["a\n", "b\n", "c\n"]);
        expect(await store.readOutputParts(id, "stderr", 1)).toEqual(["warning\n"]);
        expect(await store.readOutputParts(id, "stderr", 2)).toBeNull();
        expect(await store.readOutputParts(crypto.randomUUID(), "stdout", 1)).toBeNull();
      });

      test("a part put again replaces the first; dropping forgets both streams of that command only", async () => {
        const [id, other] = [crypto.randomUUID(), crypto.randomUUID()];
        await store.putOutputPart(id, "stdout", 0, "first", 60_000);
        await store.putOutputPart(id, "stdout", 0, "again", 60_000);
        await store.putOutputPart(id, "stderr", 0, "err", 60_000);
        await store.putOutputPart(other, "stdout", 0, "other", 60_000);
        expect(await store.readOutputParts(id, "stdout", 1)).toEqual(["again"]);
        await store.dropOutputParts(id);
        expect(await store.readOutputParts(id, "stdout", 1)).toBeNull();
        expect(await store.readOutputParts(id, "stderr", 1)).toBeNull();
        expect(await store.readOutputParts(other, "stdout", 1)).toEqual(["other"]);
      });

      test("parts expire with their TTL", async () => {
        const [id, kept] = [crypto.randomUUID(), crypto.randomUUID()];
        await store.putOutputPart(id, "stdout", 0, "soon gone", 40);
        await store.putOutputPart(kept, "stdout", 0, "kept", 60_000);
        // The TTL is what is under test here, so time has to pass.
        await Bun.sleep(80);
        expect(await store.readOutputParts(id, "stdout", 1)).toBeNull();
        await store.sweep(Date.now());
        expect(await store.readOutputParts(kept, "stdout", 1)).toEqual(["kept"]);
      });
    });

    describe("events", () => {
      test("a listener that throws is logged and passed over: the others hear the event, the store keeps working", async () => {
        const stderr = spyOn(process.stderr, "write").mockImplementation(() => true);
        const before = nextEvent(store, (e) => e.type === "command");
        const off = store.subscribe(() => {
          throw new Error("listener bug");
        });
        const after = nextEvent(store, (e) => e.type === "command");
        try {
          const cmd = makeCommand("alpha");
          await store.enqueue(cmd);
          const announced: StoreEvent = { type: "command", cluster_id: "alpha" };
          expect(await before).toEqual(announced);
          expect(await after).toEqual(announced);
          const published = nextEvent(store, (e) => e.type === "result");
          expect(await store.putResult("alpha", makeResult(cmd), 60_000)).toEqual({
            status: "stored",
            command: cmd,
          });
          expect(await published).toMatchObject({ type: "result", command_id: cmd.command_id });
          const logged = stderr.mock.calls.map((args: unknown[]) => String(args[0])).join("");
          expect(logged).toContain("store event listener failed");
          expect(logged).toContain("listener bug");
        } finally {
          off();
          stderr.mockRestore();
        }
      });
    });

    describe("operations", () => {
      const succeeded = (command: Command): OperationOutcome => ({
        status: "succeeded",
        completed_at: new Date().toISOString(),
        result: makeResult(command),
      });

      test("an operation reads back with its command and callback, open until completed", async () => {
        const command = makeCommand("alpha");
        await store.createOperation({ command, callback_url: "https://hooks.example.com/k" }, 60_000);
        expect(await store.getOperation(command.command_id)).toEqual({
          command,
          callback_url: "https://hooks.example.com/k",
          outcome: null,
        });
        expect(await store.getOperation(crypto.randomUUID())).toBeNull();
      });

      test("the first outcome wins; an unknown operation cannot be completed", async () => {
        const command = makeCommand("alpha");
        await store.createOperation({ command, callback_url: null }, 60_000);
        const first = succeeded(command);
        const denied: OperationOutcome = {
          status: "denied",
          completed_at: new Date().toISOString(),
          error: { message: "no", code: "COMMAND_DENIED", context: { denial_code: "VERB_NOT_ALLOWED" } },
        };
        expect(await store.completeOperation(command.command_id, first, 60_000)).toBe(true);
        expect(await store.completeOperation(command.command_id, denied, 60_000)).toBe(false);
        expect(await store.getOperation(command.command_id)).toEqual({
          command,
          callback_url: null,
          outcome: first,
        });
        expect(await store.completeOperation(crypto.randomUUID(), denied, 60_000)).toBe(false);
      });

      test("an operation expires with its TTL, and completing it starts the TTL again", async () => {
        const [open, done] = [makeCommand("alpha"), makeCommand("alpha")];
        await store.createOperation({ command: open, callback_url: null }, 40);
        await store.createOperation({ command: done, callback_url: null }, 40);
        expect(await store.completeOperation(done.command_id, succeeded(done), 60_000)).toBe(true);
        // The TTL is what is under test here, so time has to pass.
        await Bun.sleep(80);
        expect(await store.getOperation(open.command_id)).toBeNull();
        expect(await store.completeOperation(open.command_id, succeeded(open), 60_000)).toBe(false);
        expect((await store.getOperation(done.command_id))?.outcome?.status).toBe("succeeded");
        await store.sweep(Date.now());
        expect((await store.getOperation(done.command_id))?.outcome?.status).toBe("succeeded");
      });
    });

    describe("audit trail", () => {
      /** Every entry matching `query`, following next_after to the end; and the last page's head. */
      async function readAll(query: Partial<AuditQuery> = {}, limit = 1000) {
        const entries = [];
        let page = await store.readAudit({ after: 0, limit, ...query });
        entries.push(...page.entries);
        while (page.next_after !== null) {
          page = await store.readAudit({ ...query, after: page.next_after, limit });
          entries.push(...page.entries);
        }
        return { entries, head: page.head };
      }

      test("an empty trail reads as no entries and no head", async () => {
        expect(await store.readAudit({ after: 0, limit: 10 })).toEqual({
          entries: [],
          next_after: null,
          head: null,
        });
      });

      test("appends are numbered from 1 and each links to the one before it by hash", async () => {
        const records = [1, 2, 3].map((n) => makeAuditRecord({ args: ["pods", `n${n}`] }));
        await store.appendAudit(records.slice(0, 2));
        await store.appendAudit(records.slice(2));
        const read = await store.readAudit({ after: 0, limit: 10 });
        const { entries } = read;
        expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
        expect(entries.map((e) => e.prev_hash)).toEqual([
          GENESIS_HASH,
          ...entries.slice(0, 2).map((e) => e.hash),
        ]);
        for (const [i, entry] of entries.entries()) {
          expect(entry).toMatchObject(records[i] as AuditRecord);
          expect(entry.hash).toBe(auditHash(entry));
        }
        expect(read.next_after).toBeNull();
        expect(read.head).toEqual({ seq: 3, hash: entries[2]?.hash ?? "" });
      });

      test("reads filter by cluster, identity, action, outcome and time, oldest first, page by cursor", async () => {
        const base = Date.parse("2026-01-15T12:00:00.000Z");
        const records = Array.from({ length: 24 }, (_, i) =>
          makeAuditRecord({
            at: new Date(base + i * 1_000).toISOString(),
            cluster_id: i % 2 === 0 ? "alpha" : "beta",
            identity: i % 3 === 0 ? "ops" : "agent",
            action: i % 4 === 0 ? "token.create" : "command",
            outcome: i % 4 === 0 ? "succeeded" : "accepted",
          }),
        );
        await store.appendAudit(records);
        const seqsOf = (filter: (r: AuditRecord, i: number) => boolean) =>
          records.flatMap((r, i) => (filter(r, i) ? [i + 1] : []));
        const cases: [Partial<AuditQuery>, number[]][] = [
          [{ cluster_id: "beta" }, seqsOf((r) => r.cluster_id === "beta")],
          [
            { identity: "ops", cluster_id: "alpha" },
            seqsOf((r) => r.identity === "ops" && r.cluster_id === "alpha"),
          ],
          [{ action: "token.create" }, seqsOf((r) => r.action === "token.create")],
          [{ outcome: "accepted" }, seqsOf((r) => r.outcome === "accepted")],
          [{ from_ms: base + 5_000, to_ms: base + 9_000 }, [6, 7, 8, 9]],
          [{ cluster_id: "gamma" }, []],
        ];
        for (const [query, seqs] of cases) {
          for (const limit of [1000, 3]) {
            expect((await readAll(query, limit)).entries.map((e) => e.seq)).toEqual(seqs);
          }
        }
        const page = await store.readAudit({ after: 2, limit: 5, cluster_id: "alpha" });
        expect(page.entries.map((e) => e.seq)).toEqual([3, 5, 7, 9, 11]);
        expect(page.next_after).toBe(11);
      });

      test("200 concurrent appends make one unbroken chain, each append's records together and in order", async () => {
        const batches = Array.from({ length: 200 }, (_, i) =>
          i % 10 === 0 ? [makeAuditRecord(), makeAuditRecord()] : [makeAuditRecord()],
        );
        await Promise.all(batches.map((batch) => store.appendAudit(batch)));
        const { entries, head } = await readAll();
        expect(entries.length).toBe(220);
        const verifier = new ChainVerifier();
        expect(verifier.add(entries)).toBeNull();
        expect(verifier.finish(head)).toBeNull();
        const seqOf = new Map(entries.map((e) => [e.id, e.seq]));
        for (const batch of batches) {
          const seqs = batch.map((record) => seqOf.get(record.id) ?? 0);
          expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] ?? 0) + i));
        }
      });
    });

    describe("rate-limit buckets", () => {
      const limit = { perSecond: 2, burst: 3 };
      const at = 1_000_000;
      const allowed = { allowed: true, retryAfterMs: 0 };

      test("a fresh bucket allows its burst at once, then refuses until a token has refilled", async () => {
        for (let i = 0; i < 3; i++) expect(await store.takeToken("client:a", limit, at)).toEqual(allowed);
        expect(await store.takeToken("client:a", limit, at)).toEqual({ allowed: false, retryAfterMs: 500 });
        expect(await store.takeToken("client:a", limit, at + 250)).toEqual({
          allowed: false,
          retryAfterMs: 250,
        });
        expect(await store.takeToken("client:b", limit, at + 250)).toEqual(allowed);
        expect(await store.takeToken("client:a", limit, at + 500)).toEqual(allowed);
        expect(await store.takeToken("client:a", limit, at + 500)).toMatchObject({ allowed: false });
      });

      test("refills up to its burst, never beyond, and a clock behind its last take adds nothing", async () => {
        for (let i = 0; i < 3; i++) await store.takeToken("cluster:x", limit, at);
        const later = at + 60_000;
        for (let i = 0; i < 3; i++) expect(await store.takeToken("cluster:x", limit, later)).toEqual(allowed);
        expect(await store.takeToken("cluster:x", limit, later)).toEqual({
          allowed: false,
          retryAfterMs: 500,
        });
        expect(await store.takeToken("cluster:x", limit, later - 10_000)).toEqual({
          allowed: false,
          retryAfterMs: 500,
        });
      });

      test("counts no unavailability on a live store", () => {
        expect(store.unavailableErrors).toBe(0);
      });
    });

    test("a passing event reaches the listeners whole, in order, and nothing of it is stored", async () => {
      const cmd = makeCommand("alpha");
      const chunk = { command_id: cmd.command_id, stream: "stdout" as const, text: "line one\n" };
      const heard: StoreEvent[] = [];
      const off = store.subscribe((event) => heard.push(event));
      const cancelled = nextEvent(store, (event) => event.type === "cancel");
      await store.announce({ type: "chunk", cluster_id: "alpha", chunk });
      await store.announce({ type: "cancel", cluster_id: "alpha", command_id: cmd.command_id });
      await cancelled;
      off();
      expect(heard).toEqual([
        { type: "chunk", cluster_id: "alpha", chunk },
        { type: "cancel", cluster_id: "alpha", command_id: cmd.command_id },
      ]);
      expect(await store.commandInfo(cmd.command_id)).toBeNull();
      expect(await store.getResult(cmd.command_id)).toBeNull();
    });

    test("ping answers on a live store", async () => {
      await store.ping();
      expect(await store.countActiveSessions(Date.now())).toBe(0);
    });
  });
}
