/**
 * The hand-written parts of the OpenAPI document: what Kubently is, the tags, the security schemes,
 * and the error catalogue (an example body per error code) that error responses draw examples from.
 * Everything per route lives with the route, in its `detail`.
 */
import type { OpenAPIV3_1 } from "openapi-types";

export const INFO_DESCRIPTION = `Kubently lets AI agents, CLIs and people run **read-only kubectl** on many remote Kubernetes clusters
without ever holding cluster credentials. This API keeps debugging sessions, one durable command queue
per cluster, and results. Inside each cluster an executor connects **outbound** to the API, checks every
command against its policy, runs kubectl without a shell, and posts the result back.

## A command's life
1. Optionally \`POST /debug/session\` to open a debugging session on a cluster.
2. \`POST /debug/execute\` queues a kubectl command for the cluster and waits for its result.
3. The cluster's executor receives the command on its stream, lets its policy decide, runs kubectl and posts
   the result, which answers the waiting request: \`200\` with kubectl's output and exit code, \`403
   COMMAND_DENIED\` when the policy refuses, \`504\` when no executor took the command or it ran out of time.

## Authentication
- **Clients** (scheme \`apiKey\`): \`X-API-Key: <key>\` (the key alone, or the whole \`service:key\` entry), or
  \`Authorization: Bearer <key>\`. The key's service name is the caller's identity, recorded on sessions,
  commands and results.
- **Admins** (scheme \`adminKey\`): the same headers with an admin key. Only the \`/admin\` routes take admin keys,
  and client keys do not open them.
- **Executors** (schemes \`executorToken\` and \`executorCluster\`, both required): \`Authorization: Bearer <token>\`
  and \`X-Cluster-ID: <cluster_id>\`. An admin issues the token once per cluster.
- A key may belong to a scoped principal (the keys file, \`KUBENTLY_KEYS_FILE\`): its clusters, namespaces and
  mode are checked before anything is queued (\`403 SCOPE_DENIED\`), and it lists only its clusters. Sessions
  and operations exist only for the principal that created them.
- **People** (scheme \`apiKey\` too): \`Authorization: Bearer <JWT>\` from the configured OIDC issuer
  (\`KUBENTLY_OIDC_ISSUER\`), verified against its keys; the caller is \`oidc:USER\`, with the scope the keys file
  gives their groups.
- The server is configured with the keys (\`KUBENTLY_API_KEYS\`, \`KUBENTLY_API_KEYS_FILE\`, \`KUBENTLY_KEYS_FILE\`,
  \`KUBENTLY_ADMIN_KEYS\`) and keeps only their SHA-256 digests. \`GET /health\`, \`GET /ready\`, \`GET /metrics\` and
  this documentation need no key.

## Errors
Every error answers with one shape (schema \`Error\`): a message in \`error\`, a stable \`details.code\` with its
\`details.context\`, the \`request_id\` (also sent as \`X-Request-ID\`) and a \`timestamp\`.

## Rate limits
When the server sets them, each API key has a request rate (\`KUBENTLY_RATE_LIMIT\`) and each cluster a command
rate (\`KUBENTLY_CLUSTER_RATE_LIMIT\`), shared by every replica. Over it a request is refused with \`429
RATE_LIMITED\` and \`Retry-After\` (seconds), before it does anything.

## Tracing headers
\`X-Correlation-ID\` is echoed and stored with the command and its result (generated when absent).
\`X-Service-Identity\` records who, within the calling service, asked (recorded, never trusted for access).
\`X-Request-Timeout\` caps, in seconds, how long \`POST /debug/execute\` waits.`;

/** In the order the documentation lists them: a client's path first, operators' routes last. */
export const TAGS: OpenAPIV3_1.TagObject[] = [
  {
    name: "Sessions",
    description:
      "Debugging sessions: a cluster bound to a caller for a while, under one correlation id. Optional: a " +
      "command may name its cluster directly.",
  },
  { name: "Commands", description: "Run a read-only kubectl command on a cluster and wait for its result." },
  { name: "Clusters", description: "The registered clusters, and whether their executor is connected." },
  {
    name: "MCP",
    description: "A Model Context Protocol server for AI agents, with the same keys and identities.",
  },
  {
    name: "Admin",
    description: "Executor tokens: registering, rotating and revoking clusters. Admin keys only.",
  },
  {
    name: "Audit",
    description:
      "The tamper-evident audit trail: every command decision and executor-token action, hash-chained. " +
      "Admin keys only.",
  },
  {
    name: "Status",
    description:
      "What the status page (/ui) reads beyond the audit trail: clusters with their load, and the audit " +
      "chain's state. Admin keys only.",
  },
  {
    name: "Executor protocol",
    description:
      "What the executor in each cluster speaks, always outbound: receive commands over Server-Sent Events, " +
      "WebSocket or long-poll, and post results.",
  },
  {
    name: "Health",
    description: "Health, readiness and Prometheus metrics, for load balancers and operators. No key needed.",
  },
];

