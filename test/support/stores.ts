/**
 * What a suite needs to run against every store: its own throwaway redis-server and a scratch
 * folder for SQLite files, started before the file's tests and removed after them.
 */
import { afterAll, beforeAll } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RedisServer, startRedisServer } from "./redis-server";

export interface StoreFixture {
  /** Scratch folder, removed after the file's tests. */
  dir: string;
  /** The file's redis-server; there from the first test on. */
  redis(): RedisServer;
  /** memory://, a fresh sqlite:// file each time, and the redis-server: for describe.each. */
  backends: [string, () => string][];
}

/** Call at the top of a test file: registers the file's beforeAll/afterAll. */
export function useStores(name: string): StoreFixture {
  const dir = mkdtempSync(join(tmpdir(), `kubently-${name}-`));
  let server: RedisServer | undefined;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const redis = () => {
    if (!server) throw new Error("the redis-server starts in beforeAll");
    return server;
  };
  return {
    dir,
    redis,
    backends: [
      ["memory", () => "memory://"],
      ["sqlite", () => `sqlite://${join(dir, `${crypto.randomUUID()}.db`)}`],
      ["redis", () => redis().url],
    ],
  };
}

/** The backends that keep their data in a file or a server: sqlite:// and redis://, not memory://. */
export const persistentStores = (backends: StoreFixture["backends"]): StoreFixture["backends"] =>
  backends.filter(([name]) => name !== "memory");
