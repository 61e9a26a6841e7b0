/**
 * The server's VM deployment (deploy/server): the systemd unit runs `kubently serve` with the env
 * file, a state directory for the embedded store, the hardening, and a stop timeout longer than the
 * server's own shutdown bound; `systemd-analyze` verifies it and rates its exposure where it is
 * installed. The env example names every variable the server reads, and only those.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveServerConfig } from "../../src/config";
import { runKubently } from "../support/cli";

const UNIT = "deploy/server/kubently.service";
const ENV_EXAMPLE = "deploy/server/kubently.env.example";

/** The unit's settings by section; a key may repeat (Environment=, SystemCallFilter=). */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const line of text.split("\n")) {
    if (line.trim() === "" || /^[#;]/.test(line)) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section !== null) {
      current = new Map();
      sections.set(section[1] ?? "", current);
      continue;
    }
    const setting = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (setting === null || current === undefined) throw new Error(`${UNIT}: cannot read '${line}'`);
    const [, key = "", value = ""] = setting;
    current.set(key, [...(current.get(key) ?? []), value]);
  }
  return sections;
}

const unitText = readFileSync(UNIT, "utf8");
const unit = parseUnit(unitText);
const service = unit.get("Service") ?? new Map<string, string[]>();
const setting = (key: string) => service.get(key)?.at(-1);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts"))
    .map((name) => join(dir, name));
}

const variablesIn = (files: string[]) =>
  new Set(files.flatMap((file) => readFileSync(file, "utf8").match(/KUBENTLY_[A-Z0-9_]+/g) ?? []));

// The server's side of src/: the CLI client's own variables (KUBENTLY_URL, KUBENTLY_API_KEY, ...) are not its.
const serverReads = variablesIn(
  sourceFiles("src").filter(
    (file) => !file.startsWith(join("src", "cli")) && !file.startsWith(join("src", "client")),
  ),
);

