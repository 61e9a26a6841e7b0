/**
 * A SIGHUP reload that cannot be used keeps the keys already loaded: a keys file that went missing,
 * one with a line that is not `service:key`, and one with no keys at all are each logged as a failed
 * reload, and the old key still opens the API while nothing from the bad file does. A good file
 * after them is taken as usual.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServe } from "../support/serve";

const dir = mkdtempSync(join(tmpdir(), "kubently-sighup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a bad SIGHUP reload is logged and the previous keys stay in force", async () => {
  const keysFile = join(dir, "keys");
  writeFileSync(keysFile, "agent:first-key-0123456789\n");
  const { url, process: server } = await startServe(["--store", "memory://"], {
    KUBENTLY_API_KEYS_FILE: keysFile,
    KUBENTLY_ADMIN_KEYS: "ops:admin-key-0123456789",
  });
  const status = async (key: string) =>
    (await fetch(`${url}/debug/clusters`, { headers: { "x-api-key": key } })).status;
  try {
    expect(await status("first-key-0123456789")).toBe(200);
    const bad: [string, string | null][] = [
      ["a missing file", null],
      ["a line that is not service:key", "agent:second-key-0123456789\nthis-is-not-a-key-line\n"],
      ["a file with no keys", "# nothing here\n"],
    ];
    for (const [i, [what, content]] of bad.entries()) {
      if (content === null) rmSync(keysFile);
      else writeFileSync(keysFile, content);
      server.proc.kill("SIGHUP");
      const failures = /"msg":"API key reload failed; keeping the previous keys"/;
      await server.waitForLines(failures, i + 1, 10_000, "stderr");
      expect({ what, first: await status("first-key-0123456789") }).toEqual({ what, first: 200 });
      expect({ what, second: await status("second-key-0123456789") }).toEqual({ what, second: 401 });
    }

    writeFileSync(keysFile, "agent:third-key-0123456789\n");
    server.proc.kill("SIGHUP");
    await server.waitForLine(/"msg":"API keys reloaded"/);
    expect(await status("third-key-0123456789")).toBe(200);
    expect(await status("first-key-0123456789")).toBe(401);
    server.proc.kill("SIGTERM");
    expect(await server.proc.exited).toBe(0);
    await server.drained;
    for (const key of ["first-key-0123456789", "second-key-0123456789", "third-key-0123456789"]) {
      expect(server.stdout() + server.stderr()).not.toContain(key);
    }
  } finally {
    server.proc.kill("SIGKILL");
  }
});

test("the YAML keys file: a bad one is refused whole with the line at fault, the old principals stay", async () => {
  const keysFile = join(dir, "principals.yaml");
  const principal = (key: string, extra = "") => `principals:\n  shop-team:\n    keys: ["${key}"]\n${extra}`;
  writeFileSync(keysFile, principal("first-scoped-key-0123456789", "    clusters: [prod]\n"));
  const { url, process: server } = await startServe(["--store", "memory://", "--keys-file", keysFile], {
    KUBENTLY_ADMIN_KEYS: "ops:admin-key-0123456789",
  });
  const status = async (key: string) =>
    (await fetch(`${url}/debug/clusters`, { headers: { "x-api-key": key } })).status;
  try {
    expect(await status("first-scoped-key-0123456789")).toBe(200);
    // A second key and a misspelt field: nothing of this file may take effect, not even the good key.
    writeFileSync(
      keysFile,
      principal("second-scoped-key-0123456789", "    clusters: [prod]\n    namespacs: { allow: [shop] }\n"),
    );
    server.proc.kill("SIGHUP");
    await server.waitForLine(/"msg":"API key reload failed; keeping the previous keys"/, 10_000, "stderr");
    expect(server.stderr()).toContain("line 5: principals.shop-team.namespacs: unknown field");
    expect(await status("first-scoped-key-0123456789")).toBe(200);
    expect(await status("second-scoped-key-0123456789")).toBe(401);

    writeFileSync(keysFile, principal("third-scoped-key-0123456789"));
    server.proc.kill("SIGHUP");
    await server.waitForLine(/"msg":"API keys reloaded"/);
    expect(await status("third-scoped-key-0123456789")).toBe(200);
    expect(await status("first-scoped-key-0123456789")).toBe(401);
    server.proc.kill("SIGTERM");
    expect(await server.proc.exited).toBe(0);
    await server.drained;
    for (const key of ["first-scoped", "second-scoped", "third-scoped"]) {
      expect(server.stdout() + server.stderr()).not.toContain(key);
    }
  } finally {
    server.proc.kill("SIGKILL");
  }
});
