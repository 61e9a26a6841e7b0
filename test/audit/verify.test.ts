/**
 * `kubently audit verify` and `audit list` as an operator runs them, against real servers: a trail
 * verifies; editing, deleting, reordering or cutting entries directly in SQLite or Redis makes verify
 * name the first broken seq; and two API replicas appending to one Redis at once keep one chain.
 */

import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import Redis from "ioredis";
import { type AuditEntry, auditHash, canonicalJson } from "../../src/models";
import { connectSse } from "../support/protocol-executor";
import { json, startTestServer, type TestServer } from "../support/server";
import { useStores } from "../support/stores";
import { auditEntries, kubently } from "./helpers";

const { dir, redis } = useStores("audit");

/** Six admin actions: entries 1-6 of a fresh trail. */
async function sixEntries(server: TestServer): Promise<void> {
  for (const cluster of ["one", "two", "three"]) await server.registerCluster(cluster);
  await server.admin("/admin/clusters/one/token?rotate=true", { method: "POST" });
  await server.admin("/admin/clusters/two/token", { method: "POST" });
  await server.admin("/admin/clusters/three/token", { method: "DELETE" });
}

/** For tests that run the real CLI: a process of its own each time, seconds on a loaded machine. */
const CLI_MS = 30_000;

const verify = async (url: string) => {
  const run = await kubently(url, ["audit", "verify"]);
  return { code: run.code, out: run.stdout.trim() };
};

