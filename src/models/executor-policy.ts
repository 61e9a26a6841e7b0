/**
 * The policy an executor reports when it connects: what its cluster lets callers do, as agents need
 * it to plan (GET /debug/clusters, MCP list_clusters and the cluster's policy resource). A summary,
 * never the policy file: impersonation is on or off, never whom it maps callers to.
 *
 * It travels as one request header on every connection (X-Executor-Policy: base64url of the JSON),
 * which SSE, the WebSocket upgrade and each long-poll all carry alike, and which a server older than
 * the report ignores. The encoding and its bound live here so both programs use the same ones.
 */
import { type Static, Type as t } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { Value } from "@sinclair/typebox/value";

export const POLICY_HEADER = "x-executor-policy";

/**
 * The most an encoded report may be. Proxies commonly refuse a header line over 8 KiB (nginx's
 * default buffer); a policy too big for it is not reported rather than reported in part.
 */
export const MAX_POLICY_HEADER_BYTES = 8_192;

const MAX_LIST = 256;
const Name = (pattern: string, description: string) =>
  t.Array(t.String({ pattern }), { maxItems: MAX_LIST, description });
const Positive = (description: string) => t.Integer({ minimum: 1, description });

export const ExecutorPolicy = t.Object(
  {
    mode: t.Union([t.Literal("readOnly"), t.Literal("extendedReadOnly"), t.Literal("fullAccess")], {
      description:
        "Which kubectl commands may run: readOnly (get, describe, logs, events, top, auth can-i, rollout " +
        "status, …), extendedReadOnly (also exec and port-forward, whose API requests the cluster gate " +
        "still refuses), fullAccess (writes too).",
    }),
    allowed_namespaces: Name(
      "^[a-z0-9*?-]{1,63}$",
      "Namespace names or globs commands may reach (`*`: all); a cluster-wide list shows only these.",
    ),
    denied_namespaces: Name("^[a-z0-9*?-]{1,63}$", "Namespace names or globs refused even when allowed."),
    restricted_resources: Name(
      "^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$",
      "Resources nothing may read, in any form (`secrets` by default).",
    ),
    max_timeout_seconds: Positive("A command runs at most this long, whatever timeout it asks for."),
    default_timeout_seconds: Positive(
      "The policy's defaultTimeoutSeconds. A request that names no timeout is given the server's default " +
        "(30 s), which max_timeout_seconds caps.",
    ),
    max_output_bytes: Positive("The executor's cap on each of stdout and stderr, in bytes."),
    max_follow_seconds: t.Optional(
      Positive(
        "The longest window a following command (logs -f, get -w, rollout status) runs here; absent " +
          "from executors older than bounded follows.",
      ),
    ),
    native_reads: t.Boolean({
      description:
        "Common reads (get, logs, events, version, api-*) are answered in process, not by kubectl.",
    }),
    redaction_rules: Name(
      "^[\\x21-\\x7e]{1,64}$",
      "Names of the redaction rules applied to output before it leaves the cluster.",
    ),
    impersonation: t.Boolean({
      description: "Requests reach the cluster as a user mapped from the caller, not the executor's own.",
    }),
    executor_version: t.String({ minLength: 1, maxLength: 64, description: "The executor's own version." }),
  },
  {
    title: "ExecutorPolicy",
    description: "The policy the cluster's executor reported when it connected.",
    examples: [
      {
        mode: "readOnly",
        allowed_namespaces: ["shop", "payments-*"],
        denied_namespaces: ["payments-vault"],
        restricted_resources: ["secrets", "configmaps"],
        max_timeout_seconds: 120,
        default_timeout_seconds: 30,
        max_output_bytes: 1_048_576,
        max_follow_seconds: 120,
        native_reads: true,
        redaction_rules: [],
        impersonation: false,
        executor_version: "0.1.0",
      },
    ],
  },
);
export type ExecutorPolicy = Static<typeof ExecutorPolicy>;

const check = TypeCompiler.Compile(ExecutorPolicy);
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function encodePolicyReport(policy: ExecutorPolicy): string {
  return Buffer.from(JSON.stringify(policy)).toString("base64url");
}

/**
 * Reads a header value back into a report, or says why it cannot. Fields a newer executor adds are
 * dropped, not refused: the server keeps what it knows, and the executor still connects.
 */
export function decodePolicyReport(header: string): { policy: ExecutorPolicy } | { problem: string } {
  if (header.length > MAX_POLICY_HEADER_BYTES) {
    return { problem: `longer than ${MAX_POLICY_HEADER_BYTES} bytes` };
  }
  if (!BASE64URL.test(header)) return { problem: "not base64url" };
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(header, "base64url").toString("utf8"));
  } catch {
    return { problem: "not JSON" };
  }
  const [first] = check.Errors(value);
  if (first !== undefined) return { problem: `${first.path || "/"}: ${first.message}` };
  return { policy: Value.Clean(ExecutorPolicy, value) as ExecutorPolicy };
}
