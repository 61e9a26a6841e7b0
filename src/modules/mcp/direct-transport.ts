/**
 * The SDK Transport a pooled MCP server stays connected to: it hands the server one JSON-RPC request
 * at a time and gives back the server's response to it, for /mcp to answer as JSON. It stands in for
 * a Streamable HTTP transport built, connected and closed per request, and only for the requests that
 * transport would pass on unchanged (direct-request.ts decides which): everything else still goes
 * through the SDK's transport. What the server sends besides the response (a notification or a
 * request toward the client) is dropped, as the SDK's transport drops it when it answers JSON.
 */
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type {
  JSONRPCErrorResponse,
  JSONRPCMessage,
  JSONRPCRequest,
  JSONRPCResultResponse,
  MessageExtraInfo,
} from "@modelcontextprotocol/sdk/types.js";

export type JSONRPCAnswer = JSONRPCResultResponse | JSONRPCErrorResponse;

export class DirectTransport implements Transport {
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  /** The request being served; null between requests. */
  private waiting: { id: JSONRPCRequest["id"]; answer: (message: JSONRPCAnswer) => void } | null = null;

  async start(): Promise<void> {}

  async close(): Promise<void> {
    this.onclose?.();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const waiting = this.waiting;
    if (
      waiting &&
      "id" in message &&
      ("result" in message || "error" in message) &&
      message.id === waiting.id
    ) {
      this.waiting = null;
      waiting.answer(message);
    }
  }

  /** Passes `request` to the server; resolves with its response. One request at a time. */
  exchange(request: JSONRPCRequest, extra: MessageExtraInfo): Promise<JSONRPCAnswer> {
    if (this.waiting) return Promise.reject(new Error("DirectTransport serves one request at a time"));
    return new Promise((answer) => {
      this.waiting = { id: request.id, answer };
      this.onmessage?.(request, extra);
    });
  }
}
