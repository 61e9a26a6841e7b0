/**
 * The edge of the API: a request id on every request (echoed as X-Request-ID), the body-size limits
 * and the body parser (body.ts) that holds them, the one place where every error becomes the
 * documented error format with its status code, and, as each response is made, its request metrics
 * and its access log line.
 * Validation failures say where and what, never echo the offending values; 500s never carry stacks.
 * The access line names the route template, never the raw path, and the caller's identity, never a
 * credential.
 */
import { Elysia, ElysiaCustomStatusResponse, ParseError, StatusMap, ValidationError } from "elysia";
import { log, logsAt } from "../log";
import { isCorrelationId } from "../models";
import { StoreUnavailableError } from "../store";
import { readBody } from "./body";
import { ApiError, errorBody, payloadTooLarge } from "./errors";

/** The body limits of the server that took a request. */
interface BodyLimits {
  maxBodyBytes: number;
  maxResultBytes: number;
}

/** What the edge records about a request: its id, when it arrived (performance.now()), its limits. */
interface Arrival extends BodyLimits {
  id: string;
  at: number;
}

const arrivals = new WeakMap<Request, Arrival>();

/** The id given to this request by the edge (generated per request). */
export const requestIdOf = (request: Request): string => arrivals.get(request)?.id ?? "unknown";

/**
 * The body parser of every route that takes a body, within the limit for its path. The auth guard
 * runs it once the caller is known, so nothing of an unknown caller's body is read. A request the
 * edge has not seen gets no room at all. The path is read from the URL (Elysia's own `path` is there
 * only when it infers from a hook's source that the hook reads it), and only when it matters: a body
 * of a declared length within the smaller limit is within either, and most bodies are.
 */
export const parseBody = async ({ request }: { request: Request }, contentType: string): Promise<unknown> => {
  const arrival = arrivals.get(request);
  if (!arrival) return readBody(request, contentType, 0);
  const { headers } = request;
  const declared = headers.get("content-length");
  const fits =
    declared !== null && Number(declared) <= arrival.maxBodyBytes && !headers.has("transfer-encoding");
  return readBody(
    request,
    contentType,
    fits ? arrival.maxBodyBytes : bodyLimit(arrival, new URL(request.url).pathname),
  );
};

/** Where the edge reports each answered request and each error code (the metrics module). */
export interface EdgeRecorder {
  /** `route` is the route template, or "unmatched"; `method` one of the usual methods, or "OTHER". */
  request(method: string, route: string, status: number, seconds: number): void;
  error(code: string): void;
}

export interface HttpCoreOptions {
  maxBodyBytes: number;
  maxResultBytes: number;
  recorder: EdgeRecorder;
  /** One info line per request (KUBENTLY_ACCESS_LOG). */
  accessLog: boolean;
}

/** Methods named as they come; anything else is "OTHER", so a client cannot invent label values. */
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/**
 * The route template as documented: a prefix's root route is registered as `/debug/session/`, and
 * documented (and labelled) without its trailing slash. One entry per route, so computed once each.
 */
const templates = new Map<string, string>();
function templateOf(route: string | undefined): string {
  if (!route) return "unmatched";
  let template = templates.get(route);
  if (template === undefined) {
    template = route.length > 1 ? route.replace(/\/$/, "") : route;
    templates.set(route, template);
  }
  return template;
}

function json(status: number, body: unknown, headers: Record<string, string>): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

function validationContext(error: ValidationError): Record<string, unknown> {
  const issues = error.all.slice(0, 10).map((issue) => ({
    path: "path" in issue ? issue.path : "",
    message: "summary" in issue && issue.summary ? issue.summary : issue.message,
  }));
  return { location: error.type, issues };
}

/** What the edge needs of a request's context to record it once answered. */
interface Answered {
  request: Request;
  set: { headers: Record<string, unknown> };
  /** Resolved by the auth guard: a client's or admin's identity, or an executor's cluster. */
  identity?: string;
  clusterId?: string;
}

/**
 * What the global hooks read of a request's context: the identity or cluster is the auth guard's,
 * where it ran; the rest is Elysia's (the response value in mapResponse, the error in onError).
 */
interface Hooked extends Answered {
  route: string;
  code?: unknown;
  error?: unknown;
  responseValue?: unknown;
  set: Answered["set"] & { status?: number | keyof typeof StatusMap };
}

/**
 * Records an answered request: its metrics, and its access line. Called synchronously as the
 * response is made (Elysia's afterResponse would cost a deferred task per request).
 */
