/**
 * How client commands reach a server. Each setting is taken from the first of: its flag (--url,
 * --api-key, --admin-key), its environment variable (KUBENTLY_URL, KUBENTLY_API_KEY,
 * KUBENTLY_ADMIN_KEY; the environment keeps keys out of process listings), and the context (--context,
 * else the config file's current context; see config-file.ts). The file is read only when a flag or
 * variable leaves something to it. --correlation-id, --requested-by, --json. Errors print as
 * `kubently: CODE: message` with a documented exit code.
 */
import { type Command, Option } from "commander";
import type { FleetListener, KubentlyAdminApi, KubentlyApi } from "../client/api";
import { httpApi } from "../client/http";
import { ApiError } from "../models";
import { ConfigFileError, findContext, loadConfig, readKey } from "./config-file";
import { machineOutput, type OutputFlags } from "./output";
import { showWaiting } from "./waiting";

export interface ConnectionFlags extends OutputFlags {
  url?: string;
  apiKey?: string;
  adminKey?: string;
  context?: string;
  correlationId?: string;
  requestedBy?: string;
}

/** Exit codes beyond kubectl's own: after `timeout(1)` and the shell's "cannot execute". */
export const EXIT = { apiError: 1, usage: 2, timeout: 124, denied: 126 } as const;

const DEFAULT_URL = "http://127.0.0.1:8080";

/** Said in every client command's --help. */
export const PRECEDENCE_HELP =
  "\nEach connection setting comes from its flag, else its environment variable, else the context\n" +
  "(--context, else the config file's current context: kubently config --help).";

export function withConnection(command: Command): Command {
  return command
    .addOption(
      new Option("--url <url>", `Kubently API URL [env KUBENTLY_URL, context, default ${DEFAULT_URL}]`),
    )
    .addOption(new Option("--api-key <key>", "client API key [env KUBENTLY_API_KEY, context]"))
    .addOption(new Option("--context <name>", "a context of the config file, instead of the current one"))
    .addOption(new Option("--correlation-id <id>", "trace id sent as X-Correlation-ID"))
    .addOption(
      new Option("--requested-by <who>", "who within your service is asking, sent as X-Service-Identity"),
    )
    .addOption(new Option("--json", "machine-readable JSON output"))
    .addHelpText("after", PRECEDENCE_HELP);
}

export function withAdminConnection(command: Command): Command {
  return withConnection(command).addOption(
    new Option("--admin-key <key>", "admin API key [env KUBENTLY_ADMIN_KEY, context]"),
  );
}

/** Which key a command sends: a client key, an admin key, or none (health and version need none). */
export type Role = "client" | "admin" | "none";

/** The server's URL and the key, each from its flag, else its variable, else the context. */
export function resolveConnection(
  flags: ConnectionFlags,
  role: Role,
  env: NodeJS.ProcessEnv = process.env,
): { url: string; apiKey?: string } {
  let url = flags.url ?? env.KUBENTLY_URL;
  let apiKey =
    role === "admin"
      ? (flags.adminKey ?? env.KUBENTLY_ADMIN_KEY)
      : role === "client"
        ? (flags.apiKey ?? env.KUBENTLY_API_KEY)
        : undefined;
  const keyLeft = role !== "none" && apiKey === undefined;
  if (flags.context !== undefined || url === undefined || keyLeft) {
    const found = findContext(loadConfig(), flags.context);
    if (found) {
      url ??= found.context.url;
      const source = role === "none" ? undefined : found.context[role === "admin" ? "admin-key" : "api-key"];
      if (keyLeft && source) apiKey = readKey(source, env, found.name);
    }
  }
  return { url: url ?? DEFAULT_URL, apiKey };
}

/**
 * The API at the resolved URL with the resolved key. While one of its calls waits, a terminal is told
 * what it waits for (waiting.ts); the line is gone before the call returns, so output never lands on it.
 */
export function connect(
  flags: ConnectionFlags,
  role: Role = "client",
  waitingFor: string | null = "the Kubently server",
): KubentlyApi & KubentlyAdminApi {
  const api = httpApi({
    ...resolveConnection(flags, role),
    correlationId: flags.correlationId,
    requestedBy: flags.requestedBy,
  });
  if (waitingFor === null || machineOutput(flags) !== null) return api;
  const told = Object.entries(api).map(([name, call]) => [
    name,
    async (...args: unknown[]) => {
      const waiting = showWaiting(waitingFor);
      // A streamed answer's first output ends the wait: the line gives way to what it prints.
      const [request, onChunk] = args;
      if (name === "executeStreaming" && typeof onChunk === "function") {
        args = [
          request,
          (...chunk: unknown[]) => {
            waiting.stop();
            onChunk(...chunk);
          },
        ];
      } else if (name === "executeFleetStreaming" && onChunk) {
        const on = onChunk as FleetListener;
        args = [
          request,
          {
            ...on,
            chunk: (chunk) => {
              waiting.stop();
              on.chunk(chunk);
            },
          } satisfies FleetListener,
        ];
      }
      try {
        return await (call as (...args: unknown[]) => Promise<unknown>)(...args);
      } finally {
        waiting.stop();
      }
    },
  ]);
  return Object.fromEntries(told) as KubentlyApi & KubentlyAdminApi;
}

/**
 * Runs a command body; an error ends the process with its message in one line and its exit code.
 * An error that is not an ApiError is a bug or an answer of an unexpected shape: still one line,
 * never a stack trace. A config file that cannot be used is exit 2, as a usage error.
 */
export async function run(flags: ConnectionFlags, body: () => Promise<number | undefined>): Promise<never> {
  let code: number;
  try {
    code = (await body()) ?? 0;
  } catch (thrown) {
    if (thrown instanceof ConfigFileError) {
      process.stderr.write(`kubently: ${thrown.message}\n`);
      process.exit(EXIT.usage);
    }
    const error =
      thrown instanceof ApiError
        ? thrown
        : new ApiError(500, "UNEXPECTED", (thrown as Error)?.message ?? String(thrown));
    if (machineOutput(flags) === "json") {
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
