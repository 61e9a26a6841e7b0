/**
 * The server's ApiError makers by status, and `errorBody`, which renders the one error format every
 * response uses: {error, details{code, context}, request_id, timestamp}. ApiError itself is a model,
 * shared with the HTTP client; it is re-exported here so the server's code finds it with its makers.
 */
import { ApiError, type ErrorBody } from "../models";
import { nowMs } from "../store";

export { ApiError };

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
    timestamp: new Date(nowMs()).toISOString(),
  };
}
