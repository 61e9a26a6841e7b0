/**
 * Kubently's MCP tools (the architecture guide's create_debug_session and execute_kubectl, plus
 * list_clusters and end_debug_session), the per-cluster policy resource and the server's
 * instructions, written once against KubentlyApi so the same server serves the /mcp endpoint
 * (in-process) and `kubently mcp` over stdio (HTTP to a server).
 *
 * Results carry what an agent needs to decide its next step: status, exit code, stdout, stderr and
 * truncation. A denial, a timeout or any refusal is a tool error (isError) with the reason.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { z } from "zod";
import type { KubentlyApi } from "../../client/api";
import { CommandLineError, splitCommandLine } from "../../client/command-line";
import { ApiError } from "../../http/errors";
import {
  type CommandResult,
  type FleetAnswer,
  FOLLOW_SECONDS_CEILING,
  MAX_FLEET_CLUSTERS,
  MAX_GREP_LENGTH,
  MAX_OUTPUT_PAGE_LINES,
} from "../../models";
import { VERSION } from "../../version";
import { INSTRUCTIONS, POLICY_RESOURCE_TEMPLATE } from "./instructions";
import { registerPolicyResource } from "./policy-resource";

const CLUSTER_ID = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/)
  .describe("Cluster id, as listed by list_clusters");
const SESSION_ID = z.string().uuid().describe("A session id from create_debug_session");

// /mcp builds a server per request (it is stateless), so everything that does not depend on the
// caller is built once here: the tools' schemas as ready objects (the SDK would otherwise wrap a raw
// shape in z.object per request) and the JSON Schema validator (an Ajv instance per server
// otherwise). Together they were ~0.7 ms of each /mcp request.
const JSON_SCHEMA_VALIDATOR = new AjvJsonSchemaValidator();

const CREATE_SESSION_INPUT = z.object({
  cluster_id: CLUSTER_ID,
  correlation_id: z.string().max(128).optional().describe("Your trace id, recorded on every command"),
  ttl_seconds: z
    .number()
    .int()
    .min(1)
    .max(86_400)
    .optional()
    .describe("Session lifetime in seconds, default 300; each command in it extends it"),
});

const EXECUTE_INPUT = z.object({
  session_id: SESSION_ID.optional(),
  cluster_id: CLUSTER_ID.optional().describe("Needed when no session_id is given"),
  command: z
    .string()
    .min(1)
    .max(8_192)
    .describe("The kubectl command line, with or without a leading 'kubectl'"),
  namespace: z.string().optional().describe("Adds -n NAMESPACE"),
  timeout: z
    .number()
    .int()
    .min(1)
    .max(300)
    .optional()
    .describe(
      "Seconds to wait for the result, default 30; the command runs at most the cluster's max_timeout_seconds",
    ),
  follow_seconds: z
    .number()
    .int()
    .min(1)
    .max(FOLLOW_SECONDS_CEILING)
    .optional()
    .describe(
      "For logs -f, get -w, events -w, rollout status: how long to watch before it ends with what arrived " +
        "(server default 30, at most its maximum and the cluster's max_follow_seconds)",
    ),
});

const STREAM_SUMMARY = z.object({ bytes: z.number().int(), lines: z.number().int(), preview: z.boolean() });

const OUTPUT_HANDLE = z
  .object({ handle: z.string(), url: z.string(), stdout: STREAM_SUMMARY, stderr: STREAM_SUMMARY })
  .optional()
  .describe("Present when a stream was too large to return whole: read it with read_output");

const EXECUTE_OUTPUT = z.object({
  command_id: z.string(),
  cluster_id: z.string(),
  status: z.enum(["success", "failure"]),
  exit_code: z.number().int().nullable(),
  stdout: z.string(),
  stderr: z.string(),
  truncated: z.boolean(),
  execution_time_ms: z.number(),
  output: OUTPUT_HANDLE,
  follow: z
    .object({ ended_by: z.string(), seconds: z.number().int() })
    .optional()
    .describe("For a following command: what ended it (window, lines, bytes, exit, cancelled)"),
});

const READ_OUTPUT_INPUT = z.object({
  command_id: z.string().uuid().describe("The output handle: the command_id of an execute_kubectl result"),
  stream: z.enum(["stdout", "stderr"]).optional().describe("Default stdout"),
  offset: z
    .number()
    .int()
    .min(-1_000_000_000)
    .max(1_000_000_000)
    .optional()
    .describe("First line, from 0; negative counts from the end. With grep: an index into the matches"),
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_OUTPUT_PAGE_LINES)
    .optional()
    .describe("Lines per page, default 200"),
  tail: z
    .number()
    .int()
    .min(1)
    .max(MAX_OUTPUT_PAGE_LINES)
    .optional()
    .describe("The last N lines (or matches)"),
  grep: z
    .string()
    .min(1)
    .max(MAX_GREP_LENGTH)
    .optional()
    .describe("Only lines matching this RE2 regular expression, e.g. 'error|panic'; (?i) ignores case"),
});

const FLEET_INPUT = z.object({
  clusters: z
    .array(CLUSTER_ID)
    .min(1)
    .max(MAX_FLEET_CLUSTERS)
    .optional()
    .describe("The clusters by id; or give selector"),
  selector: z
    .object({
      labels: z.record(z.string(), z.string()).optional().describe("Clusters carrying all of these labels"),
      name: z.string().optional().describe("Clusters whose id matches this glob, e.g. 'prod-*'"),
    })
    .optional()
    .describe("Which clusters, by labels and/or an id glob (list_clusters shows labels)"),
  command: EXECUTE_INPUT.shape.command,
  namespace: EXECUTE_INPUT.shape.namespace,
  timeout: EXECUTE_INPUT.shape.timeout,
});

const END_SESSION_INPUT = z.object({ session_id: SESSION_ID });

/** execute_kubectl_fleet's text: each cluster's output under a header with its outcome, then a count. */
function fleetText(answer: FleetAnswer): string {
  const blocks = answer.clusters.map(({ cluster_id, outcome, result, error }) => {
    const head = `=== ${cluster_id}: ${outcome}${result ? `, exit code ${result.exit_code}` : ""} ===`;
    if (!result) return `${head}\n${error?.code}: ${error?.message}`;
    return [head, result.stdout, result.stderr ? `[stderr]\n${result.stderr}` : ""]
      .filter(Boolean)
      .join("\n");
  });
  const counts = Object.entries(answer.summary)
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${count} ${outcome}`);
  return [...blocks, `[${answer.clusters.length} clusters: ${counts.join(", ")}]`].join("\n");
}

/** Lines a `logs` command without --tail gets through MCP, unless the server says otherwise. */
export const DEFAULT_MCP_LOGS_TAIL = 200;

export interface McpOptions {
  /** --tail given to `logs` commands that set none (0: none added). */
  logsTail: number;
}

/** `logs` without --tail (or --since, which bounds it already) gets `tail` lines; anything else as asked. */
export function withDefaultTail(
  command_type: string,
  args: string[],
  tail: number,
): { args: string[]; added: boolean } {
  const bounded = args.some((arg) => /^--(tail|since|since-time)(=|$)/.test(arg));
  if (command_type !== "logs" || tail === 0 || bounded || args.includes("--")) return { args, added: false };
  return { args: [...args, `--tail=${tail}`], added: true };
}

/** What execute_kubectl says of a result: its output, and how to read more when it came as a handle. */
function resultText(result: CommandResult, tailAdded: number | null): string {
  const { output } = result;
  const notes: string[] = [];
  if (tailAdded !== null) {
    notes.push(
      `[logs without --tail: showing the last ${tailAdded} lines; add --tail=N or --since to choose]`,
    );
  }
  if (result.follow) {
    notes.push(`[followed for up to ${result.follow.seconds} s; ended by: ${result.follow.ended_by}]`);
  }
  if (output) {
    const sizes = (["stdout", "stderr"] as const)
      .filter((stream) => output[stream].preview)
      .map((stream) => `${stream} ${output[stream].lines} lines, ${output[stream].bytes} bytes`);
    notes.push(
      `[output too large to return whole (${sizes.join("; ")}): first and last lines shown. Read it with ` +
        `read_output {"command_id": "${output.handle}"} and tail, offset/limit or grep]`,
    );
  }
  if (result.truncation) {
    for (const [stream, cut] of Object.entries(result.truncation)) {
      notes.push(
        `[${stream} was over the cluster's output cap: ${cut.dropped_bytes} bytes dropped, the ` +
          `${cut.kept === "tail" ? "newest lines" : "start"} kept]`,
      );
    }
  }
  return [
    result.stdout,
    result.stderr ? `[stderr]\n${result.stderr}` : "",
    `[exit code ${result.exit_code}${result.truncated ? ", output truncated" : ""}]`,
    ...notes,
  ]
    .filter(Boolean)
    .join("\n");
}

