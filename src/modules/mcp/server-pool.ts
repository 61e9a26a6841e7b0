/**
 * Idle MCP servers for /mcp, so a call does not build one (six tools with their schemas and
 * handlers, the policy resource and its URI template) only to drop it. The SDK connects a server to
 * one transport at a time and a stateless transport serves one request, so a server taken from here
 * serves one request, acting as that request's caller, and comes back once its answer is complete.
 * A server that answered `initialize` is not kept: it holds that client's capabilities.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { KubentlyApi } from "../../client/api";

interface Pooled {
  server: McpServer;
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

  /** Runs `serve` on a server acting as `api`, then disconnects it and keeps it if it may be reused. */
  async serve<T>(api: KubentlyApi, keep: boolean, serve: (server: McpServer) => Promise<T>): Promise<T> {
    const pooled = this.idle.pop() ?? this.create();
    pooled.caller.api = api;
    let served = false;
    try {
      const answer = await serve(pooled.server);
      served = true;
      return answer;
    } finally {
      await pooled.server.close();
      pooled.caller.api = null;
      if (served && keep && this.idle.length < this.maxIdle) this.idle.push(pooled);
    }
  }

  private create(): Pooled {
    const caller: Pooled["caller"] = { api: null };
    const server = this.build(() => {
      if (!caller.api) throw new Error("MCP server used outside a request");
      return caller.api;
    });
    return { server, caller };
  }
}
