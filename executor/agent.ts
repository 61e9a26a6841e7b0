/**
 * The executor's core, independent of transport: every received command is de-duplicated by id,
 * refused if its deadline has passed, checked against the policy on parsed argv, run with bounded
 * concurrency (through the cluster gate, when there is one), logged with the caller's identity,
 * and its result handed to the result sink.
 */
import { type Command, type CommandResult, MAX_CHUNK_CHARS, type OutputChunk } from "../src/models";
import { isFollowing } from "./following";
import { API_REQUEST_DENIED, type ClusterGate, type GateReport } from "./gate";
import { type ExecutorLog, loggedArgv } from "./log";
import type { NativeReads } from "./native";
import { runNatively } from "./native/run";
import { keptFor } from "./output-cap";
import { decide, type Policy, scopedPolicy } from "./policy";
import { redactorFor, redactResult } from "./redact";
import { ChunkRedactor } from "./redact/chunks";
import { Remembered } from "./remembered";
import type { Runner, RunOutcome, RunRequest } from "./runner";
import { type SlotRequest, Slots } from "./slots";

export interface ResultSink {
  /** Delivers a result, retrying until `deadlineMs`; resolves false if it never got through. */
  post(result: CommandResult, deadlineMs: number): Promise<boolean>;
}

/** Where a streamed command's output goes as it arrives; dropped when no live channel takes it. */
export interface ChunkSink {
  chunk(chunk: OutputChunk): void;
  /** Resolves once the chunks handed over are on their way ahead of any result posted after. */
  chunksSent(): Promise<void>;
}

export interface AgentOptions {
  clusterId: string;
  version: string;
  policy: Policy;
  runner: Runner;
  /** The cluster gate kubectl goes through; absent for runners that reach no cluster (echo). */
  gate?: Pick<ClusterGate, "open">;
  /** Answers common reads in process, through the gate; absent when the policy turns them off. */
  native?: NativeReads;
  sink: ResultSink;
  /** Output of commands a caller streams, as it arrives; absent: none is sent. */
  chunks?: ChunkSink;
  log: ExecutorLog;
}

/** Ids remembered for de-duplication: a redelivered command is answered, not run again. */
const REMEMBERED = 2_048;
/**
 * Commands handled at once. Native reads hold no kubectl process, and commands waiting for one wait
 * in the slots, which share them fairly among principals (slots.ts), not in arrival order here.
 */
const IN_FLIGHT = 64;
/** Keep this much of the deadline for posting the result back. */
const POST_MARGIN_MS = 250;
/** The window of a following command from a server that names none (older than windows). */
const DEFAULT_FOLLOW_SECONDS = 30;

type Seen = { state: "queued" | "running" } | { state: "done"; result: CommandResult; deadlineMs: number };
/** Shared: a queued or running command's entry carries nothing of its own. */
const QUEUED: Seen = { state: "queued" };
const RUNNING: Seen = { state: "running" };

export class Agent {
  private readonly seen = new Remembered<Seen>(REMEMBERED);
  private readonly waiting: Command[] = [];
  private readonly inflight = new Set<Promise<void>>();
  /** Results being handed over; they hold no concurrency slot, since kubectl is done with them. */
  private readonly posting = new Set<Promise<void>>();
  private accepting = true;
  /**
   * Running streamed commands' cancel switches, by command id: a streaming caller went away. Only a
   * command a caller streams can be cancelled (the server sends `cancel` for no other), so no other
   * command pays for a switch.
   */
  private readonly cancels = new Map<string, AbortController>();

  /** kubectl processes: the policy's maxConcurrency, shared fairly among principals. */
  private readonly processes: Slots;
  /** Commands being handled at once; more than processes, which they wait for in the slots. */
  private readonly inFlightLimit: number;

  constructor(private readonly options: AgentOptions) {
    this.processes = new Slots(options.policy.maxConcurrency);
    this.inFlightLimit = Math.max(IN_FLIGHT, options.policy.maxConcurrency);
  }

  get running(): number {
    return this.inflight.size;
  }

