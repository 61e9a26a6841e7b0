/**
 * Redaction end to end: the whole executor path (agent, policy, cluster gate, native reads or real
 * kubectl) against the stand-in with credentials planted in pod specs, last-applied annotations, a
 * ConfigMap, container logs and an event. No planted value may come out of any command, format or
 * page, natively or through kubectl; plain kubectl against the stand-in is the oracle that each one
 * really is there to leak, and that the look-alikes beside them come out unchanged.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, type ResultSink } from "../../executor/agent";
import { type ClusterGate, resolveClusterAccess, startGate } from "../../executor/gate";
import { silentLog } from "../../executor/log";
import { createNativeReads } from "../../executor/native";
import { type Policy, policyFrom } from "../../executor/policy";
import { DEFAULT_RULE_NAMES } from "../../executor/redact";
import { createRunner, kubectlEnv } from "../../executor/runner";
import type { CommandResult, OutputChunk } from "../../src/models";
import {
  KEPT,
  PAYMENTS,
  PAYMENTS_BINARY_CONFIGMAP,
  PAYMENTS_CONFIGMAP,
  PAYMENTS_POD,
  PAYMENTS_SECRET,
  PLANTED,
  PLANTED_IN_BINARY_DATA,
  PLANTED_IN_SECRETS,
  redactionScenario,
} from "../k8s/redaction-scenario";
import { type KubeStandin, startKubeStandin } from "../k8s/standin";
import { inKeyOrder } from "../native/map-order";
import { makeCommand } from "../support/fixtures";
import { type Finished, runToEnd } from "../support/process";

const NS = ["-n", PAYMENTS];
const FORMATS = [[], ["-o", "wide"], ["-o", "json"], ["-o", "yaml"], ["-o", "name"]];
const KINDS = ["pods", "deployments", "replicasets", "configmaps", "events"];

/** Every command an agent might run to read the payments namespace. */
const COMMANDS: string[][] = [
  ...KINDS.flatMap((kind) => FORMATS.map((format) => ["get", kind, ...NS, ...format])),
  ["get", "pod", PAYMENTS_POD, ...NS, "-o", "yaml"],
  ["get", "configmap", PAYMENTS_CONFIGMAP, ...NS, "-o", "json"],
  ["get", "configmaps", "-A", "-o", "yaml"],
  ["get", "pods", "-A", "-o", "json"],
  // One object a page: every continue page goes through the gate too.
  ["get", "pods,configmaps", ...NS, "-o", "yaml", "--chunk-size=1"],
  ["get", "deployments", ...NS, "-o", "json", "--chunk-size=1"],
  ["describe", "pod", PAYMENTS_POD, ...NS],
  ["describe", "deployment", "payments", ...NS],
  ["describe", "replicasets", ...NS],
  ["describe", "configmap", PAYMENTS_CONFIGMAP, ...NS],
  ["logs", PAYMENTS_POD, ...NS],
  ["logs", "deploy/payments", ...NS, "--timestamps"],
  ["logs", PAYMENTS_POD, ...NS, "--tail=5"],
  ["events", ...NS],
  ["get", "pod", PAYMENTS_POD, ...NS, "-o", "jsonpath={.spec.containers[0].env}"],
  ["get", "configmap", PAYMENTS_CONFIGMAP, ...NS, "-o", "jsonpath={.data}"],
  ["get", "pods", ...NS, "-o", "custom-columns=NAME:.metadata.name,ENV:.spec.containers[*].env"],
  ["get", "configmaps", ...NS, "--sort-by=.metadata.name", "-o", "yaml"],
];

let standin: KubeStandin;
let gate: ClusterGate;
let runtimeDir: string;
const policy: Policy = policyFrom({});

function sinkOf(): { sink: ResultSink; next(id: string): Promise<CommandResult> } {
  const waiting = new Map<string, (result: CommandResult) => void>();
  return {
    sink: {
      async post(result) {
        waiting.get(result.command_id)?.(result);
        return true;
      },
    },
    next: (id) => new Promise((resolve) => waiting.set(id, resolve)),
  };
}

/** An agent over the gate, natively or with kubectl only; `chunks` collects what it streams. */
function agentWith(native: boolean, agentPolicy = policy, agentGate = gate, chunks?: OutputChunk[]) {
  const { sink, next } = sinkOf();
  const runner = createRunner({
    kubectl: "kubectl",
    env: kubectlEnv(process.env, join(runtimeDir, native ? "cache-n" : "cache-k"), runtimeDir),
  });
  const agent = new Agent({
    clusterId: "alpha",
    version: "t",
    policy: { ...agentPolicy, nativeReads: native },
    runner,
    gate: agentGate,
    ...(native
      ? { native: createNativeReads({ kubectl: "kubectl", env: { PATH: process.env.PATH ?? "" } }) }
      : {}),
    sink,
    ...(chunks
      ? { chunks: { chunk: (chunk: OutputChunk) => chunks.push(chunk), chunksSent: async () => {} } }
      : {}),
    log: silentLog,
  });
  return async (
    argv: string[],
    timeoutSeconds = 20,
    extra: Partial<Parameters<typeof makeCommand>[1]> = {},
  ): Promise<CommandResult> => {
    const [command_type = "", ...args] = argv;
    const command = makeCommand("alpha", { command_type, args, timeout_seconds: timeoutSeconds, ...extra });
    const result = next(command.command_id);
    agent.accept(command);
    return result;
  };
}