const text = (value: string): CallToolResult["content"] => [{ type: "text", text: value }];

function failure(error: unknown): CallToolResult {
  if (error instanceof ApiError) {
    const context = Object.keys(error.context).length > 0 ? `\n${JSON.stringify(error.context)}` : "";
    return { isError: true, content: text(`${error.code}: ${error.message}${context}`) };
  }
  if (error instanceof CommandLineError)
    return { isError: true, content: text(`INVALID_COMMAND: ${error.message}`) };
  throw error;
}

async function attempt(work: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await work();
  } catch (error) {
    return failure(error);
  }
}

/**
 * `apiOf` gives the KubentlyApi acting for the request being served: `kubently mcp` has one, while
 * /mcp hands a pooled server to one request at a time (server-pool.ts), each its own caller's.
 */
export function createMcpServer(
  apiOf: () => KubentlyApi,
  { logsTail }: McpOptions = { logsTail: DEFAULT_MCP_LOGS_TAIL },
): McpServer {
  const server = new McpServer(
    { name: "kubently", version: VERSION },
    { instructions: INSTRUCTIONS, jsonSchemaValidator: JSON_SCHEMA_VALIDATOR },
  );
  registerPolicyResource(server, apiOf);

  server.registerTool(
    "list_clusters",
    {
      title: "List clusters",
      description:
        "Clusters registered with Kubently: whether their executor is connected, when it was last seen, and " +
        "the policy it reported (mode, allowed_namespaces, denied_namespaces, restricted_resources, " +
        "max_timeout_seconds, max_output_bytes, native_reads, redaction_rules, impersonation; null for an " +
        `executor too old to report it). One cluster's policy alone: the resource ${POLICY_RESOURCE_TEMPLATE}.`,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    () =>
      attempt(async () => {
        const clusters = await apiOf().listClusters();
        return { content: text(JSON.stringify(clusters, null, 2)), structuredContent: { clusters } };
      }),
  );

  server.registerTool(
    "create_debug_session",
    {
      title: "Start a debugging session",
      description:
        "Optional: execute_kubectl works with a cluster_id alone. Opens a debugging session on a cluster; " +
        "commands run with its session_id go to that cluster, share its correlation id in the audit trail and " +
        "keep the session alive.",
      inputSchema: CREATE_SESSION_INPUT,
      annotations: { readOnlyHint: false, idempotentHint: false, openWorldHint: false },
    },
    ({ cluster_id, correlation_id, ttl_seconds }) =>
      attempt(async () => {
        const session = await apiOf().createSession({ cluster_id, correlation_id, ttl_seconds });
        return {
          content: text(
            `session ${session.session_id} on cluster ${session.cluster_id}, until ${session.expires_at}`,
          ),
          structuredContent: { ...session },
        };
      }),
  );

  server.registerTool(
    "execute_kubectl",
    {
      title: "Run a read-only kubectl command",
      description:
        "Runs one kubectl command on a cluster, e.g. 'get pods -n shop' or 'logs deploy/api --tail=50'. " +
        "Quotes work as in a shell; pipes, redirections and substitutions do not (there is no shell). " +
        "The cluster's policy decides what may run (list_clusters shows it): by default read-only verbs, and " +
        "no secrets. A denial is a tool error with COMMAND_DENIED and a denial_code, and final for that " +
        "command: sending it again is refused again. " +
        "Output limits: stdout and stderr are each capped at the cluster's max_output_bytes (truncated says " +
        "so). A result over about 64 KiB comes back as a preview (first and last lines), its total bytes and " +
        "lines, and an output handle: page the rest with read_output {command_id, stream, offset, limit}, " +
        "read the end with tail (or a negative offset), or keep only matching lines with grep. " +
        `logs without --tail or --since gets --tail=${logsTail || "(none)"} here: pass --tail=N or --since=DURATION to choose. ` +
        "logs -f, get -w and rollout status run for follow_seconds (the server's window, 30 s by default) and end " +
        "successfully with what arrived. With a progress token the output also comes as progress " +
        "notifications while it runs.",
      inputSchema: EXECUTE_INPUT,
      outputSchema: EXECUTE_OUTPUT,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ session_id, cluster_id, command, namespace, timeout, follow_seconds }, extra) =>
      attempt(async () => {
        const line = splitCommandLine(command);
        const { args, added } = withDefaultTail(line.command_type, line.args, logsTail);
        const request = {
          session_id,
          cluster_id,
          command_type: line.command_type,
          args,
          namespace,
          timeout_seconds: timeout,
          follow_seconds,
        };
        const api = apiOf();
        // A client that asked for progress hears the output as it arrives, one notification a chunk.
        const token = extra._meta?.progressToken;
        let progress = 0;
        const result =
          token !== undefined && api.executeStreaming
            ? await api.executeStreaming(request, ({ text }) => {
                progress += 1;
                void extra
                  .sendNotification({
                    method: "notifications/progress",
                    params: { progressToken: token, progress, message: text },
                  })
                  .catch(() => {});
              })
            : await api.execute(request);
        return {
          content: text(resultText(result, added ? logsTail : null)),
          structuredContent: {
            command_id: result.command_id,
            cluster_id: result.cluster_id,
            status: result.status === "success" ? "success" : "failure",
            exit_code: result.exit_code,
            stdout: result.stdout,
            stderr: result.stderr,
            truncated: result.truncated,
            execution_time_ms: result.execution_time_ms,
            ...(result.output ? { output: result.output } : {}),
            ...(result.follow ? { follow: result.follow } : {}),
          },
        };
      }),
  );

  server.registerTool(
    "execute_kubectl_fleet",
    {
      title: "Run a read-only kubectl command on many clusters",
      description:
        "Runs one kubectl command on every cluster named in clusters, or matched by selector (labels and/or an " +
        "id glob such as 'prod-*'), at once, and answers per cluster: success or failure with its output, " +
        "denied, offline (no executor connected; nothing queued) or timeout. One cluster never fails the " +
        "call. Same command syntax and policy as execute_kubectl.",
      inputSchema: FLEET_INPUT,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ clusters, selector, command, namespace, timeout }) =>
      attempt(async () => {
        const { command_type, args } = splitCommandLine(command);
        const answer = await apiOf().executeFleet({
          clusters,
          selector,
          command_type,
          args,
          namespace,
          timeout_seconds: timeout,
        });
        return { content: text(fleetText(answer)), structuredContent: { ...answer } };
      }),
  );

  server.registerTool(
    "read_output",
    {
      title: "Read a command's whole output",
      description:
        "Pages or searches the whole output of a command you ran with execute_kubectl, by its command_id " +
        "(the output handle of a large result; any result's id works). Lines are numbered from 1 as in the " +
        "whole stream. Use tail for the end, offset/limit to page (next_offset continues), grep for the " +
        "matching lines only. Kept as long as the result (5 minutes by default), for your key only.",
      inputSchema: READ_OUTPUT_INPUT,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    ({ command_id, ...query }) =>
      attempt(async () => {
        const page = await apiOf().readOutput(command_id, query);
        const header =
          `[${page.stream} of ${page.command_id}: ${page.total_lines} lines, ${page.total_bytes} bytes` +
          `${page.grep === undefined ? "" : `; ${page.matched_lines} match ${JSON.stringify(page.grep)}`}]`;
        const body = page.lines.map((line) => `${line.n}: ${line.text}`);
        const more =
          page.next_offset === null ? "[end]" : `[more: read_output with offset ${page.next_offset}]`;
        return { content: text([header, ...body, more].join("\n")), structuredContent: { ...page } };
      }),
  );

  server.registerTool(
    "end_debug_session",
    {
      title: "End a debugging session",
      description: "Ends a session before its TTL runs out.",
      inputSchema: END_SESSION_INPUT,
      annotations: { readOnlyHint: false, idempotentHint: true, openWorldHint: false },
    },
    ({ session_id }) =>
      attempt(async () => {
        await apiOf().endSession(session_id);
        return { content: text(`session ${session_id} ended`) };
      }),
  );

  return server;
}
