/**
 * A TCP load balancer for replica tests, standing in for a Kubernetes Service in front of several
 * API processes: each new connection goes to the first backend that accepts it, so when a replica
 * dies its clients' connections drop and their reconnects land on the next one. Loopback only.
 */
import type { Socket } from "bun";

export interface Balancer {
  url: string;
  stop(): void;
}

interface Link {
  upstream: Socket<undefined> | null;
  /** Bytes from the client that arrived before the upstream connection was up. */
  early: Uint8Array[];
}

export function startBalancer(backendPorts: number[]): Balancer {
  const links = new Map<Socket<undefined>, Link>();

  async function dial(client: Socket<undefined>, link: Link): Promise<void> {
    for (const port of backendPorts) {
      try {
        link.upstream = await Bun.connect({
          hostname: "127.0.0.1",
          port,
          socket: {
            data: (_, data) => {
              client.write(data);
            },
            close: () => {
              client.end();
            },
            error: () => {
              client.end();
            },
          },
        });
        for (const chunk of link.early.splice(0)) link.upstream.write(chunk);
        return;
      } catch {
        // that replica is down: try the next one
      }
    }
    client.end();
  }

  const server = Bun.listen<undefined>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(client) {
        const link: Link = { upstream: null, early: [] };
        links.set(client, link);
        void dial(client, link);
      },
      data(client, data) {
        const link = links.get(client);
        if (link?.upstream) link.upstream.write(data);
        else link?.early.push(new Uint8Array(data));
      },
      close(client) {
        links.get(client)?.upstream?.end();
        links.delete(client);
      },
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    stop() {
      for (const [client, link] of links) {
        link.upstream?.end();
        client.end();
      }
      server.stop(true);
    },
  };
}
