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
});

const EXECUTE_OUTPUT = z.object({
  command_id: z.string(),
  cluster_id: z.string(),
  status: z.enum(["success", "failure"]),
  exit_code: z.number().int().nullable(),
  stdout: z.string(),
  stderr: z.string(),
  truncated: z.boolean(),
  execution_time_ms: z.number(),
});

const END_SESSION_INPUT = z.object({ session_id: SESSION_ID });

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

export function createMcpServer(api: KubentlyApi): McpServer {
  const server = new McpServer(
    { name: "kubently", version: VERSION },
    { instructions: INSTRUCTIONS, jsonSchemaValidator: JSON_SCHEMA_VALIDATOR },
  );
  registerPolicyResource(server, api);

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
        const clusters = await api.listClusters();
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
        const session = await api.createSession({ cluster_id, correlation_id, ttl_seconds });
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
        "read the end with tail (or a negative offset), or keep only matching lines with grep. logs without " +
        "--tail gets a default tail here: pass --tail=N or --since=DURATION to choose.",
      inputSchema: EXECUTE_INPUT,
      outputSchema: EXECUTE_OUTPUT,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ session_id, cluster_id, command, namespace, timeout }) =>
      attempt(async () => {
        const { command_type, args } = splitCommandLine(command);
        const result = await api.execute({
          session_id,
          cluster_id,
          command_type,
          args,
          namespace,
          timeout_seconds: timeout,
        });
        const output = [
          result.stdout,
          result.stderr ? `[stderr]\n${result.stderr}` : "",
          `[exit code ${result.exit_code}${result.truncated ? ", output truncated" : ""}]`,
        ].filter(Boolean);
        return {
          content: text(output.join("\n")),
          structuredContent: {
            command_id: result.command_id,
            cluster_id: result.cluster_id,
            status: result.status === "success" ? "success" : "failure",
            exit_code: result.exit_code,
            stdout: result.stdout,
            stderr: result.stderr,
            truncated: result.truncated,
            execution_time_ms: result.execution_time_ms,
          },
        };
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
        await api.endSession(session_id);
        return { content: text(`session ${session_id} ended`) };
      }),
  );

  return server;
}