export const SECURITY_SCHEMES: Record<string, OpenAPIV3_1.SecuritySchemeObject> = {
  apiKey: {
    type: "apiKey",
    in: "header",
    name: "X-API-Key",
    description:
      "A client API key, alone or as its whole `service:key` entry. Also accepted as " +
      "`Authorization: Bearer <key>`, which also takes a person's JWT from the OIDC issuer when one is configured.",
  },
  adminKey: {
    type: "apiKey",
    in: "header",
    name: "X-API-Key",
    description: "An admin key (`KUBENTLY_ADMIN_KEYS`). Also accepted as `Authorization: Bearer <key>`.",
  },
  executorToken: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "kbt_…",
    description:
      "The cluster's executor token, shown once by `POST /admin/clusters/{cluster_id}/token`. Sent together " +
      "with `X-Cluster-ID` (scheme `executorCluster`).",
  },
  executorCluster: {
    type: "apiKey",
    in: "header",
    name: "X-Cluster-ID",
    description: "The id of the cluster the executor token belongs to.",
  },
};

/** Routes that declare no security of their own are client routes. */
export const DEFAULT_SECURITY: OpenAPIV3_1.SecurityRequirementObject[] = [{ apiKey: [] }];

export interface ErrorExample {
  message: string;
  context: Record<string, unknown>;
}

const COMMAND_ID = "8d2b6f0e-4c1a-4f7e-9a3b-5e6d7c8b9a01";
const SESSION_ID = "3f1c2a7e-9b7d-4c61-8f0e-2d7a1b9c4e55";

/**
 * One example per error code the API answers with. An error response names its codes in backticks in
 * its description, and shows these bodies as its examples.
 */
