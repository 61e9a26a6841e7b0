/**
 * Webhook settings of `kubently serve`: where the secret comes from, what is refused at start, and
 * that the secret is never printed, in the start-up config or in any error.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, describeConfig, loadKeys, loadWebhooks, resolveServerConfig } from "../../src/config";
import { spawnServe } from "../support/serve";
import { WEBHOOK_SECRET } from "./harness";

const dir = mkdtempSync(join(tmpdir(), "kubently-webhook-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const API_KEYS = "agent:0123456789abcdef0";

describe("webhook configuration", () => {
  test("the secret comes from the environment or a file; the allowlist and attempts are parsed", () => {
    const file = join(dir, "secret");
    writeFileSync(file, `${WEBHOOK_SECRET}\n`);
    const config = resolveServerConfig(
      { webhookSecretFile: file, webhookAllowedHosts: "hooks.example.com,*.example.org:8443" },
      { KUBENTLY_WEBHOOK_MAX_ATTEMPTS: "7" },
    );
    expect(loadWebhooks(config)).toMatchObject({
      secret: WEBHOOK_SECRET,
      maxAttempts: 7,
      allowedHosts: [
        { host: "hooks.example.com", wildcard: false, port: null },
        { host: "example.org", wildcard: true, port: 8443 },
      ],
    });
    const fromEnv = resolveServerConfig({}, { KUBENTLY_WEBHOOK_SECRET: WEBHOOK_SECRET });
    expect(loadWebhooks(fromEnv)).toMatchObject({ secret: WEBHOOK_SECRET, allowedHosts: [], maxAttempts: 5 });
    expect(loadWebhooks(resolveServerConfig({}, {})).secret).toBeNull();
  });

  test("describeConfig says whether a secret is set, never what it is", () => {
    const config = resolveServerConfig(
      {},
      { KUBENTLY_API_KEYS: API_KEYS, KUBENTLY_WEBHOOK_SECRET: WEBHOOK_SECRET },
    );
    const described = describeConfig(config, loadKeys(config));
    expect(described.webhook_secret).toBe("set");
    expect(JSON.stringify(described)).not.toContain(WEBHOOK_SECRET);
    const unset = resolveServerConfig({}, { KUBENTLY_API_KEYS: API_KEYS });
    expect(describeConfig(unset, loadKeys(unset)).webhook_secret).toBe("not set");
  });

  test.each([
    ["a short secret", { KUBENTLY_WEBHOOK_SECRET: "short-secret" }, "shorter than 16"],
    [
      "a secret and a secret file",
      { KUBENTLY_WEBHOOK_SECRET: WEBHOOK_SECRET, KUBENTLY_WEBHOOK_SECRET_FILE: "/x" },
      "not both",
    ],
    ["an unreadable secret file", { KUBENTLY_WEBHOOK_SECRET_FILE: "/nonexistent/secret" }, "cannot read"],
    [
      "a URL as an allowlist entry",
      { KUBENTLY_WEBHOOK_ALLOWED_HOSTS: "https://hooks.example.com" },
      "KUBENTLY_WEBHOOK_ALLOWED_HOSTS",
    ],
  ])("refused at start: %s", (_, env, message) => {
    const error = (() => {
      try {
        loadWebhooks(resolveServerConfig({}, env));
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toContain(message);
    expect(error?.message).not.toContain("short-secret");
    expect(error?.message).not.toContain(WEBHOOK_SECRET);
  });

  test("kubently serve reads --webhook-secret-file and prints only that a secret is set", async () => {
    const file = join(dir, "serve-secret");
    writeFileSync(file, WEBHOOK_SECRET);
    const server = spawnServe(
      ["--store", "memory://", "--webhook-secret-file", file, "--webhook-allowed-hosts", "hooks.example.com"],
      { KUBENTLY_API_KEYS: API_KEYS },
    );
    try {
      const line = await server.waitForLine(/kubently listening/);
      expect((JSON.parse(line) as { config: Record<string, unknown> }).config).toMatchObject({
        webhook_secret: "set",
        webhook_secret_file: file,
        webhook_allowed_hosts: "hooks.example.com",
        webhook_max_attempts: 5,
      });
    } finally {
      // Only the output matters here (clean stops are test/cli's business), so no exit code is checked.
      server.proc.kill("SIGTERM");
      await server.proc.exited;
    }
    await server.drained;
    expect(server.stdout() + server.stderr()).not.toContain(WEBHOOK_SECRET);
  });

  test("kubently serve exits 2 on a short secret without printing it", async () => {
    const server = spawnServe(["--store", "memory://"], {
      KUBENTLY_API_KEYS: API_KEYS,
      KUBENTLY_WEBHOOK_SECRET: "tiny-secret",
    });
    expect(await server.proc.exited).toBe(2);
    await server.drained;
    expect(server.stderr()).toContain("KUBENTLY_WEBHOOK_SECRET");
    expect(server.stdout() + server.stderr()).not.toContain("tiny-secret");
  });
});
