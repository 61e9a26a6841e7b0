/**
 * The executor never dies of what the server sends. A fake API (fake-api.ts) sends the real
 * executor, on each transport, generated runs of malformed messages of every kind: text that is
 * not JSON, commands with a field of the wrong type or missing, huge fields, another cluster's
 * command, messages of unknown kinds, stray bytes, truncated frames and dropped connections. After
 * each run it sends one valid command, which must still be answered; every invalid command that
 * names itself is answered as a failure, and no other is run. Runs and waits are bounded.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { resolveExecutorConfig } from "../../executor/config";
import { startExecutor } from "../../executor/executor";
import type { ExecutorLog } from "../../executor/log";
import type { TransportName } from "../../executor/transports/types";
import type { Command } from "../../src/models";
import { makeCommand } from "../support/fixtures";
import { type FakeApi, type Frame, startFakeApi } from "./fake-api";

const CLUSTER = "fuzzed";
const RUNS = 15;
const dir = mkdtempSync(join(tmpdir(), "kubently-fuzz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the executor must do with one generated message: answer it with this status, or run nothing. */
type Expect = "success" | "failure" | "denied" | "nothing";
interface Message {
  frames: Frame[];
  commandId?: string;
  expect: Expect;
}

const valid = () => makeCommand(CLUSTER, { args: ["pods", `p${crypto.randomUUID().slice(0, 8)}`] });

