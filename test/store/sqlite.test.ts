import { Database } from "bun:sqlite";
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ChainVerifier, type Command } from "../../src/models";
import { openStore, StoreUnavailableError } from "../../src/store";
import { makeAuditRecord, makeCommand, makePolicy, makeResult } from "../support/fixtures";
import { storeContract } from "./contract";

const dir = mkdtempSync(join(tmpdir(), "kubently-sqlite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

storeContract("memory://", () => openStore("memory://", { redisPrefix: "" }));
storeContract("sqlite://", () =>
  openStore(`sqlite://${join(dir, `${crypto.randomUUID()}.db`)}`, { redisPrefix: "" }),
);

describe("sqlite store on disk", () => {
  test("queued commands and results survive a reopen of the file", async () => {
    const url = `sqlite://${join(dir, "reopen", "k.db")}`;
    const first = await openStore(url, { redisPrefix: "" });
    const queued = makeCommand("alpha");
    const answered = makeCommand("alpha");
    await first.enqueue(queued);
    await first.enqueue(answered);
    await first.putResult("alpha", makeResult(answered), 60_000);
    await first.close();

    const second = await openStore(url, { redisPrefix: "" });
    expect(await second.claim("alpha", "conn", 10, 30_000, Date.now())).toEqual([queued]);
    expect((await second.getResult(answered.command_id))?.stdout).toBe(`output of ${answered.command_id}`);
    await second.close();
  });

  test("a command leased when the process stopped is waiting again, first in line, at the next open", async () => {
    const url = `sqlite://${join(dir, "leased", "k.db")}`;
    const first = await openStore(url, { redisPrefix: "" });
    const [held, queued] = [makeCommand("alpha"), makeCommand("alpha")];
    await first.enqueue(held);
    expect(await first.claim("alpha", "conn-gone", 1, 30_000, Date.now())).toEqual([held]);
    await first.enqueue(queued);
    await first.close();

    const second = await openStore(url, { redisPrefix: "" });
    expect((await second.commandInfo(held.command_id))?.state).toBe("pending");
    expect(await second.queueDepth("alpha")).toBe(2);
    expect(await second.claim("alpha", "conn", 10, 30_000, Date.now())).toEqual([held, queued]);
    await second.close();
  });

  test("a second opener of the same file is refused: one server owns an embedded store", async () => {
    const url = `sqlite://${join(dir, "owned", "k.db")}`;
    const owner = await openStore(url, { redisPrefix: "" });
    await owner.enqueue(makeCommand("alpha"));
    expect(openStore(url, { redisPrefix: "" })).rejects.toThrow(StoreUnavailableError);
    expect(await owner.queueDepth("alpha")).toBe(1);
    await owner.close();
  });

  test("a file of the previous layout opens: presence by connection, policy reports, its leased command waiting again", async () => {
    const path = join(dir, "older", "k.db");
    mkdirSync(dirname(path), { recursive: true });
    const leased = makeCommand("alpha");
    const old = new Database(path, { create: true });
    old.exec(`CREATE TABLE clusters (
      id TEXT PRIMARY KEY, token_hash TEXT NOT NULL, created_at INTEGER NOT NULL,
      last_seen INTEGER, connected INTEGER NOT NULL DEFAULT 0, executor_version TEXT, transport TEXT);
      INSERT INTO clusters (id, token_hash, created_at) VALUES ('alpha', 'h', 1);
      CREATE TABLE commands (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, cluster_id TEXT NOT NULL, state TEXT NOT NULL,
        consumer TEXT, lease_until INTEGER, deadline INTEGER NOT NULL, data TEXT NOT NULL);
      CREATE INDEX commands_queue ON commands (cluster_id, state, seq);`);
    old
      .prepare("INSERT INTO commands VALUES (NULL, ?, 'alpha', 'inflight', 'conn-old', ?, ?, ?)")
      .run(leased.command_id, Date.now() + 45_000, leased.deadline_ms, JSON.stringify(leased));
    old.close();
    const store = await openStore(`sqlite://${path}`, { redisPrefix: "" });
    expect((await store.getCluster("alpha"))?.policy).toBeNull();
    const policy = makePolicy();
    await store.recordPresence("alpha", {
      connected: true,
      connection: "c",
      transport: "ws",
      policy,
      at_ms: 9,
    });
    expect(await store.getCluster("alpha")).toMatchObject({
      connected: true,
      transport: "ws",
      last_seen_ms: 9,
      policy,
    });
    expect(await store.claim("alpha", "conn-new", 10, 30_000, Date.now())).toEqual([leased]);
    await store.close();
  });

  test("an audit append failing part-way keeps none of its entries, nor the writes beside it lose theirs", async () => {
    const store = await openStore("memory://", { redisPrefix: "" });
    await store.appendAudit([makeAuditRecord()]);
    // 20 entries: 16 inserted by one statement, then one at a time; the 19th cannot be stored.
    const failing = Array.from({ length: 20 }, (_, i) =>
      makeAuditRecord(i === 18 ? { cluster_id: null as unknown as string } : {}),
    );
    const beside = makeCommand("alpha");
    const [append, enqueue] = await Promise.allSettled([store.appendAudit(failing), store.enqueue(beside)]);
    expect(append.status).toBe("rejected");
    expect(enqueue.status).toBe("fulfilled");
    expect(await store.queueDepth("alpha")).toBe(1);
    await store.appendAudit([makeAuditRecord(), makeAuditRecord()]);
    const page = await store.readAudit({ after: 0, limit: 100 });
    expect(page.entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    const verifier = new ChainVerifier();
    expect(verifier.add(page.entries)).toBeNull();
    expect(verifier.finish(page.head)).toBeNull();
    await store.close();
  });

  test("a queued command is claimable, and a result told to its waiters, before the turn's commit", async () => {
    const store = await openStore("memory://", { redisPrefix: "" });
    const cmd = makeCommand("alpha");
    const order: string[] = [];
    // Whoever hears an event (or listens, then looks) reads what it announced, committed or not.
    const seen: Promise<{ result: string | null; state: string | undefined }>[] = [];
    const off = store.subscribe((event) => {
      order.push(event.type);
      const id = cmd.command_id;
      seen.push(
        Promise.all([store.getResult(id), store.commandInfo(id)]).then(([result, info]) => ({
          result: result?.command_id ?? null,
          state: info?.state,
        })),
      );
    });
    // Its cluster is told at the end of the turn, before the commit; a claim then finds the command.
    const claimed = new Promise<Command[]>((resolve) => {
      const offClaim = store.subscribe((event) => {
        if (event.type !== "command") return;
        offClaim();
        void store.claim("alpha", "consumer", 10, 45_000, Date.now()).then((commands) => {
          order.push("claimed");
          resolve(commands);
        });
      });
    });
    const queued = store.enqueue(cmd).then(() => order.push("enqueue committed"));
    expect((await claimed).map((c) => c.command_id)).toEqual([cmd.command_id]);
    await queued;
    const stored = store.putResult("alpha", makeResult(cmd), 60_000).then((outcome) => {
      order.push("result committed");
      return outcome;
    });
    expect((await stored).status).toBe("stored");
    expect(order).toEqual(["command", "claimed", "enqueue committed", "result", "result committed"]);
    const seenAtEvents = await Promise.all(seen);
    expect(seenAtEvents).toEqual([
      { result: null, state: "pending" },
      { result: cmd.command_id, state: "done" },
    ]);
    expect((await store.getResult(cmd.command_id))?.command_id).toBe(cmd.command_id);
    expect((await store.putResult("alpha", makeResult(cmd), 60_000)).status).toBe("duplicate");
    off();
    await store.close();
  });

  test("a command whose row cannot be written is taken back, and an id is never queued twice", async () => {
    const store = await openStore("memory://", { redisPrefix: "" });
    const unwritable = makeCommand("alpha", { deadline_ms: null as unknown as number });
    await expect(store.enqueue(unwritable)).rejects.toThrow();
    expect(await store.queueDepth("alpha")).toBe(0);
    expect(await store.claim("alpha", "consumer", 10, 45_000, Date.now())).toEqual([]);
    const cmd = makeCommand("alpha");
    await store.enqueue(cmd);
    await expect(store.enqueue(cmd)).rejects.toThrow("already exists");
    expect(await store.queueDepth("alpha")).toBe(1);
    await store.close();
  });

  test("a result whose row cannot be written leaves its command live, so the executor's retry stores it", async () => {
    const store = await openStore("memory://", { redisPrefix: "" });
    const cmd = makeCommand("alpha");
    await store.enqueue(cmd);
    await store.claim("alpha", "consumer", 10, 45_000, Date.now());
    // A time to live that is not a number cannot be stored: the insert fails as a full disk would.
    await expect(store.putResult("alpha", makeResult(cmd), Number.NaN)).rejects.toThrow();
    expect((await store.commandInfo(cmd.command_id))?.state).toBe("pending");
    expect(await store.getResult(cmd.command_id)).toBeNull();
    expect((await store.putResult("alpha", makeResult(cmd), 60_000)).status).toBe("stored");
    expect((await store.commandInfo(cmd.command_id))?.state).toBe("done");
    await store.close();
  });

  test("sweep removes results past their time to live", async () => {
    const store = await openStore("memory://", { redisPrefix: "" });
    const cmd = makeCommand("alpha");
    await store.enqueue(cmd);
    expect((await store.putResult("alpha", makeResult(cmd), 1_000)).status).toBe("stored");
    await store.sweep(Date.now() + 2_000);
    expect(await store.getResult(cmd.command_id)).toBeNull();
    await store.close();
  });

  test("an unsupported store URL is refused with the accepted forms", async () => {
    expect(openStore("postgres://x", { redisPrefix: "" })).rejects.toThrow(
      /sqlite:\/\/PATH, memory:\/\/, redis:\/\/HOST:PORT, redis\+sentinel:\/\/.* or redis\+cluster:\/\/HOST:PORT/,
    );
  });
});
