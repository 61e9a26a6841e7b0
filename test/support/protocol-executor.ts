/**
 * A minimal peer of the executor protocol for server tests: it connects over real SSE (or long-poll),
 * records the commands it receives and answers each with whatever the test's handler returns. The
 * real executor (executor/) is tested end to end elsewhere; this one lets server tests choose answers.
 */
import { EventSourceParserStream } from "eventsource-parser/stream";
import type { Command, CommandResult } from "../../src/models";
import { makeResult } from "./fixtures";

export type Answer = Partial<CommandResult> | "ignore";
export type Handler = (command: Command) => Answer | Promise<Answer>;

export const echoHandler: Handler = (command) => ({
  stdout: `ran ${command.command_type} ${command.args.join(" ")}`,
});

export interface ProtocolExecutor {
  received: Command[];
  /**
   * Why a result this executor posted was not stored (any answer but 200 {"stored": true}): a test
   * whose caller then waits in vain fails with this, not with a timeout that says nothing.
   */
  refusedPosts: string[];
  /** Resolves with the next command this executor receives (or one already received but not yet taken). */
  nextCommand(withinMs?: number): Promise<Command>;
  /** Resolves when the server ends the stream. */
  ended: Promise<string>;
  /** Hangs up; throws if any result this executor posted was not stored (see refusedPosts). */
  close(): void;
}

export function executorHeaders(clusterId: string, token: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, "x-cluster-id": clusterId, "x-executor-version": "test-1.0" };
}

export async function postResult(
  baseUrl: string,
  clusterId: string,
  token: string,
  command: Command,
  answer: Partial<CommandResult>,
): Promise<Response> {
  const result: CommandResult = makeResult(command, {
    stdout: "",
    execution_time_ms: 1,
    service_identity: command.service_identity,
    ...answer,
  });
  return fetch(`${baseUrl}/executor/results`, {
    method: "POST",
    headers: { ...executorHeaders(clusterId, token), "content-type": "application/json" },
    body: JSON.stringify(result),
  });
}

class Inbox {
  readonly received: Command[] = [];
  readonly refused: string[] = [];
  private taken = 0;
  private waiter: (() => void) | null = null;

  /** A result post that was not stored: the next wait for a command fails with it. */
  refuse(why: string): void {
    this.refused.push(why);
    this.waiter?.();
  }

  push(command: Command): void {
    this.received.push(command);
    this.waiter?.();
  }

  async next(withinMs: number): Promise<Command> {
    const deadline = Date.now() + withinMs;
    while (this.taken >= this.received.length) {
      if (this.refused.length > 0) throw new Error(`a result post was refused: ${this.refused.join("; ")}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no command arrived within ${withinMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = null;
    }
    return this.received[this.taken++] as Command;
  }
}

/** Connects over SSE; resolves once the server's `connected` event arrived. */
export async function connectSse(
  baseUrl: string,
  clusterId: string,
  token: string,
  handler: Handler = echoHandler,
): Promise<ProtocolExecutor> {
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}/executor/stream`, {
    headers: executorHeaders(clusterId, token),
    signal: abort.signal,
  });
  if (response.status !== 200 || !response.body) {
    throw new Error(`stream refused: ${response.status} ${await response.text()}`);
  }
  const inbox = new Inbox();
  const events = response.body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream());
  const reader = events.getReader();
  const first = await reader.read();
  if (first.value?.event !== "connected")
    throw new Error(`expected a connected event, got ${JSON.stringify(first.value)}`);

  const ended = (async () => {
    let closing = "stream ended";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return closing;
        if (value.event === "closing") closing = (JSON.parse(value.data) as { reason: string }).reason;
        if (value.event !== "command") continue;
        const command = JSON.parse(value.data) as Command;
        inbox.push(command);
        void Promise.resolve(handler(command))
          .then(async (answer) => {
            if (answer === "ignore") return;
            const response = await postResult(baseUrl, clusterId, token, command, answer);
            const body = await response.text();
            if (response.status !== 200 || body !== '{"stored":true}')
              inbox.refuse(`result for ${command.command_id}: ${response.status} ${body.slice(0, 300)}`);
          })
          .catch((error: unknown) => inbox.refuse(`result for ${command.command_id}: ${String(error)}`));
      }
    } catch {
      return "aborted";
    }
  })();

  return {
    received: inbox.received,
    refusedPosts: inbox.refused,
    nextCommand: (withinMs = 5_000) => inbox.next(withinMs),
    ended,
    close() {
      abort.abort();
      if (inbox.refused.length > 0) throw new Error(`a result post was refused: ${inbox.refused.join("; ")}`);
    },
  };
}
