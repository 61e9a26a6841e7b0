/**
 * Idle MCP servers for /mcp, so a call does not build one (six tools with their schemas and
 * handlers, the policy resource and its URI template) only to drop it. Each stays connected to its
 * own DirectTransport, which carries one request at a time, so a server taken from here serves one
 * request, acting as that request's caller, and comes back once its response is sent. Only requests
 * direct-request.ts lets through come here: never `initialize`, so no pooled server holds a client's
 * capabilities.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { JSONRPCRequest, MessageExtraInfo } from "@modelcontextprotocol/sdk/types.js";
import type { KubentlyApi } from "../../client/api";
import { DirectTransport, type JSONRPCAnswer } from "./direct-transport";

interface Pooled {
  transport: DirectTransport;
  /** The caller of the request being served; null while idle. */
  caller: { api: KubentlyApi | null };
}

export class McpServerPool {
  private readonly idle: Pooled[] = [];

  /**
   * @param build makes a server that reads its caller through the getter it is given
   * @param maxIdle servers kept between requests; beyond it (a burst of concurrent calls) they are dropped
   */
  constructor(
    private readonly build: (apiOf: () => KubentlyApi) => McpServer,
    private readonly maxIdle: number,
  ) {}

  /** The response of a server acting as `api` to `request`. */
  async serve(api: KubentlyApi, request: JSONRPCRequest, extra: MessageExtraInfo): Promise<JSONRPCAnswer> {
    const pooled = this.idle.pop() ?? (await this.create());
    pooled.caller.api = api;
    try {
      return await pooled.transport.exchange(request, extra);
    } finally {
      pooled.caller.api = null;
      if (this.idle.length < this.maxIdle) this.idle.push(pooled);
    }
  }

  private async create(): Promise<Pooled> {
    const caller: Pooled["caller"] = { api: null };
    const server = this.build(() => {
      if (!caller.api) throw new Error("MCP server used outside a request");
      return caller.api;
    });
    const transport = new DirectTransport();
    await server.connect(transport);
    return { transport, caller };
  }
}
