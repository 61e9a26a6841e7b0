/**
 * The edge of the API: a request id on every request (echoed as X-Request-ID), the body-size limit,
 * and the one place where every error becomes the documented error format with its status code.
 * Validation failures say where and what, never echo the offending values; 500s never carry stacks.
 */
import { Elysia, ValidationError } from "elysia";
import { log } from "../log";
import { StoreUnavailableError } from "../store";
import { ApiError, errorBody } from "./errors";

const requestIds = new WeakMap<Request, string>();

/** The id given to this request by the edge (generated per request). */
export const requestIdOf = (request: Request): string => requestIds.get(request) ?? "unknown";

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

/** Executors post whole command outputs (stdout and stderr, each capped by their policy): a larger limit. */
export const RESULTS_PATH = "/executor/results";

export const httpCore = (maxBodyBytes: number, maxResultBytes: number) =>
  new Elysia({ name: "kubently.http-core" })
    .onRequest(({ request, set }) => {
      const id = crypto.randomUUID();
      requestIds.set(request, id);
      set.headers["x-request-id"] = id;
      const length = Number(request.headers.get("content-length") ?? 0);
      const limit =
        length > maxBodyBytes && new URL(request.url).pathname === RESULTS_PATH
          ? maxResultBytes
          : maxBodyBytes;
      if (length > limit) {
        throw new ApiError(413, "PAYLOAD_TOO_LARGE", `request body exceeds ${limit} bytes`, {
          limit_bytes: limit,
        });
      }
    })
    .onError({ as: "global" }, ({ code, error, request }) => {
      const id = requestIdOf(request);
      const headers = { "x-request-id": id };
      if (error instanceof ApiError) {
        return json(error.status, errorBody(id, error.message, error.code, error.context), {
          ...headers,
          ...error.headers,
        });
      }
      if (error instanceof StoreUnavailableError) {
        log.error("store unavailable", {
          request_id: id,
          cause: String((error.cause as Error)?.message ?? ""),
        });
        return json(
          503,
          errorBody(id, "the store is unavailable; try again shortly", "STORE_UNAVAILABLE"),
          headers,
        );
      }
      if (error instanceof ValidationError) {
        return json(
          400,
          errorBody(id, "request failed validation", "VALIDATION_ERROR", validationContext(error)),
          headers,
        );
      }
      switch (code) {
        case "NOT_FOUND":
          return json(404, errorBody(id, "no such route", "ROUTE_NOT_FOUND"), headers);
        case "PARSE":
          return json(400, errorBody(id, "the request body is not valid JSON", "INVALID_BODY"), headers);
      }
      log.error("unhandled error", {
        request_id: id,
        error: error instanceof Error ? error.message : String(error),
      });
      return json(500, errorBody(id, "internal error", "INTERNAL_ERROR"), headers);
    });