const envLines = readFileSync(ENV_EXAMPLE, "utf8").split("\n");
const exampleNames = envLines.flatMap((line) => /^(?:# )?(KUBENTLY_[A-Z0-9_]+)=/.exec(line)?.[1] ?? []);

describe("deploy/server/kubently.service", () => {
  test("runs `kubently serve` as a dedicated user, with the env file and a state directory", () => {
    expect(setting("ExecStart")).toBe("/usr/local/bin/kubently serve");
    expect(setting("EnvironmentFile")).toBe("/etc/kubently/kubently.env");
    expect(setting("User")).toBe("kubently");
    expect(setting("StateDirectory")).toBe("kubently");
    expect(setting("WorkingDirectory")).toBe("/var/lib/kubently");
    // The default store lives in the state directory, which ProtectSystem=strict leaves writable.
    expect(service.get("Environment")).toContain("KUBENTLY_STORE=sqlite:///var/lib/kubently/kubently.db");
    expect(setting("ExecReload")).toBe("/bin/kill -HUP $MAINPID");
    expect(unit.get("Install")?.get("WantedBy")).toEqual(["multi-user.target"]);
  });

  test("is hardened", () => {
    expect(Object.fromEntries([...service].map(([key, values]) => [key, values.at(-1)]))).toMatchObject({
      NoNewPrivileges: "yes",
      ProtectSystem: "strict",
      ProtectHome: "yes",
      PrivateTmp: "yes",
      PrivateDevices: "yes",
      CapabilityBoundingSet: "",
      RestrictSUIDSGID: "yes",
      UMask: "0077",
    });
    // Bun's JIT needs writable executable memory.
    expect(service.has("MemoryDenyWriteExecute")).toBe(false);
  });

  test("restarts on failure and stops with SIGTERM, given longer than the server's shutdown bound", () => {
    expect(setting("Restart")).toBe("on-failure");
    // Exit code 2 is a configuration error: restarting would only fail the same way.
    expect(setting("RestartPreventExitStatus")).toBe("2");
    expect(setting("KillSignal")).toBe("SIGTERM");
    const bound = /const SHUTDOWN_BOUND_MS = ([\d_]+);/.exec(readFileSync("src/index.ts", "utf8"))?.[1];
    expect(bound).toBeDefined();
    const timeout = /^(\d+)s$/.exec(setting("TimeoutStopSec") ?? "")?.[1];
    expect(Number(timeout) * 1000).toBeGreaterThan(Number(bound?.replaceAll("_", "")));
  });

  test("sets only variables the server reads", () => {
    for (const assignment of service.get("Environment") ?? []) {
      expect(serverReads).toContain(assignment.split("=")[0] ?? "");
    }
  });
});

const systemdAnalyze = Bun.which("systemd-analyze");

describe.skipIf(systemdAnalyze === null)("systemd-analyze", () => {
  let dir: string;
  let path: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "kubently-unit-"));
    path = join(dir, "kubently.service");
    // verify checks that ExecStart's program exists: point it at this test's Bun instead.
    writeFileSync(
      path,
      unitText.replace("ExecStart=/usr/local/bin/kubently", `ExecStart=${process.execPath}`),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("verifies the unit", () => {
    const verify = Bun.spawnSync([systemdAnalyze ?? "", "verify", path], { stderr: "pipe" });
    const complaints = verify.stderr
      .toString()
      .split("\n")
      .filter((line) => line.includes("kubently"));
    expect(complaints).toEqual([]);
    expect(verify.exitCode).toBe(0);
  });

  test("rates the unit's exposure low", () => {
    const security = Bun.spawnSync([systemdAnalyze ?? "", "security", "--offline=true", path], {
      stderr: "pipe",
    });
    expect(security.exitCode).toBe(0);
    const level = /Overall exposure level for kubently\.service: ([\d.]+)/.exec(security.stdout.toString());
    // systemd calls up to 1.9 "OK"; 10 is a service with no protection at all.
    expect(Number(level?.[1])).toBeLessThan(2);
  });
});

describe("deploy/server/kubently.env.example", () => {
  test("is a systemd environment file: comments and KEY=value lines only", () => {
    for (const line of envLines) {
      if (line === "" || line.startsWith("#")) continue;
      expect(line).toMatch(/^KUBENTLY_[A-Z0-9_]+=\S*$/);
    }
  });

  test("names only variables the server reads, each once", () => {
    expect(exampleNames.filter((name) => !serverReads.has(name))).toEqual([]);
    expect(new Set(exampleNames).size).toBe(exampleNames.length);
  });

  test("names every variable of the server's configuration", () => {
    const configured = variablesIn(["src/config.ts", "src/log.ts"]);
    const missing = [...configured].filter((name) => !exampleNames.includes(name));
    // A new setting belongs in the example too, with a comment on what it does.
    expect(missing).toEqual([]);
  });

  test("every value it shows, set or commented out, is one the server's configuration accepts", () => {
    const env = Object.fromEntries(
      envLines.flatMap((line) => {
        const match = /^(?:# )?(KUBENTLY_[A-Z0-9_]+)=(.*)$/.exec(line);
        return match === null ? [] : [[match[1], match[2]]];
      }),
    );
    expect(() => resolveServerConfig({}, env)).not.toThrow();
  });

  test("ships no key or secret, so the server refuses to start on it unedited", async () => {
    const secrets = envLines.filter((line) => /^(?:# )?KUBENTLY_[A-Z0-9_]*(?:KEYS|SECRET)=/.test(line));
    expect(secrets.length).toBeGreaterThan(0);
    for (const line of secrets) expect(line).toEndWith("=");

    const env = Object.fromEntries(
      envLines.flatMap((line) => (/^KUBENTLY_/.test(line) ? [line.split("=")] : [])),
    );
    const server = await runKubently(["serve", "--store", "memory://"], env);
    expect(server.code).toBe(2);
    expect(server.stderr).toContain("no API keys");
  });
});
