/**
 * The bare relay's server (bench/scenarios/relay.ts): `/health`, and `POST /execute`, which hands the
 * body to the one connected executor over a WebSocket and answers with what comes back. No store, no
 * auth, no validation, no audit: the floor under Kubently's hub path on the same machine. Prints its
 * port. Bound to 127.0.0.1.
 */
import type { ServerWebSocket } from "bun";

let executor: ServerWebSocket<unknown> | undefined;
const waiting = new Map<number, (result: string) => void>();
let next = 0;

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(request, server) {
    const { pathname } = new URL(request.url);
    if (pathname === "/health") return Response.json({ status: "ok" });
    if (pathname === "/executor" && server.upgrade(request)) return undefined;
    if (pathname !== "/execute" || !executor) return new Response("not found", { status: 404 });
    const command = await request.json();
    const id = next++;
    const result = new Promise<string>((resolve) => waiting.set(id, resolve));
    executor.send(JSON.stringify({ id, command }));
    return new Response(await result, { headers: { "content-type": "application/json" } });
  },
  websocket: {
    open(ws) {
      executor = ws;
    },
    message(_ws, message) {
      const { id, result } = JSON.parse(String(message)) as { id: number; result: unknown };
      waiting.get(id)?.(JSON.stringify(result));
      waiting.delete(id);
    },
  },
});
console.log(server.port);