export const ERROR_EXAMPLES: Record<string, ErrorExample> = {
  VALIDATION_ERROR: {
    message: "request failed validation",
    context: {
      location: "body",
      issues: [
        { path: "/cluster_id", message: "Expected string to match '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'" },
      ],
    },
  },
  INVALID_BODY: { message: "the request body is not valid JSON", context: {} },
  INVALID_HEADER: {
    message: "X-Correlation-ID must be 1-128 characters of [A-Za-z0-9._:/@-]",
    context: { header: "X-Correlation-ID" },
  },
  INVALID_CLUSTER_ID: { message: "X-Cluster-ID is not a valid cluster id", context: {} },
  CLUSTER_REQUIRED: { message: "give cluster_id or session_id", context: {} },
  SESSION_CLUSTER_MISMATCH: {
    message: "the session belongs to another cluster",
    context: { session_id: SESSION_ID, session_cluster_id: "staging" },
  },
  FOLLOW_WINDOW_TOO_LONG: {
    message: "follow_seconds may be at most 120 on this server",
    context: { follow_seconds: 300, max_follow_seconds: 120 },
  },
  UNAUTHORIZED: { message: "a valid API key is required (X-API-Key or Authorization: Bearer)", context: {} },
  COMMAND_DENIED: {
    message: "'delete' is not allowed in read-only mode.",
    context: { command_id: COMMAND_ID, cluster_id: "production", denial_code: "VERB_NOT_ALLOWED" },
  },
  SCOPE_DENIED: {
    message: "outside the scope of 'shop-team': Namespace \"payments\" is not allowed by the caller's scope.",
    context: {
      scope: "namespaces",
      principal: "shop-team",
      cluster_id: "production",
      denial_code: "NAMESPACE_DENIED",
    },
  },
  NO_PRINCIPAL: {
    message: "signed in, but none of your groups is given a principal in the keys file",
    context: { identity: "oidc:alice@example.com" },
  },
  IDENTITY_PROVIDER_UNAVAILABLE: {
    message: "the identity provider's keys cannot be read now; try again shortly",
    context: {},
  },
  WRONG_CLUSTER: {
    message: "this command was not issued to your cluster",
    context: { command_id: COMMAND_ID },
  },
  CLUSTER_NOT_FOUND: {
    message: "no cluster 'production' is registered",
    context: { cluster_id: "production", hint: "an admin registers a cluster by issuing its executor token" },
  },
  SESSION_NOT_FOUND: { message: "no such session, or it has expired", context: { session_id: SESSION_ID } },
  COMMAND_NOT_FOUND: { message: "no such command", context: { command_id: COMMAND_ID } },
  TOKEN_EXISTS: {
    message:
      "cluster 'production' already has an executor token; POST again with ?rotate=true to replace it (the old one stops working at once)",
    context: { cluster_id: "production", hint: "POST again with ?rotate=true to replace it" },
  },
  PAYLOAD_TOO_LARGE: { message: "request body exceeds 1048576 bytes", context: { limit_bytes: 1048576 } },
  STORE_UNAVAILABLE: { message: "the store is unavailable; try again shortly", context: {} },
  DRAINING: { message: "this server is shutting down and takes no new traffic", context: {} },
  RATE_LIMITED: {
    message:
      "too many requests with this API key: at most 20 per second, in bursts of up to 40; retry in 1 s",
    context: { scope: "client", retry_after_seconds: 1 },
  },
  EXECUTOR_OFFLINE: {
    message: "no executor of cluster 'production' took the command within 30 s",
    context: { command_id: COMMAND_ID, cluster_id: "production", executor_connected: false },
  },
  COMMAND_TIMEOUT: {
    message: "kubectl did not finish within 30 s",
    context: { command_id: COMMAND_ID, cluster_id: "production", stdout: "", stderr: "" },
  },
  OPERATION_NOT_FOUND: { message: "no such operation", context: { operation_id: COMMAND_ID } },
  INVALID_CALLBACK_URL: {
    message: "callback_url must be an http or https URL",
    context: { scheme: "ftp" },
  },
  CALLBACK_NOT_ALLOWED: {
    message: "hooks.example.org:443 is not on the webhook allowlist",
    context: { host: "hooks.example.org:443" },
  },
  INVALID_TIME_RANGE: {
    message: "`from` is after `to`",
    context: { from: "2026-01-15T13:00:00.000Z", to: "2026-01-15T12:00:00.000Z" },
  },
  OUTPUT_NOT_FOUND: {
    message: "no output for this command id: unknown, expired, or another caller's",
    context: { command_id: COMMAND_ID },
  },
  OFFSET_OUT_OF_RANGE: {
    message: "offset 50000 is past the end: there are 41203 lines",
    context: { offset: 50000, lines: 41203 },
  },
  INVALID_PATTERN: {
    message: "grep is not a valid RE2 regular expression: error parsing regexp: missing closing ): `(`",
    context: {},
  },
  INVALID_QUERY: { message: "give offset or tail, not both", context: {} },
  CLUSTERS_REQUIRED: { message: "give clusters (a list of ids) or a selector", context: {} },
  EMPTY_SELECTOR: {
    message: "a selector needs labels, a name glob, or both: {} would select every cluster",
    context: {},
  },
  CLUSTERS_OR_SELECTOR: { message: "give clusters or a selector, not both", context: {} },
  NO_CLUSTER_MATCHES: {
    message: "no registered cluster matches the selector; nothing was queued",
    context: { selector: { name: "prod-*" } },
  },
  WEBHOOK_SECRET_NOT_CONFIGURED: {
    message: "this server has no webhook secret, so it cannot sign callbacks",
    context: {},
  },
};

/** The request id and time every example error body carries. */
export const EXAMPLE_REQUEST_ID = "5f0e8a1c-2b3d-4e5f-8a9b-0c1d2e3f4a5b";
export const EXAMPLE_TIMESTAMP = "2026-01-15T12:00:00.000Z";

/** Kubently's license, as the Kubernetes ecosystem mostly has it. */
export const LICENSE: OpenAPIV3_1.LicenseObject = { name: "Apache-2.0", identifier: "Apache-2.0" };

/** Relative: the server that serves this document is the one it describes, wherever it runs. */
export const SERVERS: OpenAPIV3_1.ServerObject[] = [
  { url: "/", description: "The Kubently server serving this document." },
];

/** The response headers the edge and the routes set (the document builder says where each applies). */
export const RESPONSE_HEADERS: Record<string, OpenAPIV3_1.HeaderObject> = {
  "X-Request-ID": {
    description: "This request's id, also in the error body's `request_id` and the server's log line.",
    schema: { type: "string", format: "uuid" },
  },
  "X-Correlation-ID": {
    description:
      "The correlation id in effect: the body's, else the request's X-Correlation-ID, else generated.",
    schema: { type: "string" },
  },
  "Retry-After": {
    description: "Seconds to wait before the next request can pass the rate limit.",
    schema: { type: "integer", minimum: 1 },
  },
  "WWW-Authenticate": {
    description: 'The scheme to authenticate with: `Bearer realm="kubently"`.',
    schema: { type: "string" },
  },
};
