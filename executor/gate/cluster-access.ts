/**
 * Owns the executor's own credentials for the cluster: the only place they are read, and the gate
 * the only code that uses them. In a pod: the ServiceAccount token (re-read every minute, as
 * client-go does, and at once when the API server answers 401, so a token the kubelet rotated is
 * picked up) and the cluster CA, at KUBERNETES_SERVICE_HOST/PORT. Outside a pod: the current
 * context of the kubeconfig (KUBECONFIG, first file, or ~/.kube/config) with a bearer token, a
 * token file, or a client certificate. Exec plugins, auth providers, basic auth, proxies and
 * merged kubeconfig lists are refused at start with a clear message rather than half-supported.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, resolve } from "node:path";
import { parse as parseYaml } from "yaml";

export interface ClusterAccess {
  /** The API server's base URL, without a trailing slash. */
  server: string;
  /** TLS options for Bun's fetch. */
  tls: { ca?: string; cert?: string; key?: string; rejectUnauthorized: boolean };
  /** The Authorization header value, if the credential is a token. */
  authorization(): string | undefined;
  /** Re-reads a token that comes from a file; true when it changed (worth retrying a 401). */
  refresh(): boolean;
  /** For the start-up log: where the credentials came from (never the credentials). */
  source: string;
}

export class ClusterAccessError extends Error {}

export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
const TOKEN_REFRESH_MS = 60_000;

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new ClusterAccessError(`cannot read ${what} ${path}: ${(error as Error).message}`);
  }
}

/** A token read from a file, re-read when old or when asked. */
function tokenFromFile(path: string): Pick<ClusterAccess, "authorization" | "refresh"> {
  let token = readText(path, "token file").trim();
  let readAt = Date.now();
  const reread = () => {
    const next = readText(path, "token file").trim();
    readAt = Date.now();
    const changed = next !== token;
    token = next;
    return changed;
  };
  return {
    authorization() {
      if (Date.now() - readAt > TOKEN_REFRESH_MS) {
        try {
          reread();
        } catch {
          // keep the last token: the kubelet may be mid-rotation; the next request tries again
        }
      }
      return token ? `Bearer ${token}` : undefined;
    },
    refresh() {
      try {
        return reread();
      } catch {
        return false;
      }
    },
  };
}

function inClusterAccess(env: Record<string, string | undefined>, dir: string): ClusterAccess {
  const host = env.KUBERNETES_SERVICE_HOST as string;
  const port = env.KUBERNETES_SERVICE_PORT || "443";
  const hostPart = host.includes(":") ? `[${host}]` : host;
  return {
    server: `https://${hostPart}:${port}`,
    tls: { ca: readText(`${dir}/ca.crt`, "the cluster CA"), rejectUnauthorized: true },
    ...tokenFromFile(`${dir}/token`),
    source: `in-cluster service account (${dir})`,
  };
}

interface NamedEntry<T> {
  name?: string;
  cluster?: T;
  user?: T;
  context?: T;
}
type Fields = Record<string, unknown>;

function entry(list: unknown, name: unknown, key: "cluster" | "user" | "context", file: string): Fields {
  const found = Array.isArray(list)
    ? (list as NamedEntry<Fields>[]).find((item) => item?.name === name)
    : undefined;
  const value = found?.[key];
  if (value === undefined || value === null || typeof value !== "object") {
    throw new ClusterAccessError(`kubeconfig ${file}: no ${key} named '${String(name)}'`);
  }
  return value;
}

function dataOrFile(fields: Fields, key: string, base: string, what: string): string | undefined {
  const data = fields[`${key}-data`];
  if (typeof data === "string" && data !== "") return Buffer.from(data, "base64").toString("utf8");
  const path = fields[key];
  if (typeof path === "string" && path !== "") return readText(resolve(base, path), what);
  return undefined;
}

const UNSUPPORTED_USER_FIELDS: Record<string, string> = {
  exec: "exec credential plugins",
  "auth-provider": "auth providers",
  username: "basic authentication",
  as: "impersonation in the kubeconfig (use the policy's impersonate mapping)",
};

function kubeconfigAccess(path: string): ClusterAccess {
  const base = dirname(path);
  let doc: Fields;
  try {
    doc = (parseYaml(readText(path, "kubeconfig")) ?? {}) as Fields;
  } catch (error) {
    if (error instanceof ClusterAccessError) throw error;
    throw new ClusterAccessError(`kubeconfig ${path} is not valid YAML: ${(error as Error).message}`);
  }
  const context = entry(doc.contexts, doc["current-context"], "context", path);
  const cluster = entry(doc.clusters, context.cluster, "cluster", path);
  const user = entry(doc.users, context.user, "user", path);
  for (const [field, what] of Object.entries(UNSUPPORTED_USER_FIELDS)) {
    if (user[field] !== undefined)
      throw new ClusterAccessError(`kubeconfig ${path}: ${what} are not supported`);
  }
  if (cluster["proxy-url"] !== undefined) {
    throw new ClusterAccessError(`kubeconfig ${path}: proxy-url is not supported`);
  }
  const server = typeof cluster.server === "string" ? cluster.server.replace(/\/+$/, "") : "";
  if (!/^https?:\/\//.test(server))
    throw new ClusterAccessError(`kubeconfig ${path}: the cluster has no server URL`);
  const token = typeof user.token === "string" && user.token !== "" ? user.token : undefined;
  const tokenFile = typeof user.tokenFile === "string" ? resolve(base, user.tokenFile) : undefined;
  const cert = dataOrFile(user, "client-certificate", base, "client certificate");
  const key = dataOrFile(user, "client-key", base, "client key");
  const credential =
    tokenFile !== undefined
      ? tokenFromFile(tokenFile)
      : { authorization: () => (token === undefined ? undefined : `Bearer ${token}`), refresh: () => false };
  return {
    server,
    tls: {
      ca: dataOrFile(cluster, "certificate-authority", base, "certificate authority"),
      cert,
      key,
      rejectUnauthorized: cluster["insecure-skip-tls-verify"] !== true,
    },
    ...credential,
    source: `kubeconfig ${path}, context '${String(doc["current-context"])}'`,
  };
}

export interface ClusterAccessOptions {
  serviceAccountDir: string;
}

/** The credentials the gate forwards with: in-cluster when running in a pod, else the kubeconfig. */
export function resolveClusterAccess(
  env: Record<string, string | undefined>,
  { serviceAccountDir }: ClusterAccessOptions,
): ClusterAccess {
  if (env.KUBERNETES_SERVICE_HOST) return inClusterAccess(env, serviceAccountDir);
  const list = env.KUBECONFIG;
  if (list?.includes(":")) {
    throw new ClusterAccessError("KUBECONFIG lists several files; give the executor exactly one");
  }
  return kubeconfigAccess(list || `${homedir()}/.kube/config`);
}
