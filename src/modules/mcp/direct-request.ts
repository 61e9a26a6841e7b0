/**
 * Which /mcp POSTs a pooled server answers through its DirectTransport: one JSON-RPC request, other
 * than `initialize`, that the SDK's stateless Streamable HTTP transport (JSON answers) would hand to
 * its server unchanged, the headers checked with the SDK's own rules. Anything else (a batch, a
 * notification, `initialize`, a missing Accept, another media type, an unknown protocol version,
 * a malformed message) goes through the SDK's transport, which gives each its own answer; so no
 * answer of the SDK is written again here, and a request the check lets through is one the SDK
 * would have served the same way.
 *
 * Why: the SDK's transport, built, connected and closed per request, checks the message against
 * several zod schemas (as a message, as a request, as `initialize` twice) and the whole response
 * twice more as it sends it; after an idle pause this was about a quarter of a millisecond of each
 * execute_kubectl call.
 */
import { isJsonContentType } from "@modelcontextprotocol/sdk/shared/mediaType.js";
import {
  isJSONRPCRequest,
  type JSONRPCRequest,
  type MessageExtraInfo,
  SUPPORTED_PROTOCOL_VERSIONS,
} from "@modelcontextprotocol/sdk/types.js";

/** The request and what the SDK's transport would give the server with it; null for the SDK's way. */
export function directRequest(
  request: Request,
  body: unknown,
): { message: JSONRPCRequest; extra: MessageExtraInfo } | null {
  if (request.method !== "POST") return null;
  const { headers } = request;
  // The SDK's own tests, in its order: Accept as a substring list, Content-Type as a media type.
  const accept = headers.get("accept");
  if (!accept?.includes("application/json") || !accept.includes("text/event-stream")) return null;
  if (!isJsonContentType(headers.get("content-type"))) return null;
  const version = headers.get("mcp-protocol-version");
  if (version !== null && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) return null;
  if (Array.isArray(body) || !isJSONRPCRequest(body) || body.method === "initialize") return null;
  return {
    message: body,
    extra: { requestInfo: { headers: Object.fromEntries(headers.entries()), url: new URL(request.url) } },
  };
}
