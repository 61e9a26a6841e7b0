/**
 * A bare HTTP echo server in a process of its own (Bun.serve answering a POSTed JSON body), for the
 * latency benches: one round trip to it, with nothing of Kubently on the way, shows what waking an
 * idle process costs on the machine, so a paced figure can be read against it. Bound to 127.0.0.1.
 */

const SERVER = `
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch: async (request) => Response.json({ echo: await request.json() }),
});
console.log(server.port);
`;

export interface BareEcho {
  /** One POST and its answer read whole. */
  call(): Promise<void>;
  stop(): Promise<void>;
}

export async function startBareEcho(): Promise<BareEcho> {
  const proc = Bun.spawn([process.execPath, "-e", SERVER], {
    stdin: "ignore",
    stdout: "pipe",
    stderr: "ignore",
  });
  const first = await proc.stdout.getReader().read();
  const port = Number(new TextDecoder().decode(first.value).trim());
  if (!Number.isInteger(port) || port <= 0) throw new Error("the bare echo server did not start");
  const url = `http://127.0.0.1:${port}/`;
  return {
    async call() {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"get":"pods"}',
      });
      if (!response.ok) throw new Error(`the bare echo server answered ${response.status}`);
      await response.json();
    },
    async stop() {
      proc.kill("SIGTERM");
      await proc.exited;
    },
  };
}
