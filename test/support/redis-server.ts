/**
 * A throwaway redis-server for tests: its own free loopback port, no persistence, so the suite never
 * touches anyone's data. Readiness is read from the server's own log line, not guessed with a sleep.
 */
import { freePort } from "./ports";

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Stops the process but keeps the port, so restart() brings it back at the same address. */
  kill(): Promise<void>;
  restart(): Promise<void>;
}

export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let proc = await spawnRedis(port);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      proc.kill();
      await proc.exited;
    },
    async kill() {
      proc.kill("SIGKILL");
      await proc.exited;
    },
    async restart() {
      proc = await spawnRedis(port);
    },
  };
}

/** What every test redis-server runs with: loopback only, nothing kept on disk. */
export const THROWAWAY = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];

function spawnRedis(port: number) {
  return spawnRedisServer(["--port", String(port), ...THROWAWAY]);
}

/** Starts redis-server with these arguments and resolves once it says it accepts connections. */
export async function spawnRedisServer(args: string[]) {
  const proc = Bun.spawn(["redis-server", ...args], { stdout: "pipe", stderr: "pipe" });
  const reader = proc.stdout.getReader();
  const decoder = new TextDecoder();
  let seen = "";
  while (!seen.includes("Ready to accept connections")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`redis-server exited before it was ready:\n${seen}`);
    seen += decoder.decode(value);
  }
  // Keep draining so the server never blocks on a full pipe.
  void (async () => {
    while (!(await reader.read()).done) {}
  })();
  return proc;
}
