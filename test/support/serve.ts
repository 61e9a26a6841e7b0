/**
 * `kubently serve` as a real process, the one way tests start it: from source under this bun (or a
 * compiled binary), on 127.0.0.1, with PATH and HOME and what the test passes as its environment.
 * `--port 0` unless the test names a port (flag or KUBENTLY_PORT).
 */
import { type Spawned, spawnProcess } from "./process";

export const FROM_SOURCE = [process.execPath, "src/index.ts"];

export function spawnServe(
  args: string[],
  env: Record<string, string | undefined> = {},
  command: string[] = FROM_SOURCE,
): Spawned {
  const port = args.includes("--port") || env.KUBENTLY_PORT !== undefined ? [] : ["--port", "0"];
  return spawnProcess([...command, "serve", "--host", "127.0.0.1", ...port, ...args], {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...env,
  });
}

export interface ServeProcess {
  url: string;
  process: Spawned;
}

/** Spawns serve and resolves once it listens, with the URL it printed. */
export async function startServe(
  args: string[],
  env: Record<string, string | undefined> = {},
  command: string[] = FROM_SOURCE,
): Promise<ServeProcess> {
  const process_ = spawnServe(args, env, command);
  const line = await process_.waitForLine(/kubently listening/);
  return { url: (JSON.parse(line) as { url: string }).url, process: process_ };
}
