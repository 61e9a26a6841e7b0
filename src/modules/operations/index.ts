/**
 * Operations controller: POST /debug/execute/async queues a command and answers 202 at once;
 * GET /debug/operations/{id} reports it until it is final, and a callback_url gets it POSTed, signed.
 */
import { Elysia } from "elysia";
import { callerOf, readsCallerHeaders } from "../../http/caller";
import { ErrorBody } from "../../models";
import { authGuard } from "../auth/guard";
import type { AuthService } from "../auth/service";
import { EXECUTE_REFUSALS } from "../dispatch/model";
import { AsyncExecuteBody, Operation, OperationParams } from "./model";
import type { OperationsService } from "./service";

const WEBHOOK_DESCRIPTION =
  "When the operation is final the server POSTs it (the same JSON as GET /debug/operations/{id}) to " +
  "callback_url with these headers:\n\n" +
  "- `X-Kubently-Signature: sha256=<hex>`: HMAC-SHA256, keyed with the server's webhook secret, of " +
  "`<X-Kubently-Timestamp>.<raw body>`\n" +
  "- `X-Kubently-Timestamp`: Unix seconds when the attempt was signed\n" +
  "- `X-Kubently-Operation-ID`, `X-Correlation-ID`\n\n" +
  "A receiver recomputes the HMAC over the raw body, compares in constant time, rejects timestamps more " +
  "than 5 minutes old, and treats repeats of an operation id as one delivery. Network errors, 5xx and " +
  "429 are retried with exponential backoff (KUBENTLY_WEBHOOK_MAX_ATTEMPTS, default 5); other statuses " +
  "are final, and redirects are not followed. A callback_url must be http(s), carry no credentials and " +
  "name a host:port on KUBENTLY_WEBHOOK_ALLOWED_HOSTS; otherwise the request is refused with 400 and " +
  "nothing is queued.";

export const operationsModule = (auth: AuthService, operations: OperationsService) =>
  new Elysia({ prefix: "/debug", tags: ["Commands"], detail: { security: [{ apiKey: [] }] } })
    .use(authGuard(auth))
    .post(
      "/execute/async",
      async ({ body: { correlation_id, ...input }, headers, identity, scope, set, status }) => {
        const caller = callerOf(headers, correlation_id);
        set.headers["x-correlation-id"] = caller.correlationId;
        const operation = await operations.start(input, { identity, scope, ...caller });
        set.headers.location = `/debug/operations/${operation.operation_id}`;
        return status(202, operation);
      },
      {
        client: true,
        body: AsyncExecuteBody,
        response: {
          202: Operation,
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
          429: ErrorBody,
          503: ErrorBody,
        },
        detail: {
          operationId: "executeAsync",
          parameters: readsCallerHeaders("X-Correlation-ID", "X-Service-Identity", "X-Request-Timeout"),
          summary: "Queue a kubectl command and answer at once (async operation)",
          description:
            "Queues the command exactly as POST /debug/execute does and answers 202 with the pending " +
            "operation and `Location: /debug/operations/{id}`. Poll that, or give callback_url to be " +
            "called when it is final. Honours X-Correlation-ID, X-Service-Identity and X-Request-Timeout " +
            `(which caps the command's timeout).\n\n${WEBHOOK_DESCRIPTION}\n\n` +
            "Example:\n\n" +
            "```sh\ncurl -XPOST -H 'X-API-Key: …' localhost:8080/debug/execute/async \\\n" +
            '  -d \'{"cluster_id":"production","command_type":"get","args":["pods"],' +
            '"callback_url":"https://hooks.example.com/kubently"}\'\n```',
          responses: {
            202: {
              description: "The pending operation; `Location` names where to read it.",
              headers: {
                Location: {
                  description: "Where to read the operation: `/debug/operations/{operation_id}`.",
                  schema: { type: "string" },
                },
              },
            },
            400: {
              description:
                "`CALLBACK_NOT_ALLOWED`: callback_url's host:port is not on the allowlist, or none is configured. " +
                "`INVALID_CALLBACK_URL`: not an http(s) URL, or it carries credentials. " +
                "`WEBHOOK_SECRET_NOT_CONFIGURED`: the server cannot sign callbacks. " +
                "`CLUSTER_REQUIRED`, `SESSION_CLUSTER_MISMATCH`, `FOLLOW_WINDOW_TOO_LONG`, `INVALID_HEADER` as for " +
                "POST /debug/execute. " +
                "Nothing is queued.",
            },
            403: { description: EXECUTE_REFUSALS[403] },
            404: { description: "`CLUSTER_NOT_FOUND` or `SESSION_NOT_FOUND`." },
            429: { description: EXECUTE_REFUSALS[429] },
            503: { description: EXECUTE_REFUSALS[503] },
          },
        },
      },
    )
    .get(
      "/operations/:operation_id",
      ({ params: { operation_id }, identity }) => operations.get(operation_id, identity),
      {
        client: true,
        params: OperationParams,
        response: { 200: Operation, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
        detail: {
          operationId: "getOperation",
          summary: "Read an async operation",
          description:
            "pending → running → succeeded | failed | denied | timed_out. A final operation carries " +
            "completed_at, and either result (succeeded, failed) or error and details with the code the " +
            "synchronous route would answer (denied: COMMAND_DENIED; timed_out: COMMAND_TIMEOUT or " +
            "EXECUTOR_OFFLINE). Readable for the results TTL after it ends, only with an API key of the " +
            "service that started it: any other caller gets 404 OPERATION_NOT_FOUND, as for an unknown id.",
          responses: {
            200: { description: "The operation, pending, running or final." },
            404: {
              description:
                "`OPERATION_NOT_FOUND`: no such operation, it has expired, or another service started it.",
            },
          },
        },
      },
    );