function answered(
  context: Answered,
  route: string | undefined,
  status: number,
  recorder: EdgeRecorder,
  accessLog: boolean,
): void {
  const { request } = context;
  const arrival = arrivals.get(request);
  if (!arrival) return;
  const ms = performance.now() - arrival.at;
  const method = METHODS.has(request.method) ? request.method : "OTHER";
  // `route` is the template (/debug/session/:session_id), so ids never become label values.
  const template = templateOf(route);
  recorder.request(method, template, status, ms / 1000);
  if (!accessLog || !logsAt("info")) return;
  const correlation = context.set.headers["x-correlation-id"] ?? request.headers.get("x-correlation-id");
  log.info("request", {
    method,
    route: template,
    status,
    duration_ms: Math.round(ms * 100) / 100,
    request_id: arrival.id,
    // Only a well-formed id is echoed into the log; a malformed one was refused with 400.
    correlation_id: typeof correlation === "string" && isCorrelationId(correlation) ? correlation : undefined,
    identity: context.identity,
    cluster_id: context.clusterId,
  });
}

/**
 * Executors post whole command outputs (stdout and stderr, each capped by their policy), one result
 * or a batch: a larger limit. Matched on the parsed path, so no other route gets it by naming these.
 */
const RESULT_PATHS = new Set(["/executor/results", "/executor/results/batch"]);
/** A part of a large output stream (up to 1 Mi characters, which JSON may write as 6 bytes each). */
const OUTPUT_PART_PATH = /^\/executor\/results\/[0-9a-f-]{36}\/output\/(stdout|stderr)\/[0-9]{1,2}$/;

const bodyLimit = ({ maxBodyBytes, maxResultBytes }: BodyLimits, path: string): number =>
  RESULT_PATHS.has(path) || OUTPUT_PART_PATH.test(path)
    ? Math.max(maxResultBytes, maxBodyBytes)
    : maxBodyBytes;

/**
 * What a hook throws while a body is read (the guard's 401, the reader's 413 or 400) reaches onError
 * wrapped in Elysia's ParseError; unwrapped, it is answered as thrown anywhere else.
 */
const unwrapped = (error: unknown): unknown =>
  error instanceof ParseError && error.cause instanceof Error ? error.cause : error;

export const httpCore = ({ maxBodyBytes, maxResultBytes, recorder, accessLog }: HttpCoreOptions) =>
  new Elysia({ name: "kubently.http-core" })
    .onRequest(({ request, set }) => {
      const arrival = { id: crypto.randomUUID(), at: performance.now(), maxBodyBytes, maxResultBytes };
      arrivals.set(request, arrival);
      set.headers["x-request-id"] = arrival.id;
      // A declared length over the limit is refused before anything else; the path is parsed only
      // for one over the smaller limit. Bodies sent without a length are held to it as they are read.
      const length = Number(request.headers.get("content-length") ?? 0);
      if (length <= maxBodyBytes) return;
      const limit = bodyLimit(arrival, new URL(request.url).pathname);
      if (length > limit) throw payloadTooLarge(limit);
    })
    // Both global hooks destructure what they read: Elysia reads each hook's source, and one handed
    // the whole context makes it parse cookies and the query string of every request.
    .onError(
      { as: "global" },
      ({ code, request, route, set, error: thrown, identity, clusterId }: Hooked) => {
        const context = { request, set, identity, clusterId };
        const error = unwrapped(thrown);
        const id = requestIdOf(request);
        const answer = (
          status: number,
          errorCode: string,
          message: string,
          errorContext?: Record<string, unknown>,
          headers?: Record<string, string>,
        ) => {
          recorder.error(errorCode);
          // A request that reached a route is recorded as its response is mapped, below; one refused
          // before routing (unknown path, body too large) ends here.
          if (!route) answered(context, route, status, recorder, accessLog);
          return json(status, errorBody(id, message, errorCode, errorContext), {
            "x-request-id": id,
            ...headers,
          });
        };
        if (error instanceof ApiError) {
          return answer(error.status, error.code, error.message, error.context, error.headers);
        }
        if (error instanceof StoreUnavailableError) {
          log.error("store unavailable", {
            request_id: id,
            cause: String((error.cause as Error)?.message ?? ""),
          });
          return answer(503, "STORE_UNAVAILABLE", "the store is unavailable; try again shortly");
        }
        if (error instanceof ValidationError) {
          return answer(400, "VALIDATION_ERROR", "request failed validation", validationContext(error));
        }
        switch (code) {
          case "NOT_FOUND":
            return answer(404, "ROUTE_NOT_FOUND", "no such route");
          case "PARSE":
            return answer(400, "INVALID_BODY", "the request body is not valid JSON");
        }
        log.error("unhandled error", {
          request_id: id,
          error: error instanceof Error ? error.message : String(error),
        });
        return answer(500, "INTERNAL_ERROR", "internal error");
      },
    )
    // Runs for every response of a route, errors included (their Response comes from onError above).
    .mapResponse({ as: "global" }, ({ responseValue, route, set, request, identity, clusterId }: Hooked) => {
      const status =
        responseValue instanceof Response
          ? responseValue.status
          : responseValue instanceof ElysiaCustomStatusResponse
            ? responseValue.code
            : typeof set.status === "number"
              ? set.status
              : (StatusMap[set.status ?? "OK"] ?? 200);
      answered({ request, set, identity, clusterId }, route, status, recorder, accessLog);
    });
