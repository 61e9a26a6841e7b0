/**
 * Redaction's false positives and cost. False positives: how many look-alike lines (test/redact/
 * lookalikes.ts), generated lines with hashes, digests, UUIDs and base64, and lines of the default
 * stand-in cluster's objects (as YAML, every kind but Secrets) and logs the default rules change;
 * none of them holds a credential, so every change is one; and names that are credentials' as
 * often as not (AMBIGUOUS), where the rules choose to redact. Cost: µs per KiB of output for the text
 * pass (logs), on inputs built to make a rule backtrack, and the structured pass (a pod list as the gate relays it), beside JSON.parse +
 * JSON.stringify of the same body; and a native read end to end through the gate with the default
 * rules and with every rule off, alternated so drift hits both alike. `bun run bench/scenarios/redaction.ts` prints the JSON.
 */
import { stringify as toYaml } from "yaml";
import { compileRedaction, DEFAULT_RULE_NAMES, redactJsonText, redactText } from "../../executor/redact";
import { startGateHarness } from "../../test/gate/harness";
import { redactionScenario } from "../../test/k8s/redaction-scenario";
import { defaultScenario } from "../../test/k8s/scenario";
import { startKubeStandin } from "../../test/k8s/standin";
import { AMBIGUOUS, LOOKALIKES } from "../../test/redact/lookalikes";
import { round, spread } from "../lib/stats";

const redactor = compileRedaction(undefined);

interface FalsePositives {
  lines: number;
  changed: number;
  rate_percent: number;
  examples: string[];
}

function falsePositives(lines: readonly string[]): FalsePositives {
  const changed = lines.filter((line) => redactText(redactor, line) !== line);
  return {
    lines: lines.length,
    changed: changed.length,
    rate_percent: round((100 * changed.length) / Math.max(1, lines.length), 3),
    examples: changed.slice(0, 5),
  };
}

/** A deterministic generator, so every run measures the same lines. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function generatedLookalikes(count: number): string[] {
  const random = seeded(42);
  const pick = (alphabet: string, length: number) =>
    Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
  const hex = (length: number) => pick("0123456789abcdef", length);
  const b64 = (length: number) =>
    pick("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", length);
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const templates = [
    () => `deployed commit ${hex(40)} (${hex(7)})`,
    () => `pulled registry.example.com/app@sha256:${hex(64)}`,
    () => `request ${uuid()} took ${Math.floor(random() * 900)}ms`,
    () => `payload=${b64(24)}== checksum=${hex(32)}`,
    () => `trace_id=${hex(32)} span_id=${hex(16)} parent=${hex(16)}`,
    () => `TOKEN_TTL_SECONDS=${Math.floor(random() * 9000)} SESSION_TIMEOUT=${Math.floor(random() * 60)}m`,
    () => `GET https://api.example.com/v1/orders/${uuid()}?page=${Math.floor(random() * 9)} 200`,
    () => `uid: ${uuid()}\nresourceVersion: "${Math.floor(random() * 1e6)}"`,
    () => `etag "${b64(27)}=" cache-key ${hex(16)}`,
    () =>
      `user ${pick("abcdefghijklmnopqrstuvwxyz", 8)}@example.com logged in from 10.0.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}`,
  ];
  return Array.from({ length: count }, (_, i) => (templates[i % templates.length] as () => string)());
}

/** The default cluster as kubectl -o yaml would show it, line by line, and its logs. */
function clusterLines(): string[] {
  const scenario = defaultScenario();
  const yaml = scenario.objects
    .filter((object) => object.kind !== "Secret")
    .flatMap((object) => toYaml(object).split("\n"));
  const logs = scenario.logs.flatMap((container) =>
    [...container.current, ...(container.previous ?? [])].map((line) => line.text),
  );
  return [...yaml, ...logs].filter((line) => line.trim() !== "");
}

/** Median µs per KiB of `run` over `text`, over `rounds` rounds after a warm-up. */
function microsPerKiB(text: string, run: (text: string) => unknown, rounds = 9): number {
  run(text);
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    run(text);
    samples.push(performance.now() - started);
  }
  return round((spread(samples).median * 1000) / (Buffer.byteLength(text) / 1024), 2);
}

function repeatTo(bytes: number, piece: string): string {
  return piece.repeat(Math.ceil(bytes / Buffer.byteLength(piece)));
}

