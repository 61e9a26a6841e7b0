/**
 * `bun bench/scale.ts [--executors N] [--store embedded|redis]`: the many-executors scenario alone
 * (scenarios/scale.ts), printed as JSON; `npm run bench` runs it among the others.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startRedisServer } from "../test/support/redis-server";
import { scale } from "./scenarios/scale";

const { values } = parseArgs({
  options: { executors: { type: "string", default: "50000" }, store: { type: "string", default: "embedded" } },
});
const dir = mkdtempSync(join(tmpdir(), "kubently-scale-"));
const redis = values.store === "redis" ? await startRedisServer() : null;
try {
  const store = redis ? redis.url : `sqlite://${join(dir, "scale.db")}`;
  console.log(JSON.stringify(await scale(Number(values.executors), store, dir), null, 2));
} finally {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
}
