// Starts the Kubernetes API server stand-in: a Bun.serve on 127.0.0.1:<free port> that the
// real kubectl talks to, a kubeconfig pointing at it in a fresh temp dir, and a log of
// every request (method, path+query, headers) for tests to inspect.

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { selfSignedCert } from "../../executor/gate/certificate";
import { type ApiHandler, createApiHandler } from "./api";
import { LogFeed } from "./logs";
import { defaultScenario } from "./scenario";
import type { RecordedRequest, Scenario } from "./types";

export type { RecordedRequest, Scenario } from "./types";

export interface KubeStandinOptions {
  /** What the cluster contains; defaults to `defaultScenario()` built at start time. */
  scenario?: Scenario;
  /**
   * Serve HTTPS with a throwaway self-signed certificate (trusted via the kubeconfig's
   * certificate-authority-data). kubectl never sends bearer tokens over plain HTTP, so
   * use this when a test needs to see `Authorization: Bearer ...`.
   */
  tls?: boolean;
  /** Bearer token written into the kubeconfig; a request carrying a different one gets 401. */
  token?: string;
}

export interface KubeStandin {
  url: string;
  kubeconfigPath: string;
  requests: RecordedRequest[];
  /** The bearer token in the kubeconfig. */
  token: string;
  /** Edits an object as a controller would: every watch open on it gets a MODIFIED event. */
  change: ApiHandler["change"];
  /** How many watches of a resource (`pods`) were opened so far, and a wait for that many in all. */
  watched: ApiHandler["watched"];
  watching: ApiHandler["watching"];
  /** The containers' logs: lines written while a test runs reach every `logs -f` open on them. */
  logs: Pick<LogFeed, "append" | "followed">;
  /** From now on only `next` is accepted, as after a ServiceAccount token rotation. */
  rotateToken(next: string): void;
  /**
   * Holds every request for `pathname` until released, like a slow API server would: `reached`
   * resolves when the first such request arrives. Lets tests act while kubectl is mid-request.
   */
  hold(pathname: string): Hold;
  stop(): Promise<void>;
}

export interface Hold {
  reached: Promise<void>;
  release(): void;
}

export const STANDIN_USER = "system:serviceaccount:kubently:kubently-reader";
const CONTEXT = "kube-standin";

export async function startKubeStandin(opts: KubeStandinOptions = {}): Promise<KubeStandin> {
  const scenario = opts.scenario ?? defaultScenario();
  const token = opts.token ?? "standin-token-0123456789abcdef";
  const requests: RecordedRequest[] = [];
  const cert = opts.tls ? await selfSignedCert() : undefined;
  let handler: ApiHandler | undefined;
  const holds = new Map<string, { arrived: () => void; released: Promise<void> }>();

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    ...(cert ? { tls: { cert: cert.certPem, key: cert.keyPem } } : {}),
    async fetch(req) {
      const url = new URL(req.url);
      const headers: Record<string, string> = {};
      req.headers.forEach((value, key) => {
        headers[key.toLowerCase()] = value;
      });
      requests.push({
        method: req.method,
        path: url.pathname + url.search,
        pathname: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
      });
      const hold = holds.get(url.pathname);
      if (hold) {
        hold.arrived();
        await hold.released;
      }
      const res = handler ? await handler(req) : new Response("starting", { status: 503 });
      res.headers.set("audit-id", crypto.randomUUID());
      res.headers.set("cache-control", "no-cache, private");
      return res;
    },
    error(err) {
      return new Response(
        JSON.stringify({
          kind: "Status",
          apiVersion: "v1",
          metadata: {},
          status: "Failure",
          message: `stand-in error: ${err.message}`,
          reason: "InternalError",
          code: 500,
        }),
        { status: 500, headers: { "content-type": "application/json" } },
      );
    },
  });
  const address = `127.0.0.1:${server.port}`;
  const apiOptions = {
    serverAddress: address,
    user: STANDIN_USER,
    token,
    // Watches stay open with no traffic; lift Bun's idle timeout for them.
    onStream: (req: Request) => server.timeout(req, 0),
    logs: new LogFeed(scenario.logs),
  };
  handler = createApiHandler(scenario, apiOptions);

  const url = `${cert ? "https" : "http"}://${address}`;
  const dir = await mkdtemp(join(tmpdir(), "kube-standin-"));
  const kubeconfigPath = join(dir, "kubeconfig");
  await writeFile(kubeconfigPath, kubeconfig(url, token, cert?.certPem), { mode: 0o600 });

  return {
    url,
    kubeconfigPath,
    requests,
    logs: apiOptions.logs,
    change: (...args) => handler?.change(...args),
    watched: (resource) => (handler as ApiHandler).watched(resource),
    watching: (resource, count) => (handler as ApiHandler).watching(resource, count),
    get token() {
      return apiOptions.token;
    },
    rotateToken(next) {
      apiOptions.token = next;
    },
    hold(pathname) {
      let arrived = () => {};
      let release = () => {};
      const reached = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      holds.set(pathname, { arrived, released });
      return {
        reached,
        release() {
          holds.delete(pathname);
          release();
        },
      };
    },
    async stop() {
      await server.stop(true);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function kubeconfig(server: string, token: string, caPem: string | undefined): string {
  const ca = caPem ? `\n    certificate-authority-data: ${Buffer.from(caPem).toString("base64")}` : "";
  return `apiVersion: v1
kind: Config
clusters:
- name: ${CONTEXT}
  cluster:
    server: ${server}${ca}
users:
- name: kubently-reader
  user:
    token: ${token}
contexts:
- name: ${CONTEXT}
  context:
    cluster: ${CONTEXT}
    user: kubently-reader
current-context: ${CONTEXT}
preferences: {}
`;
}
