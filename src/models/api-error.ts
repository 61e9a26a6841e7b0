/**
 * ApiError: a failure as a status and a stable code, the value both sides of the wire throw. The
 * server renders it in the error format (ErrorBody); the HTTP client turns an error answer back into
 * one, so a caller handles the same shape whether the API runs in its process or across the network.
 */
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
