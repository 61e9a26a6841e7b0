/**
 * `bun bench/scale.ts [--executors N] [--store embedded|redis] [--server-env NAME=VALUE]…
 * [--storm N [--backoff-base-ms MS]]`: the many-executors scenario alone (scenarios/scale.ts), with
 * --server-env set in the server's environment (an operator's GC setting, e.g.
 * BUN_JSC_forceRAMSize=1073741824), or with --storm the reconnect storm of N
 * executors (scenarios/storm.ts, always on Redis; --backoff-base-ms to try another first delay),
 * printed as JSON; `npm run bench` runs both among the others.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startRedisServer } from "../test/support/redis-server";
import { scale } from "./scenarios/scale";
import { reconnectStorm } from "./scenarios/storm";

const { values } = parseArgs({
  options: {
    executors: { type: "string", default: "50000" },
    store: { type: "string", default: "embedded" },
    storm: { type: "string" },
    "backoff-base-ms": { type: "string" },
    "server-env": { type: "string", multiple: true, default: [] },
  },
});
const serverEnv = Object.fromEntries(
  values["server-env"].map((pair) => {
    const at = pair.indexOf("=");
    if (at < 1) throw new Error(`--server-env takes NAME=VALUE, not ${pair}`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  }),
);
const dir = mkdtempSync(join(tmpdir(), "kubently-scale-"));
const redis = values.store === "redis" || values.storm ? await startRedisServer() : null;
try {
  const store = redis ? redis.url : `sqlite://${join(dir, "scale.db")}`;
  const figures = values.storm
    ? await reconnectStorm(
        Number(values.storm),
        store,
        dir,
        values["backoff-base-ms"] ? Number(values["backoff-base-ms"]) : undefined,
      )
    : await scale(Number(values.executors), store, dir, serverEnv);
  console.log(JSON.stringify(figures, null, 2));
} finally {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
}
