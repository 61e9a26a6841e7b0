/**
 * Owns reading what the server sends, on every transport. A command reaches the agent only once it
 * matches the wire model (src/models' Command, through one compiled checker) and names this cluster;
 * anything else is logged and skipped, never thrown, so no message can end a connection or the
 * process. A command that is not valid but still names itself (a command id and this cluster's id)
 * is answered with a failed result, so its caller hears why instead of waiting out its deadline.
 *
 * Fields the model does not know are ignored, as a server of a newer version may add some.
 */
import { FormatRegistry, Type as t } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { ClusterId, Command, type CommandResult, Uuid } from "../../src/models";
import type { ResultSink } from "../agent";
import type { ExecutorLog } from "../log";

// The model's `created_at` is a date-time. Typebox knows no formats of its own and the executor
// loads no Elysia, which registers this one for the server: accept what Date reads, as Elysia does.
if (!FormatRegistry.Has("date-time")) {
  FormatRegistry.Set("date-time", (value) => !Number.isNaN(Date.parse(value)));
}

const commandCheck = TypeCompiler.Compile(Command);
/** What an answer to a command needs from it, whatever else about it is wrong. */
const namesCheck = TypeCompiler.Compile(t.Object({ command_id: Uuid, cluster_id: ClusterId }));

/** An unreadable command's deadline cannot be trusted either: its answer is tried for this long. */
const ANSWER_WINDOW_MS = 30_000;
/** Problems are quoted in log lines and results; their size must not be the server's choice. */
const MAX_PROBLEM_CHARS = 200;

export interface InboundOptions {
  clusterId: string;
  version: string;
  /** Where valid commands go: the agent. */
  accept(command: Command): void;
  /** Where answers to invalid commands go. */
  sink: ResultSink;
  log: ExecutorLog;
}

/** JSON text as a value, or null when it is not JSON (null itself comes back as `{ value: null }`). */
export function readJson(text: string): { value: unknown } | null {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return null;
  }
}

function cut(text: string): string {
  return text.length > MAX_PROBLEM_CHARS ? `${text.slice(0, MAX_PROBLEM_CHARS)}…` : text;
}

export class Inbound {
  constructor(private readonly options: InboundOptions) {}

  /** Takes one command as a transport read it (parsed from JSON, not yet checked). */
  command(value: unknown, transport: string): void {
    const { clusterId, accept, log } = this.options;
    if (commandCheck.Check(value)) {
      if (value.cluster_id === clusterId) accept(value);
      // A valid command for another cluster is the server's mistake; running it here would be ours.
      else
        log("warn", "command from the server skipped: it is for another cluster", {
          transport,
          command_id: value.command_id,
          cluster_id: value.cluster_id,
        });
      return;
    }
    const error = commandCheck.Errors(value).First();
    const problem = cut(error ? `${error.path || "the command"}: ${error.message}` : "not a command");
    const names = namesCheck.Check(value) && value.cluster_id === clusterId ? value : undefined;
    log("warn", "command from the server skipped: not a valid command", {
      transport,
      problem,
      command_id: names?.command_id,
      answered: names !== undefined,
    });
    if (names !== undefined) this.answer(names.command_id, problem);
  }

  /** Notes a message that could not be read at all (not JSON, say); it is skipped. */
  skip(transport: string, problem: string): void {
    this.options.log("warn", "message from the server skipped", { transport, problem: cut(problem) });
  }

  private answer(commandId: string, problem: string): void {
    const { clusterId, version, sink } = this.options;
    const result: CommandResult = {
      command_id: commandId,
      cluster_id: clusterId,
      status: "failure",
      exit_code: null,
      stdout: "",
      stderr: "",
      truncated: false,
      execution_time_ms: 0,
      reason: `The executor could not read this command (${problem}); nothing ran. Are the API and the executor of compatible versions?`,
      executor_version: version,
      completed_at: new Date().toISOString(),
    };
    void sink.post(result, Date.now() + ANSWER_WINDOW_MS);
  }
}