const notAString = fc.oneof(
  fc.integer(),
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.string()),
  fc.object(),
);
const notAnInteger = fc.oneof(
  fc.string(),
  fc.constant(null),
  fc.boolean(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
);
const HUGE = "x".repeat(1 << 20);

/** A wrong value for each field of Command (absent: the field is left out). */
const WRONG: Record<keyof Command, fc.Arbitrary<unknown>> = {
  command_id: fc.oneof(notAString, fc.constantFrom("not-a-uuid", crypto.randomUUID().toUpperCase(), HUGE)),
  cluster_id: fc.oneof(notAString, fc.constantFrom("Not_A_Label", "", HUGE)),
  session_id: fc.oneof(notAString, fc.constant("session-1")),
  command_type: notAString,
  args: fc.oneof(
    fc.string(),
    fc.constant(null),
    fc.object(),
    fc.array(fc.oneof(fc.integer(), fc.constant(null), fc.array(fc.string())), { minLength: 1 }),
  ),
  namespace: notAString,
  timeout_seconds: fc.oneof(notAnInteger, fc.integer({ max: 0 })),
  deadline_ms: notAnInteger,
  follow_seconds: fc.oneof(notAnInteger, fc.integer({ max: 0 })),
  follow_lines: fc.oneof(notAnInteger, fc.integer({ max: 0 })),
  stream_output: notAString.filter((value) => typeof value !== "boolean"),
  correlation_id: fc.oneof(notAString, fc.constantFrom("two words", "x".repeat(129), HUGE)),
  service_identity: notAString,
  requested_by: notAString,
  created_at: fc.oneof(notAString, fc.constantFrom("yesterday", "2026-13-45T99:99:99Z")),
  scope: fc.oneof(
    fc.integer(),
    fc.string(),
    fc.constant(null),
    fc.constantFrom(
      { namespaces: { allow: ["shop"], deny: [] } },
      { principal: "p", mode: "root" },
      { principal: "p", namespaces: { allow: ["Bad NS"], deny: [] } },
      { principal: "p", share: 0 },
    ),
  ),
};
const OPTIONAL = new Set([
  "session_id",
  "namespace",
  "requested_by",
  "scope",
  "follow_seconds",
  "follow_lines",
  "stream_output",
]);

/** A command with one field wrong: answered as a failure, unless the wrong field is one it is named by. */
const mutated = fc
  .constantFrom(...(Object.keys(WRONG) as (keyof Command)[]))
  .chain((field) =>
    fc.tuple(fc.constant(field), OPTIONAL.has(field) ? WRONG[field] : fc.option(WRONG[field])),
  )
  .map(([field, wrong]) => {
    const command: Record<string, unknown> = valid();
    if (wrong === null && !OPTIONAL.has(field)) delete command[field];
    else command[field] = wrong;
    const named = field !== "command_id" && field !== "cluster_id";
    return {
      value: command,
      commandId: named ? (command.command_id as string) : undefined,
      expect: named ? "failure" : "nothing",
    } as const;
  });

/** Commands the model accepts however odd: huge, another cluster's, with fields it does not know. */
const oddButValid = fc.constantFrom(
  () => ({ expect: "success" as const, value: { ...valid(), from_a_newer_server: HUGE } }),
  () => ({ expect: "denied" as const, value: { ...valid(), command_type: HUGE } }),
  () => ({ expect: "success" as const, value: { ...valid(), args: ["pods", ...Array(5_000).fill("p")] } }),
  () => ({ expect: "nothing" as const, value: makeCommand("another-cluster") }),
);

interface Payload {
  value: unknown;
  commandId?: string;
  expect: Expect;
}
const payload: fc.Arbitrary<Payload> = fc.oneof(
  mutated,
  oddButValid.map((make) => {
    const made = make();
    return { ...made, commandId: (made.value as Command).command_id };
  }),
  fc.anything().map((value) => ({ value, expect: "nothing" as const })),
);

/** JSON text cut short: what a dropped connection leaves of a frame. */
const truncatedJson = fc
  .tuple(fc.constant(JSON.stringify(valid())), fc.nat())
  .map(([text, at]) => text.slice(0, 1 + (at % (text.length - 1))));
const notJson = fc.oneof(
  truncatedJson,
  fc.constantFrom("", "{", "nul", "[1,", "undefined", "{'a':1}", "\u0000"),
);

/** How each transport carries a command, and what else can arrive on it. */
const TRANSPORTS: Record<TransportName, { carry(value: unknown): Frame[]; junk: fc.Arbitrary<Frame[]> }> = {
  sse: {
    // The blank lines first end whatever junk came before, as the next real event would.
    carry: (value) => [{ text: `\n\nevent: command\ndata: ${JSON.stringify(value)}\n\n` }],
    junk: fc.oneof(
      notJson.map((text) => [{ text: `event: command\ndata: ${text}\n\n` }]),
      fc
        .tuple(fc.string(), fc.string())
        .map(([name, data]) => [
          { text: `event: x-${name.replace(/[\r\n]/g, "")}\ndata: ${data.replace(/[\r\n]/g, "")}\n\n` },
        ]),
      fc.constantFrom<Frame[]>(
        [{ text: "data: no event name\n\n" }],
        [{ text: ": a comment\n\n" }],
        [{ text: "retry: soon\nid: \u0000\nnot a field line\n\n" }],
        [{ text: 'event: command\ndata: {"command_id":\ndata: 1}\n\n' }],
        [{ text: "event: command\r\rdata: null\r\r" }],
        [{ text: "event: command\ndata: null\n\n" }],
        [{ text: "event: command\ndata: []\n\n" }],
      ),
      fc.uint8Array({ maxLength: 512 }).map((binary) => [{ binary }]),
      truncatedJson.map((text): Frame[] => [{ text: `event: command\ndata: ${text}` }, { close: true }]),
    ),
  },
  ws: {
    carry: (value) => [{ text: JSON.stringify({ type: "command", command: value }) }],
    junk: fc.oneof(
      notJson.map((text) => [{ text }]),
      fc.anything().map((value) => [{ text: JSON.stringify(value) ?? "undefined" }]),
      fc.anything().map((type) => [{ text: JSON.stringify({ type, command: valid() }) ?? "{}" }]),
      fc.constantFrom<Frame[]>(
        [{ text: '{"type":"command"}' }],
        [{ text: '{"type":"ack","command_id":5}' }],
        [{ text: '{"type":"ack"}' }],
        [{ text: '{"type":"error","code":7}' }],
        [{ text: '{"type":"surprise","from":"the future"}' }],
        [{ text: '{"type":"closing"}' }],
        [{ close: true }],
      ),
      fc.uint8Array({ maxLength: 512 }).map((binary) => [{ binary }]),
      fc
        .constant(JSON.stringify({ type: "command", command: valid() }))
        .map((text) => [{ binary: new TextEncoder().encode(text) }]),
    ),
  },
  poll: {
    carry: (value) => [{ text: JSON.stringify({ commands: [value] }) }],
    junk: fc.oneof(
      notJson.map((text) => [{ text }]),
      fc.anything().map((value) => [{ text: JSON.stringify(value) ?? "" }]),
      fc.anything().map((commands) => [{ text: JSON.stringify({ commands }) ?? "" }]),
      fc.array(fc.anything(), { maxLength: 4 }).map((commands) => [{ text: JSON.stringify({ commands }) }]),
    ),
  },
};

/** Counterexamples name their frames cut short: some hold a megabyte. */
function printable(message: Message): Message {
  const text = JSON.stringify(message.frames);
  const shown = text.length > 200 ? `${text.slice(0, 200)}… (${text.length} chars)` : text;
  return Object.assign(message, { [fc.toStringMethod]: () => `${shown} → ${message.expect}` });
}

function message(transport: TransportName): fc.Arbitrary<Message> {
  const { carry, junk } = TRANSPORTS[transport];
  return fc
    .oneof(
      payload.map(({ value, commandId, expect }): Message => ({ frames: carry(value), commandId, expect })),
      junk.map((frames): Message => ({ frames, expect: "nothing" })),
    )
    .map(printable);
}

async function executorAgainst(api: FakeApi, transport: TransportName, log: ExecutorLog) {
  const env = {
    PATH: process.env.PATH,
    KUBENTLY_API_URL: api.url,
    KUBENTLY_CLUSTER_ID: CLUSTER,
    KUBENTLY_TOKEN: "kbt_fuzz",
    KUBENTLY_TRANSPORT: transport,
    KUBENTLY_RUNNER: "echo",
    KUBENTLY_CACHE_DIR: join(dir, transport),
  };
  const executor = await startExecutor(resolveExecutorConfig({}, env), { log, env });
  await executor.connected();
  return executor;
}

describe("the executor against a server that sends garbage", () => {
  test.each(["sse", "ws", "poll"] as const)(
    "%s: it stays up, answers what names itself, and serves the next valid command",
    async (transport) => {
      const api = startFakeApi();
      const internalFailures: unknown[] = [];
      const log: ExecutorLog = (_level, msg, fields) => {
        if (msg === "command failed inside the executor") internalFailures.push(fields);
      };
      const executor = await executorAgainst(api, transport, log);
      const unanswered: string[] = [];
      try {
        await fc.assert(
          fc.asyncProperty(fc.array(message(transport), { minLength: 1, maxLength: 5 }), async (messages) => {
            const next = valid();
            api.send([...messages.flatMap((m) => m.frames), ...TRANSPORTS[transport].carry(next)]);
            expect((await api.result(next.command_id)).status).toBe("success");
            for (const { commandId, expect: expected } of messages) {
              if (commandId === undefined) continue;
              if (expected === "nothing") unanswered.push(commandId);
              else expect((await api.result(commandId)).status).toBe(expected);
            }
          }),
          { numRuns: RUNS, endOnFailure: true },
        );
      } finally {
        await executor.stop(5_000);
        api.stop();
      }
      // The answers to invalid commands go out as they arrive, well before the stop.
      for (const commandId of unanswered) expect(api.results.has(commandId)).toBe(false);
      expect(internalFailures).toEqual([]);
    },
    120_000,
  );
});