/** The oracle: plain kubectl with the stand-in's own kubeconfig, no gate, no redaction. */
function direct(argv: string[]): Promise<Finished> {
  return runToEnd(["kubectl", ...argv], {
    PATH: process.env.PATH,
    HOME: runtimeDir,
    KUBECONFIG: standin.kubeconfigPath,
  });
}

function leaked(text: string): string[] {
  return Object.entries(PLANTED)
    .filter(([, value]) => text.includes(value))
    .map(([key]) => key);
}

beforeAll(async () => {
  runtimeDir = mkdtempSync(join(tmpdir(), "kubently-redact-"));
  standin = await startKubeStandin({ scenario: redactionScenario(), tls: true });
  const access = resolveClusterAccess({ KUBECONFIG: standin.kubeconfigPath }, { serviceAccountDir: "/none" });
  gate = await startGate({ policy, access, version: "t", runtimeDir, log: silentLog });
});
afterAll(async () => {
  await gate.stop();
  await standin.stop();
  rmSync(runtimeDir, { recursive: true, force: true });
});

describe("no planted credential comes out of the executor", () => {
  test("any command, any format, any page: natively and through kubectl", async () => {
    const viaKubectl = agentWith(false);
    const viaNative = agentWith(true);
    const shownByOracle = new Set<string>();
    for (const argv of COMMANDS) {
      const oracle = await direct(argv);
      expect(oracle.code, `${argv.join(" ")}: ${oracle.stderr}`).toBe(0);
      for (const key of leaked(oracle.stdout)) shownByOracle.add(key);
      const printed: string[] = [];
      for (const [path, run] of [
        ["kubectl", viaKubectl],
        ["native", viaNative],
      ] as const) {
        const result = await run(argv);
        printed.push(result.stdout);
        const where = `${path}: ${argv.join(" ")}`;
        expect(result.status, `${where}: ${result.stderr}`).toBe("success");
        expect(leaked(JSON.stringify(result)), where).toEqual([]);
        // What is not a credential comes out as plain kubectl prints it.
        for (const kept of KEPT) {
          if (oracle.stdout.includes(kept)) expect(result.stdout, `${where} keeps ${kept}`).toContain(kept);
        }
        if (leaked(oracle.stdout).length > 0) {
          expect(Object.keys(result.redactions ?? {}).length, `${where} counts`).toBeGreaterThan(0);
        }
      }
      // Native reads print the markers exactly as kubectl does (YAML quoting, JSON escaping,
      // describe's env lines); kubectl's describe of a ConfigMap walks its keys in Go's random map
      // order, so its keys are put in byte order first, as native reads print them.
      expect(printed[1], `native prints as kubectl: ${argv.join(" ")}`).toBe(inKeyOrder(printed[0] ?? ""));
    }
    // Every planted value was there to leak: the scenario tests what it says it tests.
    expect([...shownByOracle].sort()).toEqual(Object.keys(PLANTED).sort());
  }, 240_000);

  test("a native read's JSON, handed over parsed by the gate, is what the redacted text says", async () => {
    const grant = gate.open({ commandId: crypto.randomUUID(), serviceIdentity: "agent" });
    try {
      const path = `/api/v1/namespaces/${PAYMENTS}/pods/${PAYMENTS_POD}`;
      const text = await (await grant.fetch(path, "application/json")).text();
      const value = await (await grant.fetch(path, "application/json")).json();
      expect(leaked(text)).toEqual([]);
      expect(text).toContain("[REDACTED:secret-name]");
      expect(value).toEqual(JSON.parse(text));
    } finally {
      grant.close();
    }
  });

  test.each([false, true])(
    "a watch is redacted event by event (native reads: %p)",
    async (native) => {
      const run = agentWith(native);
      // Its window is cut to the 3 s timeout: it ends by the window, with the events that arrived.
      const result = await run(["get", "pods", ...NS, "-w", "-o", "json"], 3);
      expect(result.status).toBe("success");
      expect(result.follow?.ended_by).toBe("window");
      expect(result.stdout).toContain(PAYMENTS_POD);
      expect(leaked(JSON.stringify(result))).toEqual([]);
      expect(result.redactions?.["secret-name"]).toBeGreaterThan(0);
    },
    30_000,
  );
});