describe("kubently audit on the embedded store", () => {
  const original = join(dir, "trail.db");

  beforeAll(async () => {
    const server = await startTestServer({ storeUrl: `sqlite://${original}` });
    await sixEntries(server);
    await server.stop();
  });

  /** A copy of the trail's database, tampered with while no server holds it. */
  function copyOfTrail(name: string, tamper: (db: Database) => void = () => {}): string {
    const path = join(dir, `${name}.db`);
    for (const suffix of ["", "-wal"]) {
      if (existsSync(original + suffix)) copyFileSync(original + suffix, path + suffix);
    }
    const db = new Database(path);
    tamper(db);
    db.close();
    return `sqlite://${path}`;
  }

  async function verifyStore(storeUrl: string) {
    const server = await startTestServer({ storeUrl });
    try {
      return await verify(server.url);
    } finally {
      await server.stop();
    }
  }

  describe("an intact trail", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ storeUrl: copyOfTrail("intact") });
    });
    afterAll(() => server.stop());

    test(
      "verifies, naming its head",
      async () => {
        const ok = await verify(server.url);
        expect(ok.code).toBe(0);
        expect(ok.out).toMatch(/^OK: 6 entries, head seq 6 hash [0-9a-f]{64}$/);
      },
      CLI_MS,
    );

    test(
      "lists as JSON, filtered by cluster",
      async () => {
        const listed = await kubently(server.url, ["audit", "list", "--json", "--cluster", "one"]);
        expect(listed.code).toBe(0);
        const { entries, next_after } = JSON.parse(listed.stdout) as {
          entries: AuditEntry[];
          next_after: null;
        };
        expect(entries.map((e) => [e.seq, e.action, e.outcome])).toEqual([
          [1, "token.create", "succeeded"],
          [4, "token.rotate", "succeeded"],
        ]);
        expect(next_after).toBeNull();
      },
      CLI_MS,
    );

    test(
      "lists as a table, filtered by time and outcome",
      async () => {
        const table = await kubently(server.url, ["audit", "list", "--since", "1h", "--outcome", "refused"]);
        expect(table.code).toBe(0);
        expect(table.stdout.split("\n")[0]).toMatch(/^SEQ\s+AGE\s+WHO\s+CLUSTER\s+ACTION\s+OUTCOME\s+WHAT$/);
        expect(table.stdout).toMatch(/\n5\s+\d+s\s+ops\s+two\s+token\.create\s+refused\s+TOKEN_EXISTS\n/);
        const wide = await kubently(server.url, ["audit", "list", "--outcome", "refused", "-o", "wide"]);
        expect(wide.stdout.split("\n")[0]).toMatch(
          /^SEQ\s+AT\s+WHO\s+CLUSTER\s+ACTION\s+OUTCOME\s+CORRELATION ID\s+WHAT$/,
        );
        expect(wide.stdout).toMatch(
          /\n5\s+20\d\d-\S+Z\s+ops\s+two\s+token\.create\s+refused\s+\S+\s+TOKEN_EXISTS\n/,
        );
        const yaml = await kubently(server.url, ["audit", "list", "--outcome", "refused", "-o", "yaml"]);
        expect(yaml.stdout).toMatch(/^entries:\n {2}- action: token.create\n(?: {4}.*\n)* {4}seq: 5\n/);
      },
      CLI_MS,
    );

    test(
      "lists from --after up to --limit, saying where more follow",
      async () => {
        const paged = await kubently(server.url, ["audit", "list", "--limit", "2", "--after", "2"]);
        const rows = paged.stdout.trim().split("\n").slice(1, -1);
        expect(rows.map((line) => line.split(/\s+/)[0])).toEqual(["3", "4"]);
        expect(paged.stdout).toContain("more entries follow: --after 4");
      },
      CLI_MS,
    );
  });

  test.each([
    [
      "an edited field",
      "UPDATE audit SET data = json_set(data, '$.identity', 'someone-else') WHERE seq = 3",
      3,
      "altered",
    ],
    ["a deleted entry", "DELETE FROM audit WHERE seq = 3", 3, "missing or out of place"],
    [
      "a field of another type",
      "UPDATE audit SET data = json_set(data, '$.seq', 'three') WHERE seq = 3",
      3,
      'found seq "three"',
    ],
    [
      "two swapped entries",
      `UPDATE audit SET data = CASE seq WHEN 3 THEN (SELECT data FROM audit WHERE seq = 4)
         ELSE (SELECT data FROM audit WHERE seq = 3) END WHERE seq IN (3, 4)`,
      3,
      "missing or out of place",
    ],
    ["the newest entry deleted", "DELETE FROM audit WHERE seq = 6", 6, "newer entries are missing"],
  ])(
    "verify finds %s at its seq",
    async (name, sql, seq, reason) => {
      const found = await verifyStore(copyOfTrail(name.replaceAll(" ", "-"), (db) => db.run(sql)));
      expect(found.code).toBe(3);
      expect(found.out).toStartWith(`BROKEN at seq ${seq}: `);
      expect(found.out).toContain(reason);
    },
    CLI_MS,
  );

  test(
    "an edit that recomputes the entry's own hash breaks the next link",
    async () => {
      const found = await verifyStore(
        copyOfTrail("rehashed", (db) => {
          const { data } = db.query("SELECT data FROM audit WHERE seq = 3").get() as { data: string };
          const entry = { ...(JSON.parse(data) as AuditEntry), identity: "someone-else" };
          const forged = canonicalJson({ ...entry, hash: auditHash(entry) });
          db.run("UPDATE audit SET data = ? WHERE seq = 3", [forged]);
        }),
      );
      expect(found.code).toBe(3);
      expect(found.out).toStartWith("BROKEN at seq 4: entry 4 does not link to entry 3");
    },
    CLI_MS,
  );
});