  /** Takes a command from any transport. Duplicates are answered from memory or ignored while running. */
  accept(command: Command): void {
    if (!this.accepting) return;
    const seen = this.seen.get(command.command_id);
    if (seen?.state === "done") {
      void this.options.sink.post(seen.result, seen.deadlineMs);
      return;
    }
    if (seen) return;
    this.seen.remember(command.command_id, QUEUED);
    this.waiting.push(command);
    this.pump();
  }

  /** Stops a running command whose streaming caller went away; unknown or finished ids are ignored. */
  cancel(commandId: string): void {
    this.cancels.get(commandId)?.abort();
  }

  /** Stops taking commands and drops those not started (the server requeues them on disconnect). */
  stopAccepting(): void {
    this.accepting = false;
    for (const command of this.waiting.splice(0)) this.seen.forget(command.command_id);
  }

  /** Resolves when every started command has finished and its result was handed over, or at `ms`. */
  async drain(ms: number): Promise<boolean> {
    const all = Promise.all([...this.inflight]).then(() => Promise.all([...this.posting]).then(() => true));
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref());
    return Promise.race([all, timeout]);
  }

  private pump(): void {
    while (this.inflight.size < this.inFlightLimit && this.waiting.length > 0) {
      const command = this.waiting.shift() as Command;
      const task = this.handle(command)
        .catch((error: unknown) => this.failed(command, error))
        .finally(() => {
          this.inflight.delete(task);
          this.pump();
        });
      this.inflight.add(task);
    }
  }

  /**
   * Whatever goes wrong inside the executor while handling a command ends that command only: it is
   * logged and answered as a failure, so the caller hears back and the process lives on.
   */
  private async failed(command: Command, error: unknown): Promise<void> {
    const { log, sink } = this.options;
    log("error", "command failed inside the executor", {
      command_id: command.command_id,
      error: error instanceof Error ? error.message : String(error),
    });
    const result = empty(this.baseOf(command), "failure", "the executor failed while handling the command");
    this.seen.remember(command.command_id, { state: "done", result, deadlineMs: command.deadline_ms });
    try {
      await sink.post(result, command.deadline_ms);
    } catch {
      // The sink may be what failed; the log line above is all that is left to say.
    }
  }

  /** What every result of `command` says about where it came from. */
  private baseOf(command: Command): ResultBase {
    return {
      command_id: command.command_id,
      cluster_id: this.options.clusterId,
      correlation_id: command.correlation_id,
      service_identity: command.service_identity,
      executor_version: this.options.version,
    };
  }

  private async handle(command: Command): Promise<void> {
    const { log, sink } = this.options;
    // A scoped principal's command runs under the intersection of its scope and the cluster's policy.
    const policy = scopedPolicy(this.options.policy, command.scope);
    // Keeping its place from when it was queued; a finished command's result is remembered as the newest.
    this.seen.update(command.command_id, RUNNING);
    const who = {
      command_id: command.command_id,
      identity: command.service_identity,
      requested_by: command.requested_by,
      correlation_id: command.correlation_id,
    };
    const base = this.baseOf(command);
    let result: CommandResult;
    /** The line that says how a command that ran ended: written once its result is on its way. */
    let finished: { level: "info" | "warn"; fields: Record<string, unknown> } | undefined;
    const remainingMs = command.deadline_ms - Date.now() - POST_MARGIN_MS;
    const decision = decide(policy, {
      command_type: command.command_type,
      args: command.args,
      namespace: command.namespace,
    });
    if (remainingMs <= 0) {
      log("warn", "command skipped: deadline passed before it could start", who);
      result = empty(base, "timeout", "the command's deadline passed before it could start");
    } else if (!decision.allowed) {
      log("warn", "command denied", {
        ...who,
        argv: loggedArgv([command.command_type, ...command.args]),
        reason: decision.reason,
      });
      result = { ...empty(base, "denied", decision.reason), denial_code: decision.code };
    } else {
      // One info line per command, "command finished", says who ran what and how it ended: a line
      // when kubectl starts too was half of the executor's log work per command. That one is
      // debug, for an operator watching commands that run long (KUBENTLY_LOG_LEVEL=debug).
      const argv = loggedArgv(decision.argv);
      const started = () => log("debug", "command started", { ...who, argv });
      const timeoutMs = Math.min(
        command.timeout_seconds * 1000,
        policy.maxTimeoutSeconds * 1000,
        remainingMs,
      );
      const ran = await this.run(command, policy, decision.argv, timeoutMs, base, started);
      result = ran.result;
      // Fields left undefined are left out of the line (JSON) without a copy of the object for each.
      finished = {
        level: result.status === "success" || result.status === "failure" ? "info" : "warn",
        fields: {
          command_id: who.command_id,
          identity: who.identity,
          requested_by: who.requested_by,
          correlation_id: who.correlation_id,
          argv,
          status: result.status,
          exit_code: result.exit_code,
          duration_ms: result.execution_time_ms,
          output_bytes: result.stdout.length + result.stderr.length,
          truncated: result.truncated,
          native: ran.native,
          api_requests: result.api_requests,
          refused_request: result.refused_request,
        },
      };
    }
    this.seen.remember(command.command_id, { state: "done", result, deadlineMs: command.deadline_ms });
    // A streaming caller's chunks reach it before the result that ends its stream.
    const before = command.stream_output ? this.options.chunks?.chunksSent() : undefined;
    const post = before
      ? before.then(() => sink.post(result, command.deadline_ms))
      : sink.post(result, command.deadline_ms);
    // After the hand-over: the result's send is then ahead of the log's write in the next turn.
    if (finished) log(finished.level, "command finished", finished.fields);
    const tracked: Promise<void> = post
      .then((delivered) => {
        if (!delivered) log("warn", "result could not be delivered before the command's deadline", who);
      })
      .finally(() => this.posting.delete(tracked));
    this.posting.add(tracked);
  }

  /**
   * Runs approved argv. With a cluster gate, the command gets a credential of its own: native reads
   * answer it in process if they can, else kubectl runs and reaches the cluster through the gate
   * alone. Any request the gate refused makes the command `denied` (API_REQUEST_DENIED), with what
   * was printed kept. `onKubectl` is told just before kubectl is started.
   */
  private async run(
    command: Command,
    policy: Policy,
    argv: string[],
    timeoutMs: number,
    base: ResultBase,
    onKubectl: () => void,
  ): Promise<{ result: CommandResult; native: boolean }> {
    const { gate, native } = this.options;
    const caller = {
      commandId: command.command_id,
      serviceIdentity: command.service_identity,
      correlationId: command.correlation_id,
    };
    const grant = gate?.open(caller, policy);
    let outcome: RunOutcome;
    let report: GateReport | undefined;
    let answeredNatively = false;
    const following = isFollowing(argv);
    // The cluster's policy may shorten the window the server gave; it never lengthens it.
    const followSeconds = Math.min(command.follow_seconds ?? DEFAULT_FOLLOW_SECONDS, policy.maxFollowSeconds);
    const request: RunRequest = {
      argv,
      timeoutMs,
      maxOutputBytes: policy.maxOutputBytes,
      keep: keptFor(command.command_type),
      ...(following
        ? {
            follow: {
              windowMs: followSeconds * 1000,
              ...(command.follow_lines !== undefined ? { maxLines: command.follow_lines } : {}),
            },
          }
        : {}),
    };
    const cancel = command.stream_output ? new AbortController() : undefined;
    if (cancel) this.cancels.set(command.command_id, cancel);
    const streamed = this.streamed(command, policy);
    try {
      const streaming = {
        ...(cancel ? { signal: cancel.signal } : {}),
        ...(streamed ? { onOutput: streamed.push } : {}),
      };
      const answered =
        grant && native ? await runNatively(native, { ...request, ...streaming }, grant.fetch) : undefined;
      answeredNatively = answered !== undefined;
      if (!answered) onKubectl();
      outcome =
        answered ??
        (await this.runProcess(
          {
            ...request,
            // Only now, when kubectl runs, is the grant's kubeconfig written.
            env: grant ? { KUBECONFIG: grant.kubeconfigPath() } : {},
            ...streaming,
          },
          command.deadline_ms,
          slotRequest(command, following),
        ));
    } finally {
      if (cancel) this.cancels.delete(command.command_id);
      streamed?.finish();
      report = grant?.close();
    }
    const refused = report?.first_refusal;
    const status: CommandResult["status"] = outcome.timedOut
      ? "timeout"
      : refused
        ? "denied"
        : outcome.exitCode === 0
          ? "success"
          : "failure";
    const result: CommandResult = {
      ...base,
      status,
      exit_code: outcome.exitCode,
      stdout: outcome.stdout,
      stderr: outcome.spawnError ?? outcome.stderr,
      truncated: outcome.truncated,
      ...(outcome.truncation ? { truncation: outcome.truncation } : {}),
      execution_time_ms: Math.round(outcome.durationMs),
      ...(following && !outcome.timedOut
        ? { follow: { ended_by: outcome.stoppedBy ?? "exit", seconds: followSeconds } }
        : {}),
      ...(report
        ? { api_requests: { made: report.requests, refused: report.refused, bytes_read: report.bytes_read } }
        : {}),
      ...(refused
        ? {
            refused_request: refused,
            denial_code: API_REQUEST_DENIED,
            reason: `The cluster gate refused ${refused.method} ${refused.path} (${refused.rule}).`,
          }
        : {}),
      completed_at: new Date().toISOString(),
    };
    return { result: redactResult(policy, result), native: answeredNatively };
  }

  /**
   * For a command a caller streams: a sink for each stream's bytes as they arrive, passing them on
   * redacted, in whole lines (ChunkRedactor), in chunks of at most MAX_CHUNK_CHARS.
   */
  private streamed(command: Command, policy: Policy) {
    const { chunks } = this.options;
    if (!command.stream_output || chunks === undefined) return undefined;
    const redactor = redactorFor(policy);
    const streams = (["stdout", "stderr"] as const).map((stream) => {
      const decoder = new TextDecoder();
      // Past the output cap a stream is no longer passed on: the result says how it was cut.
      let left = policy.maxOutputBytes;
      const lines = new ChunkRedactor(redactor, (text) => {
        for (let at = 0; at < text.length; at += MAX_CHUNK_CHARS) {
          chunks.chunk({
            command_id: command.command_id,
            stream,
            text: text.slice(at, at + MAX_CHUNK_CHARS),
          });
        }
      });
      return {
        push(bytes: Uint8Array) {
          if (left <= 0) return;
          const kept = bytes.subarray(0, left);
          left -= kept.byteLength;
          lines.push(decoder.decode(kept, { stream: left > 0 }));
        },
        decoder,
        lines,
      };
    });
    return {
      push: (stream: "stdout" | "stderr", bytes: Uint8Array) =>
        streams[stream === "stdout" ? 0 : 1]?.push(bytes),
      finish: () => {
        for (const { decoder, lines } of streams) {
          lines.push(decoder.decode());
          lines.finish();
        }
      },
    };
  }

  /** Runs kubectl once a process slot is free, within what is left of the command's deadline. */
  private async runProcess(request: RunRequest, deadlineMs: number, slot: SlotRequest): Promise<RunOutcome> {
    const release = await this.processes.acquire(slot);
    try {
      const leftMs = deadlineMs - Date.now() - POST_MARGIN_MS;
      if (leftMs <= 0) {
        return { exitCode: null, stdout: "", stderr: "", truncated: false, timedOut: true, durationMs: 0 };
      }
      return await this.options.runner({ ...request, timeoutMs: Math.min(request.timeoutMs, leftMs) });
    } finally {
      release();
    }
  }
}

/** Whose slot a command takes, its weight, and whether it holds the slot for its whole window. */
function slotRequest(command: Command, following: boolean): SlotRequest {
  return {
    principal: command.scope?.principal ?? command.service_identity,
    share: command.scope?.share ?? 1,
    following,
  };
}

type ResultBase = Pick<
  CommandResult,
  "command_id" | "cluster_id" | "correlation_id" | "service_identity" | "executor_version"
>;

function empty(base: ResultBase, status: CommandResult["status"], reason: string): CommandResult {
  return {
    ...base,
    status,
    exit_code: null,
    stdout: "",
    stderr: "",
    truncated: false,
    execution_time_ms: 0,
    reason,
    completed_at: new Date().toISOString(),
  };
}
