/**
 * A throwaway Redis with Sentinel for tests and bench: a primary, one or more replicas and three
 * sentinels (`redis-server --sentinel`), all on free loopback ports, no persistence. Every wait is on a line
 * the processes log: ready, replica synced, sentinels that found the replica and each other, the
 * promotion (`+switch-master`), the old primary turned replica (its sync).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Redis from "ioredis";
import { eventually } from "./eventually";
import { freePort } from "./ports";
import { type Spawned, spawnProcess } from "./process";
import { THROWAWAY } from "./redis-server";

export const MASTER_NAME = "kubently";
/** How long the sentinels wait before they call the primary down: small, so the test is short. */
export const DOWN_AFTER_MS = 1_000;

export interface SentinelSettings {
  replicas: number;
  /** `min-replicas-to-write` on both servers (0: off, Redis' default). */
  minReplicasToWrite: number;
  /** `min-replicas-max-lag`, seconds. */
  minReplicasMaxLag: number;
  /** `requirepass` (and `masterauth`) of the Redis servers; none by default. */
  password?: string;
  /** `requirepass` of the sentinels; none by default. */
  sentinelPassword?: string;
}

export interface SentinelTopology {
  /** redis+sentinel://…/kubently naming the three sentinels; add `?wait_replicas=N` as needed. */
  url: string;
  sentinelPorts: number[];
  /** The port of whichever server is primary now. */
  primaryPort(): number;
  /** SIGKILLs the primary; resolves once a sentinel announced the replica promoted in its place. */
  killPrimary(withinMs?: number): Promise<{ killedAt: number; promotedAt: number }>;
  /** A failover asked of a sentinel (SENTINEL FAILOVER): the primary, alive, becomes a replica. */
  switchover(withinMs?: number): Promise<void>;
  /** Starts the killed server again at its port; resolves once it has synced as the new primary's replica. */
  rejoin(withinMs?: number): Promise<number>;
  stop(): Promise<void>;
}

const SERVER_READY = /Ready to accept connections/;
/** A full sync, or a partial one (a replica that was in sync with the old primary continues). */
const REPLICA_SYNCED =
  /MASTER <-> REPLICA sync: (Finished with success|Master accepted a Partial Resynchronization)/;

