/**
 * Cuts a store's connections from the Redis side, as a network blip or a proxy restart would:
 * CLIENT KILL by id for every connection of a name (Redis 7.0 kills by id, address or type, not name).
 */
import type Redis from "ioredis";

/** Kills the connections named `name` on the node `redis` is connected to; resolves with how many. */
export async function killClientsNamed(redis: Redis, name: string): Promise<number> {
  const list = String(await redis.client("LIST"));
  const ids = list
    .split("\n")
    .filter((line) => line.split(" ").includes(`name=${name}`))
    .map((line) => /(?:^|\s)id=(\d+)/.exec(line)?.[1])
    .filter((id): id is string => id !== undefined);
  for (const id of ids) await redis.call("CLIENT", "KILL", "ID", id);
  return ids.length;
}