/** Inputs built to make a rule backtrack: each about 1 MiB, timed once (ms). */
function worstCases(): Record<string, number> {
  const cases: Record<string, string> = {
    names_without_values: "a=".repeat(1 << 19),
    schemes_without_at: "a://b:c".repeat(150_000),
    long_user_and_password_without_at: `a://${"b".repeat(200)}:${"c".repeat(200)} `.repeat(2_600),
    pem_begins_without_end: "-----BEGIN PRIVATE KEY-----x".repeat(38_000),
    bearer_words: "Bearer ".repeat(150_000),
    jwt_starts: "eyJaaaaaa.".repeat(105_000),
    authorization_headers: "Authorization: ".repeat(70_000),
  };
  return Object.fromEntries(
    Object.entries(cases).map(([name, text]) => {
      const started = performance.now();
      redactText(redactor, text);
      return [name, round(performance.now() - started, 1)];
    }),
  );
}

export function redactionFigures() {
  const scenario = redactionScenario();
  const pods = scenario.objects.filter((object) => object.kind === "Pod");
  const logText = scenario.logs.flatMap((c) => c.current.map((line) => line.text)).join("\n");
  const text = repeatTo(1 << 20, `${logText}\n${LOOKALIKES.join("\n")}\n`);
  // A pod list of about 1 MiB, as the API server sends it, with and without credentials in it.
  const list = (items: unknown[]) =>
    JSON.stringify({ kind: "PodList", apiVersion: "v1", metadata: {}, items });
  const withCredentials = list(
    Array.from({ length: Math.ceil((1 << 20) / list(pods).length) }).flatMap(() => pods),
  );
  const clean = defaultScenario().objects.filter((object) => object.kind === "Pod");
  const without = list(
    Array.from({ length: Math.ceil((1 << 20) / list(clean).length) }).flatMap(() => clean),
  );
  return {
    false_positives: {
      lookalike_corpus: falsePositives(LOOKALIKES),
      ambiguous_names: falsePositives(AMBIGUOUS),
      generated_lookalikes: falsePositives(generatedLookalikes(10_000)),
      default_cluster_yaml_and_logs: falsePositives(clusterLines()),
    },
    cost_us_per_kib: {
      text_pass_logs: microsPerKiB(text, (t) => redactText(redactor, t)),
      structured_pass_pods_with_credentials: microsPerKiB(withCredentials, (t) =>
        redactJsonText(redactor, t),
      ),
      structured_pass_pods_without: microsPerKiB(without, (t) => redactJsonText(redactor, t)),
      json_parse_and_stringify_same_pods: microsPerKiB(withCredentials, (t) => JSON.stringify(JSON.parse(t))),
    },
    worst_case_ms_per_mib: worstCases(),
    sizes_kib: {
      text: round(Buffer.byteLength(text) / 1024, 0),
      pods_with_credentials: round(Buffer.byteLength(withCredentials) / 1024, 0),
      pods_without: round(Buffer.byteLength(without) / 1024, 0),
    },
  };
}

/** Median ms of native reads through the gate, rules on and off, alternated, after a warm-up. */
export async function nativeReadCost(rounds: number) {
  const standin = await startKubeStandin({ scenario: redactionScenario() });
  const on = await startGateHarness(standin);
  const off = await startGateHarness(standin, { redaction: { disable: [...DEFAULT_RULE_NAMES] } });
  // -o yaml of these falls back to kubectl: last-applied-configuration is a string with a line break.
  const argvs = {
    get_pods_all_namespaces_json: ["get", "pods", "-A", "-o", "json"],
    get_pods_all_namespaces_table: ["get", "pods", "-A"],
    get_configmaps_payments_json: ["get", "configmaps", "-n", "payments", "-o", "json"],
  };
  const figures: Record<string, { rules_on_ms: number; rules_off_ms: number }> = {};
  try {
    for (const [name, argv] of Object.entries(argvs)) {
      const samples = { on: [] as number[], off: [] as number[] };
      for (let i = 0; i < rounds + 3; i++) {
        for (const [which, harness] of [
          ["on", on],
          ["off", off],
        ] as const) {
          const started = performance.now();
          const { output } = await harness.native(argv);
          if (output === undefined) throw new Error(`${argv.join(" ")} fell back to kubectl`);
          if (i >= 3) samples[which].push(performance.now() - started);
        }
      }
      figures[name] = {
        rules_on_ms: round(spread(samples.on).median),
        rules_off_ms: round(spread(samples.off).median),
      };
    }
  } finally {
    await on.stop();
    await off.stop();
    await standin.stop();
  }
  return figures;
}

if (import.meta.main) {
  console.log(
    JSON.stringify({ ...redactionFigures(), native_read_median: await nativeReadCost(40) }, null, 2),
  );
}
