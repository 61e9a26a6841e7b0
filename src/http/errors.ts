/**
 * ApiError carries a status and a stable code; `errorBody` renders the one error format every
 * response uses: {error, details{code, context}, request_id, timestamp}.
 */
import type { ErrorBody } from "../models";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly context: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const badRequest = (code: string, message: string, context?: Record<string, unknown>) =>
  new ApiError(400, code, message, context);
export const unauthorized = (message: string) =>
  new ApiError(401, "UNAUTHORIZED", message, {}, { "WWW-Authenticate": 'Bearer realm="kubently"' });
export const forbidden = (code: string, message: string, context?: Record<string, unknown>) =>
  new ApiError(403, code, message, context);
export const notFound = (code: string, message: string, context?: Record<string, unknown>) =>
  new ApiError(404, code, message, context);
export const conflict = (code: string, message: string, context?: Record<string, unknown>) =>
  new ApiError(409, code, message, context);
export const payloadTooLarge = (limit: number) =>
  new ApiError(413, "PAYLOAD_TOO_LARGE", `request body exceeds ${limit} bytes`, { limit_bytes: limit });
export const gatewayTimeout = (code: string, message: string, context?: Record<string, unknown>) =>
  new ApiError(504, code, message, context);

export function errorBody(
  requestId: string,
  message: string,
  code: string,
  context: Record<string, unknown> = {},
): ErrorBody {
  return {
    error: message,
    details: { code, context },
    request_id: requestId,
    timestamp: new Date().toISOString(),
  };
}