/** A text and what each base64 token in it decodes to (a Secret's or a binary value as printed). */
function withDecoded(text: string): string {
  const tokens = text.match(/[A-Za-z0-9+/]{8,}={0,2}/g) ?? [];
  return [text, ...tokens.map((token) => Buffer.from(token, "base64").toString("latin1"))].join("\n");
}

/** Which of `planted` a text shows, as it is or inside base64. */
const leakedFrom = (planted: Record<string, string>) => (text: string) => {
  const readable = withDecoded(text);
  return Object.entries(planted)
    .filter(([, value]) => readable.includes(value))
    .map(([key]) => key);
};

describe("a ConfigMap's binary data, in base64 where no text rule sees it", () => {
  const leakedFromBinary = leakedFrom(PLANTED_IN_BINARY_DATA);

  test("is judged by its key's name and as the text it decodes to; kubectl still decodes it", async () => {
    const commands = [
      ["get", "configmap", PAYMENTS_BINARY_CONFIGMAP, ...NS, "-o", "yaml"],
      ["get", "configmaps", ...NS, "-o", "json"],
      ["describe", "configmap", PAYMENTS_BINARY_CONFIGMAP, ...NS],
    ];
    const shownByOracle = new Set<string>();
    for (const argv of commands) {
      const oracle = await direct(argv);
      expect(oracle.code, `${argv.join(" ")}: ${oracle.stderr}`).toBe(0);
      for (const key of leakedFromBinary(oracle.stdout)) shownByOracle.add(key);
      for (const native of [false, true]) {
        const result = await agentWith(native)(argv);
        const where = `${native ? "native" : "kubectl"}: ${argv.join(" ")}`;
        expect(result.status, `${where}: ${result.stderr}`).toBe("success");
        expect(leakedFromBinary(JSON.stringify(result)), where).toEqual([]);
      }
    }
    expect([...shownByOracle].sort()).toEqual(Object.keys(PLANTED_IN_BINARY_DATA).sort());
    const shown = await agentWith(true)(commands[0] as string[]);
    // The password's marker is printed whole, in base64; the env file's sits inside the file's base64.
    expect(shown.redactions).toEqual({ "secret-name": 1 });
    // The binary file is left as it was, and the env file keeps what is not a credential.
    const { binaryData } = JSON.parse(
      (await agentWith(true)(["get", "cm", PAYMENTS_BINARY_CONFIGMAP, ...NS, "-o", "json"])).stdout,
    );
    expect(Buffer.from(binaryData["payments.env"], "base64").toString()).toBe(
      "API_TOKEN=[REDACTED:secret-name]\nREGION=eu-west-1\n",
    );
    expect(binaryData["logo.png"]).toBe(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe]).toString("base64"),
    );
  }, 60_000);
});

describe("where the policy lets Secrets be read", () => {
  const leakedFromSecrets = leakedFrom(PLANTED_IN_SECRETS);
  const SECRET_COMMANDS: string[][] = [
    ["get", "secrets", ...NS, "-o", "yaml"],
    ["get", "secrets", "-A", "-o", "json"],
    ["get", "secret", PAYMENTS_SECRET, ...NS, "-o", "jsonpath={.data.password}"],
    ["get", "secret", PAYMENTS_SECRET, ...NS, "-o", "go-template={{.data.password | base64decode}}"],
    ["get", "secrets", ...NS, "-o", "wide"],
    ["describe", "secret", PAYMENTS_SECRET, ...NS],
    ["describe", "secrets", ...NS],
    ["describe", "serviceaccount", "payments", ...NS],
  ];

  test("no value of a Secret comes out, and kubectl still decodes them: natively and through kubectl", async () => {
    const readable = policyFrom({ restrictedResources: [] });
    const access = resolveClusterAccess(
      { KUBECONFIG: standin.kubeconfigPath },
      { serviceAccountDir: "/none" },
    );
    const readableGate = await startGate({
      policy: readable,
      access,
      version: "t",
      runtimeDir,
      log: silentLog,
    });
    try {
      const shownByOracle = new Set<string>();
      for (const argv of SECRET_COMMANDS) {
        const oracle = await direct(argv);
        expect(oracle.code, `${argv.join(" ")}: ${oracle.stderr}`).toBe(0);
        for (const key of leakedFromSecrets(oracle.stdout)) shownByOracle.add(key);
        const printed: string[] = [];
        for (const native of [false, true]) {
          const result = await agentWith(native, readable, readableGate)(argv);
          const where = `${native ? "native" : "kubectl"}: ${argv.join(" ")}`;
          // A marker that were not base64 would make kubectl's typed decoding refuse the Secret.
          expect(result.status, `${where}: ${result.stderr}`).toBe("success");
          expect(leakedFromSecrets(JSON.stringify(result)), where).toEqual([]);
          if (leakedFromSecrets(oracle.stdout).length > 0) {
            expect(result.redactions?.["secret-data"], `${where} counts`).toBeGreaterThan(0);
          }
          printed.push(result.stdout);
        }
        // kubectl walks a Secret's keys in Go's map order: put in byte order, as native reads print them.
        expect(printed[1], `native prints as kubectl: ${argv.join(" ")}`).toBe(inKeyOrder(printed[0] ?? ""));
      }
      expect([...shownByOracle].sort()).toEqual(Object.keys(PLANTED_IN_SECRETS).sort());
      // What describe prints of them: each value's size (the marker's), a token as its marker.
      const described = await agentWith(false, readable, readableGate)(["describe", "secrets", ...NS]);
      expect(described.stdout).toMatch(/^password: +22 bytes$/m);
      expect(described.stdout).toMatch(/^token: +\[REDACTED:secret-data\]$/m);
      const account = await agentWith(true, readable, readableGate)(["describe", "sa", "payments", ...NS]);
      expect(account.stdout).toMatch(/^Tokens: +payments-token-k4m2z$/m);
    } finally {
      await readableGate.stop();
    }
  }, 120_000);
});