export async function startSentinelTopology(settings: SentinelSettings): Promise<SentinelTopology> {
  const dir = mkdtempSync(join(tmpdir(), "kubently-sentinel-"));
  const primaryPort = await freePort();
  const replicaPorts: number[] = [];
  for (let i = 0; i < settings.replicas; i++) replicaPorts.push(await freePort());
  const servers = new Map<number, Spawned>();
  const sentinels: Spawned[] = [];
  let primary = primaryPort;
  let killed: number | null = null;

  const serverArgs = (port: number, replicaOf?: number) => [
    "redis-server",
    "--port",
    String(port),
    // A replica keeps the snapshot it syncs from in its folder: each its own, in the scratch folder.
    "--dir",
    serverDir(port),
    ...THROWAWAY,
    "--min-replicas-to-write",
    String(settings.minReplicasToWrite),
    "--min-replicas-max-lag",
    String(settings.minReplicasMaxLag),
    ...(settings.password ? ["--requirepass", settings.password, "--masterauth", settings.password] : []),
    ...(replicaOf === undefined ? [] : ["--replicaof", "127.0.0.1", String(replicaOf)]),
  ];
  const serverDir = (port: number) => {
    const path = join(dir, `redis-${port}`);
    mkdirSync(path, { recursive: true });
    return path;
  };
  const startServer = async (port: number, ready: RegExp, replicaOf?: number) => {
    const server = spawnProcess(serverArgs(port, replicaOf), { PATH: process.env.PATH });
    servers.set(port, server);
    await server.waitForLine(ready);
    return server;
  };

  const stop = async () => {
    for (const proc of [...servers.values(), ...sentinels].map((s) => s.proc)) {
      proc.kill("SIGKILL");
      await proc.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await startServer(primaryPort, SERVER_READY);
    for (const port of replicaPorts) await startServer(port, REPLICA_SYNCED, primaryPort);
    const sentinelPorts = [await freePort(), await freePort(), await freePort()];
    for (const port of sentinelPorts) {
      // Sentinel rewrites its config file, so each gets its own in the scratch folder.
      const config = join(dir, `sentinel-${port}.conf`);
      writeFileSync(
        config,
        [
          `port ${port}`,
          "bind 127.0.0.1",
          `dir ${dir}`,
          `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${primaryPort} 2`,
          `sentinel down-after-milliseconds ${MASTER_NAME} ${DOWN_AFTER_MS}`,
          `sentinel failover-timeout ${MASTER_NAME} 10000`,
          `sentinel parallel-syncs ${MASTER_NAME} 1`,
          ...(settings.password ? [`sentinel auth-pass ${MASTER_NAME} ${settings.password}`] : []),
          // Sentinels talk to each other with the password they ask of clients.
          ...(settings.sentinelPassword
            ? [
                `requirepass ${settings.sentinelPassword}`,
                `sentinel sentinel-pass ${settings.sentinelPassword}`,
              ]
            : []),
          "",
        ].join("\n"),
      );
      sentinels.push(spawnProcess(["redis-server", config, "--sentinel"], { PATH: process.env.PATH }));
    }
    // A failover needs the quorum: every sentinel must know the replicas and the two others.
    await Promise.all(
      sentinels.flatMap((sentinel) => [
        ...replicaPorts.map((port) =>
          sentinel.waitForLine(new RegExp(`\\+slave slave 127\\.0\\.0\\.1:${port} `), 30_000),
        ),
        sentinel.waitForLines(/\+sentinel sentinel /, 2, 30_000),
      ]),
    );
    /** Does `action`, and resolves once a sentinel announced another primary (listening from before it). */
    const switched = async (action: () => Promise<unknown>, withinMs: number) => {
      const line = new RegExp(
        `\\+switch-master ${MASTER_NAME} 127\\.0\\.0\\.1 ${primary} 127\\.0\\.0\\.1 (\\d+)`,
      );
      const promoted = Promise.any(sentinels.map((s) => s.waitForLine(line, withinMs)));
      await action();
      primary = Number(line.exec(await promoted)?.[1]);
    };
    /**
     * Resolves once every sentinel names `port` as the primary's and has had its answer to a ping
     * since (SENTINEL MASTER: flags `master` alone, `last-ping-sent` 0, i.e. no ping unanswered; a
     * sentinel counts its first ping as sent the moment it switched).
     */
    const everySentinelHealthy = (port: number, withinMs: number) =>
      eventually(async () => {
        for (const sentinelPort of sentinelPorts) {
          const sentinel = new Redis({
            port: sentinelPort,
            host: "127.0.0.1",
            password: settings.sentinelPassword,
            lazyConnect: true,
            maxRetriesPerRequest: 0,
          });
          try {
            await sentinel.connect();
            const [, named] = (await sentinel.call(
              "SENTINEL",
              "GET-MASTER-ADDR-BY-NAME",
              MASTER_NAME,
            )) as string[];
            if (Number(named) !== port) throw new Error(`sentinel ${sentinelPort} still names ${named}`);
            const fields = (await sentinel.call("SENTINEL", "MASTER", MASTER_NAME)) as string[];
            const field = (name: string) => fields[fields.indexOf(name) + 1];
            if (field("flags") !== "master" || field("last-ping-sent") !== "0") {
              throw new Error(`sentinel ${sentinelPort} has no answer from ${port} yet`);
            }
          } finally {
            sentinel.disconnect();
          }
        }
      }, withinMs);
    return {
      url: `redis+sentinel://${sentinelPorts.map((p) => `127.0.0.1:${p}`).join(",")}/${MASTER_NAME}`,
      sentinelPorts,
      primaryPort: () => primary,
      async killPrimary(withinMs = 30_000) {
        const victim = servers.get(primary) as Spawned;
        const killedAt = performance.now();
        await switched(async () => {
          victim.proc.kill("SIGKILL");
          await victim.proc.exited;
          killed = primary;
        }, withinMs);
        return { killedAt, promotedAt: performance.now() };
      },
      async switchover(withinMs = 30_000) {
        const sentinel = new Redis({
          port: sentinelPorts[0],
          host: "127.0.0.1",
          password: settings.sentinelPassword,
          lazyConnect: true,
        });
        try {
          await switched(() => sentinel.call("SENTINEL", "FAILOVER", MASTER_NAME), withinMs);
        } finally {
          sentinel.disconnect();
        }
      },
      async rejoin(withinMs = 30_000) {
        if (killed === null) throw new Error("no server was killed");
        const port = killed;
        killed = null;
        // Every sentinel must know of the promotion, and hear the promoted server, first. One that has
        // not yet heard it calls it down 1 s after the switch; with the old primary back (empty, and a
        // replica in the sentinels' view) that failover promotes it and makes the promoted server its
        // replica. Seen under load: a sentinel's first ping to the new primary unanswered for 1 s.
        await everySentinelHealthy(primary, withinMs);
        // Started as a primary of its own: the sentinels turn it into the new primary's replica.
        const server = spawnProcess(serverArgs(port), { PATH: process.env.PATH });
        servers.set(port, server);
        try {
          await server.waitForLine(REPLICA_SYNCED, withinMs);
        } catch (error) {
          // What the sentinels decided is what explains a server that never became a replica.
          const said = sentinels.map((s, i) => `sentinel ${sentinelPorts[i]}:\n${s.stdout()}`).join("\n");
          throw new Error(`${(error as Error).message}\n${said}`);
        }
        return performance.now();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
