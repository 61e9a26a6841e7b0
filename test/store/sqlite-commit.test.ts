/**
 * Group commit of the embedded store: writes of one event-loop turn share a transaction, each
 * still succeeds or fails on its own, and none resolves before the commit; what waits for the end
 * of the turn (`beforeCommit`) runs, with the promise jobs it starts, before that commit.
 */
import { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { GroupCommit } from "../../src/store/sqlite-commit";

let db: Database;
let commits: GroupCommit;
const insert = (x: number) => () => db.prepare("INSERT INTO t (x) VALUES (?)").run(x).changes;
const values = () => (db.prepare("SELECT x FROM t ORDER BY x").all() as { x: number }[]).map((r) => r.x);

beforeEach(() => {
  db = new Database(":memory:");
  db.exec("CREATE TABLE t (x INTEGER UNIQUE)");
  commits = new GroupCommit(db);
});
afterEach(() => db.close());

describe("GroupCommit", () => {
  test("a failing write is refused alone; the rest of its turn commits", async () => {
    const outcomes = await Promise.allSettled([
      commits.write(insert(1)),
      commits.write(insert(1)),
      commits.write(insert(2)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toContain("UNIQUE");
    expect(values()).toEqual([1, 2]);
  });

  test("an atomic write of several statements is undone as a whole, alone in its turn", async () => {
    const both = (a: number, b: number) => () => {
      insert(a)();
      insert(b)();
      return "both";
    };
    await commits.write(insert(4));
    const outcomes = await Promise.allSettled([
      commits.writeAtomic(both(1, 2)),
      commits.writeAtomic(both(3, 4)),
      commits.write(insert(5)),
      commits.writeAtomic(both(6, 7)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled"]);
    expect((outcomes[0] as PromiseFulfilledResult<string>).value).toBe("both");
    expect(values()).toEqual([1, 2, 4, 5, 6, 7]);
  });

  test("writes of one turn share one transaction, and each resolves only after its commit", async () => {
    const seen: boolean[] = [];
    const inside = () => {
      seen.push(db.inTransaction);
      return insert(seen.length + 10)();
    };
    await Promise.all([
      commits.write(inside).then(() => seen.push(db.inTransaction)),
      commits.write(inside).then(() => seen.push(db.inTransaction)),
    ]);
    expect(seen).toEqual([true, true, false, false]);
    expect(values()).toEqual([11, 12]);
  });

  test("when the batch cannot begin, every write of it is refused and none is applied", async () => {
    db.exec("BEGIN"); // someone else's open transaction: the batch's BEGIN fails
    const outcomes = await Promise.allSettled([commits.write(insert(7)), commits.write(insert(8))]);
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected"]);
    expect(db.inTransaction).toBe(false);
    expect(values()).toEqual([]);
  });

  test("beforeCommit runs at the end of the turn, and the promise jobs it starts finish before the commit", async () => {
    const seen: string[] = [];
    const written = commits.write(insert(1)).then(() => seen.push("committed"));
    commits.beforeCommit(() => {
      seen.push(`before, ${values().length} rows`);
      void Promise.resolve().then(() => seen.push("its promise job"));
    });
    seen.push("end of the callback that wrote");
    await written;
    expect(seen).toEqual([
      "end of the callback that wrote",
      "before, 0 rows",
      "its promise job",
      "committed",
    ]);
  });

  test("a beforeCommit asked for once the turn's has run still runs, in the next turn", async () => {
    const late = Promise.withResolvers<number>();
    const written = commits.write(insert(1));
    commits.beforeCommit(() => {
      void Promise.resolve().then(() => commits.beforeCommit(() => late.resolve(values().length)));
    });
    await written;
    // It ran after the turn's commit, which it came too late for: the row is there.
    expect(await late.promise).toBe(1);
  });

  test("close runs what waits for the end of the turn, then commits", async () => {
    const seen: string[] = [];
    const written = commits.write(insert(3));
    commits.beforeCommit(() => seen.push(`before, ${values().length} rows`));
    commits.close();
    expect(seen).toEqual(["before, 0 rows"]);
    expect(values()).toEqual([3]);
    expect(await written).toBe(1);
  });

  test("close commits what is queued at once, and a later write is refused on its own", async () => {
    const written = commits.write(insert(9));
    commits.close();
    expect(values()).toEqual([9]);
    expect(await written).toBe(1);
    expect(commits.write(insert(10))).rejects.toThrow("closed");
  });
});
