/**
 * A test file's shared pair: a test server and the Kubernetes API stand-in, started before its tests
 * and stopped after them, with a temporary folder that goes with them. Read the fields inside tests
 * (they are set once the pair has started).
 */
import { afterAll, beforeAll } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type KubeStandin, startKubeStandin } from "../k8s/standin";
import { startTestServer, type TestServer } from "./server";

export interface ServerAndStandin {
  readonly dir: string;
  readonly server: TestServer;
  readonly standin: KubeStandin;
}

export function useServerAndStandin(name: string): ServerAndStandin {
  const pair = { dir: mkdtempSync(join(tmpdir(), `kubently-${name}-`)) } as {
    dir: string;
    server: TestServer;
    standin: KubeStandin;
  };
  beforeAll(async () => {
    [pair.standin, pair.server] = await Promise.all([startKubeStandin(), startTestServer()]);
  });
  afterAll(async () => {
    await Promise.all([pair.standin.stop(), pair.server.stop()]);
    rmSync(pair.dir, { recursive: true, force: true });
  });
  return pair;
}
