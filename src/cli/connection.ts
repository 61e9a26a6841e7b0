/**
 * How client commands reach a server: --url, --api-key / --admin-key (or KUBENTLY_URL,
 * KUBENTLY_API_KEY, KUBENTLY_ADMIN_KEY; the environment keeps keys out of process listings),
 * --correlation-id, --requested-by, --json. Errors print as `kubently: CODE: message` with a documented exit code.
 */
import { type Command, Option } from "commander";
import { httpApi } from "../client/http";
import { ApiError } from "../http/errors";

export interface ConnectionFlags {
  url?: string;
  apiKey?: string;
  adminKey?: string;
  correlationId?: string;
  requestedBy?: string;
  json?: boolean;
}

/** Exit codes beyond kubectl's own: after `timeout(1)` and the shell's "cannot execute". */
export const EXIT = { apiError: 1, usage: 2, timeout: 124, denied: 126 } as const;

export function withConnection(command: Command): Command {
  return command
    .addOption(
      new Option("--url <url>", "Kubently API URL [env KUBENTLY_URL, default http://127.0.0.1:8080]"),
    )
    .addOption(new Option("--api-key <key>", "client API key [env KUBENTLY_API_KEY]"))
    .addOption(new Option("--correlation-id <id>", "trace id sent as X-Correlation-ID"))
    .addOption(
      new Option("--requested-by <who>", "who within your service is asking, sent as X-Service-Identity"),
    )
    .addOption(new Option("--json", "machine-readable JSON output"));
}

export function withAdminConnection(command: Command): Command {
  return withConnection(command).addOption(
    new Option("--admin-key <key>", "admin API key [env KUBENTLY_ADMIN_KEY]"),
  );
}

export function connect(flags: ConnectionFlags, role: "client" | "admin" = "client") {
  const env = process.env;
  const apiKey =
    role === "admin" ? (flags.adminKey ?? env.KUBENTLY_ADMIN_KEY) : (flags.apiKey ?? env.KUBENTLY_API_KEY);
  return httpApi({
    url: flags.url ?? env.KUBENTLY_URL ?? "http://127.0.0.1:8080",
    apiKey,
    correlationId: flags.correlationId,
    requestedBy: flags.requestedBy,
  });
}

/** Prints `value` as JSON, or the human form. */
export function print(flags: ConnectionFlags, value: unknown, human: () => string): void {
  process.stdout.write(flags.json ? `${JSON.stringify(value, null, 2)}\n` : human());
}

/**
 * Runs a command body; an error ends the process with its message in one line and its exit code.
 * An error that is not an ApiError is a bug or an answer of an unexpected shape: still one line,
 * never a stack trace.
 */
export async function run(flags: ConnectionFlags, body: () => Promise<number | undefined>): Promise<never> {
  let code: number;
  try {
    code = (await body()) ?? 0;
  } catch (thrown) {
    const error =
      thrown instanceof ApiError
        ? thrown
        : new ApiError(500, "UNEXPECTED", (thrown as Error)?.message ?? String(thrown));
    if (flags.json) {
      process.stdout.write(
        `${JSON.stringify({ error: error.message, details: { code: error.code, context: error.context } }, null, 2)}\n`,
      );
    } else {
      process.stderr.write(`kubently: ${error.code}: ${error.message.replace(/\s*\n\s*/g, " ")}\n`);
    }
    code =
      error.code === "COMMAND_DENIED" ? EXIT.denied : error.status === 504 ? EXIT.timeout : EXIT.apiError;
  }
  process.exit(code);
}

/**
 * Writes a large output and resolves once it is written: process.stdout.write only queues, and the
 * exit after a command drops what a pipe had not taken yet (a long log was cut part way).
 */
export async function writeWhole(stream: "stdout" | "stderr", text: string): Promise<void> {
  if (text !== "") await Bun.write(stream === "stdout" ? Bun.stdout : Bun.stderr, text);
}