describe("what the result counts", () => {
  test("a pod's yaml: each env credential, in the spec and in last-applied-configuration, once", async () => {
    for (const run of [agentWith(false), agentWith(true)]) {
      const result = await run(["get", "pod", PAYMENTS_POD, ...NS, "-o", "yaml"]);
      // DB_PASSWORD and PAYMENTS_API_TOKEN by name, the URL's password and the JWT by format:
      // in spec.containers[0].env and again in the annotation.
      expect(result.redactions).toEqual({ "secret-name": 4, "url-password": 2, jwt: 2 });
      expect(result.stdout).toContain("value: '[REDACTED:secret-name]'");
      expect(result.stdout).toContain(`"value":"[REDACTED:secret-name]"`);
      expect(result.stdout).toContain("TOKEN_TTL_SECONDS");
      expect(result.stdout).toContain('value: "300"');
    }
  }, 30_000);

  test("a log: each format rule once, the look-alikes untouched", async () => {
    const result = await agentWith(true)(["logs", PAYMENTS_POD, ...NS]);
    expect(result.redactions).toEqual({
      "secret-name": 2,
      "bearer-token": 1,
      "github-token": 1,
      "gitlab-token": 1,
      "slack-token": 1,
      "aws-access-key": 1,
    });
    expect(result.stdout).toContain("config: DB_PASSWORD=[REDACTED:secret-name] TOKEN_TTL_SECONDS=300\n");
    expect(result.stdout).toContain("Authorization: Bearer [REDACTED:bearer-token]\n");
    expect(result.stdout).toContain(
      '{"name":"DB_PASSWORD","value":"[REDACTED:secret-name]"},{"name":"TOKEN_TTL_SECONDS","value":"300"}',
    );
  }, 30_000);

  test("a followed log, natively and through kubectl: the result and each chunk passed on as it came", async () => {
    const whole = await agentWith(true)(["logs", PAYMENTS_POD, ...NS]);
    // Bounded by the lines the container has printed: it ends once they have all come.
    const follow = {
      follow_lines: whole.stdout.split("\n").length - 1,
      follow_seconds: 15,
      stream_output: true,
    };
    for (const native of [true, false]) {
      const chunks: OutputChunk[] = [];
      const result = await agentWith(
        native,
        policy,
        gate,
        chunks,
      )(["logs", "-f", PAYMENTS_POD, ...NS], 30, follow);
      expect(result).toMatchObject({ status: "success", stdout: whole.stdout, redactions: whole.redactions });
      const streamed = chunks.filter((chunk) => chunk.stream === "stdout").map((chunk) => chunk.text);
      expect(streamed.join("")).toBe(result.stdout);
      expect(leaked(JSON.stringify({ result, chunks }))).toEqual([]);
    }
  }, 60_000);

  test("with every default rule switched off, the same command shows the credentials and counts none", async () => {
    const open = policyFrom({ redaction: { disable: [...DEFAULT_RULE_NAMES] } });
    const access = resolveClusterAccess(
      { KUBECONFIG: standin.kubeconfigPath },
      { serviceAccountDir: "/none" },
    );
    const openGate = await startGate({ policy: open, access, version: "t", runtimeDir, log: silentLog });
    try {
      const shown = await agentWith(false, open, openGate)(["get", "pod", PAYMENTS_POD, ...NS, "-o", "yaml"]);
      expect(shown.stdout).toContain(PLANTED.envPassword);
      expect(shown.redactions).toBeUndefined();
    } finally {
      await openGate.stop();
    }
  }, 30_000);
});