describe("kubently audit on Redis", () => {
  const prefix = `audit-${crypto.randomUUID()}:`;
  let replicas: TestServer[];
  let inspect: Redis;

  beforeAll(async () => {
    replicas = await Promise.all(
      [0, 1].map(() => startTestServer({ storeUrl: redis().url, redisPrefix: prefix })),
    );
    inspect = new Redis(redis().url);
  });
  afterAll(async () => {
    inspect.disconnect();
    await Promise.all(replicas.map((replica) => replica.stop()));
  });

  test(
    "two replicas appending at once keep one valid chain",
    async () => {
      const [a, b] = replicas as [TestServer, TestServer];
      const token = await a.registerCluster("shared");
      const executor = await connectSse(a.url, "shared", token);
      try {
        // Commands through both replicas (one executor, on A, answers them all) and admin actions on both.
        const commands = Array.from({ length: 40 }, (_, i) =>
          (i % 2 === 0 ? a : b).client(
            "/debug/execute",
            json({ cluster_id: "shared", command_type: "get", args: [`p${i}`] }),
          ),
        );
        const admin = Array.from({ length: 20 }, (_, i) =>
          (i % 2 === 0 ? a : b).registerCluster(`replica-${i}`),
        );
        const responses = await Promise.all(commands);
        await Promise.all(admin);
        expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200));
      } finally {
        executor.close();
      }
      // Reading through a replica first appends what it recorded itself.
      await Promise.all(replicas.map((replica) => auditEntries(replica, { limit: 1 })));
      const entries = await auditEntries(a);
      expect(entries.length).toBe(1 + 40 * 2 + 20);
      expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
      const ok = await verify(b.url);
      expect(ok.code).toBe(0);
      expect(ok.out).toStartWith(`OK: ${entries.length} entries, head seq ${entries.length} `);
    },
    CLI_MS,
  );

  /**
   * Each tamper test's own trail: six admin actions under a fresh prefix, on a server of its own,
   * so no test reads what another wrote.
   */
  let own = "";
  const trail = () => `${own}{audit}`;
  /** Replaces the trail's stream with `rows` (id and fields), as someone with access to Redis could. */
  async function rewrite(rows: [string, string[]][]): Promise<void> {
    await inspect.del(trail());
    for (const [id, fields] of rows) await inspect.xadd(trail(), id, ...fields);
  }
  const setEntry = (fields: string[], entry: Record<string, unknown>) =>
    fields.map((value, i) => (fields[i - 1] === "e" ? canonicalJson(entry) : value));
  const entryOf = (fields: string[]) => JSON.parse(fields[fields.indexOf("e") + 1] ?? "{}") as AuditEntry;

  test.each([
    [
      "an edited field",
      (rows: [string, string[]][]) => {
        const [id, fields] = rows[2] as [string, string[]];
        rows[2] = [id, setEntry(fields, { ...entryOf(fields), namespace: "elsewhere" })];
        return rewrite(rows);
      },
      3,
      "altered",
    ],
    ["a deleted entry", async () => void (await inspect.xdel(trail(), "3-0")), 3, "missing or out of place"],
    [
      "two swapped entries",
      (rows: [string, string[]][]) => {
        const [third, fourth] = [rows[2], rows[3]] as [[string, string[]], [string, string[]]];
        rows[2] = [third[0], fourth[1]];
        rows[3] = [fourth[0], third[1]];
        return rewrite(rows);
      },
      3,
      "missing or out of place",
    ],
    [
      "the newest entry deleted",
      async (rows: [string, string[]][]) => {
        await inspect.xdel(trail(), (rows.at(-1) as [string, string[]])[0]);
      },
      -1,
      "newer entries are missing",
    ],
  ])(
    "verify finds %s at its seq, and passes again once the entries are restored",
    async (_, tamper, seq, reason) => {
      own = `audit-${crypto.randomUUID()}:`;
      const server = await startTestServer({ storeUrl: redis().url, redisPrefix: own });
      try {
        await sixEntries(server);
        // Reading appends what the server recorded; then the stream holds all six.
        expect(await auditEntries(server)).toHaveLength(6);
        const before = (await inspect.xrange(trail(), "-", "+")) as [string, string[]][];
        expect(before).toHaveLength(6);
        await tamper(before.map(([id, fields]) => [id, [...fields]]));
        const found = await verify(server.url);
        expect(found.code).toBe(3);
        expect(found.out).toStartWith(`BROKEN at seq ${seq === -1 ? before.length : seq}: `);
        expect(found.out).toContain(reason);
        await rewrite(before);
        expect((await verify(server.url)).code).toBe(0);
      } finally {
        await server.stop();
      }
    },
    CLI_MS,
  );
});
