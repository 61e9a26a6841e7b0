/**
 * Executor configuration from flags and environment (flag wins). Every problem is reported with
 * the variable's name; the token is accepted from the environment or a file, never as a flag, so
 * it does not show in process listings.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isClusterId } from "../src/models/ids";
import type { TransportChoice } from "./connection";
import { SERVICE_ACCOUNT_DIR } from "./gate/cluster-access";
import { LOG_LEVELS, type LogLevel } from "./log";

export interface ExecutorConfig {
  apiUrl: string;
  clusterId: string;
  /** Reads the token: from KUBENTLY_TOKEN, or afresh from KUBENTLY_TOKEN_FILE each time. */
  token: () => string;
  kubectl: string;
  transport: TransportChoice;
  policyFile: string | undefined;
  cacheDir: string;
  /** `kubectl`, or `echo` to answer without running anything (benchmarks). */
  runner: "kubectl" | "echo";
  /** PEM bundle of the CAs that may sign the API's certificate, beyond the system's. */
  caBundle: string | undefined;
  /** Where the in-cluster ServiceAccount token and CA are mounted (used in a pod). */
  serviceAccountDir: string;
  /** The file the liveness heartbeat rewrites (liveness.ts); none by default. */
  livenessFile: string | undefined;
  /** The least severe level logged: `info` by default; `debug` adds when each kubectl process starts. */
  logLevel: LogLevel;
}

export interface ExecutorFlags {
  apiUrl?: string;
  clusterId?: string;
  tokenFile?: string;
  kubectl?: string;
  transport?: string;
  policy?: string;
  cacheDir?: string;
  runner?: string;
  caFile?: string;
  serviceaccountDir?: string;
  livenessFile?: string;
  logLevel?: string;
}

export class ExecutorConfigError extends Error {}

const TRANSPORTS = ["auto", "sse", "ws", "poll"];

export function resolveExecutorConfig(
  flags: ExecutorFlags,
  env: Record<string, string | undefined>,
): ExecutorConfig {
  const pick = (flag: string | undefined, name: string) => flag ?? (env[name] || undefined);

  const apiUrl = pick(flags.apiUrl, "KUBENTLY_API_URL");
  if (!apiUrl)
    throw new ExecutorConfigError(
      "KUBENTLY_API_URL (--api-url) is required, e.g. https://kubently.example.com",
    );
  let parsed: URL;
  try {
    parsed = new URL(apiUrl);
  } catch {
    throw new ExecutorConfigError(`KUBENTLY_API_URL is not a URL: '${apiUrl}'`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new ExecutorConfigError("KUBENTLY_API_URL must be an http:// or https:// URL");
  }
  if (parsed.username || parsed.password) {
    throw new ExecutorConfigError("KUBENTLY_API_URL must not carry credentials; use KUBENTLY_TOKEN");
  }
  if (parsed.search || parsed.hash) {
    throw new ExecutorConfigError(
      "KUBENTLY_API_URL must not have a query or fragment: the executor's routes are added after its path",
    );
  }

  const clusterId = pick(flags.clusterId, "KUBENTLY_CLUSTER_ID");
  if (!clusterId) throw new ExecutorConfigError("KUBENTLY_CLUSTER_ID (--cluster-id) is required");
  if (!isClusterId(clusterId)) {
    throw new ExecutorConfigError(
      "KUBENTLY_CLUSTER_ID must be a lowercase DNS label (a-z, 0-9, '-'), 1-63 characters",
    );
  }

  const tokenFile = pick(flags.tokenFile, "KUBENTLY_TOKEN_FILE");
  const tokenValue = env.KUBENTLY_TOKEN?.trim();
  let token: () => string;
  if (tokenFile) {
    const read = () => {
      try {
        return readFileSync(tokenFile, "utf8").trim();
      } catch (error) {
        throw new ExecutorConfigError(
          `KUBENTLY_TOKEN_FILE: cannot read ${tokenFile}: ${(error as Error).message}`,
        );
      }
    };
    if (!read()) throw new ExecutorConfigError(`KUBENTLY_TOKEN_FILE: ${tokenFile} is empty`);
    token = read;
  } else if (tokenValue) {
    token = () => tokenValue;
  } else {
    throw new ExecutorConfigError("KUBENTLY_TOKEN or KUBENTLY_TOKEN_FILE (--token-file) is required");
  }

  const transport = pick(flags.transport, "KUBENTLY_TRANSPORT") ?? "auto";
  if (!TRANSPORTS.includes(transport)) {
    throw new ExecutorConfigError(
      `KUBENTLY_TRANSPORT must be one of ${TRANSPORTS.join(", ")}, got '${transport}'`,
    );
  }

  const runner = pick(flags.runner, "KUBENTLY_RUNNER") ?? "kubectl";
  if (runner !== "kubectl" && runner !== "echo") {
    throw new ExecutorConfigError(`KUBENTLY_RUNNER must be kubectl or echo, got '${runner}'`);
  }

  // Checked now, not at the first command: an executor that cannot run kubectl should not connect.
  const kubectl = pick(flags.kubectl, "KUBENTLY_KUBECTL") ?? "kubectl";
  if (runner === "kubectl" && Bun.which(kubectl, { PATH: env.PATH ?? "" }) === null) {
    throw new ExecutorConfigError(
      // A name with a slash is a path, as for exec; anything else is looked up on PATH.
      kubectl.includes("/")
        ? `KUBENTLY_KUBECTL (--kubectl): ${kubectl} is not an executable file`
        : `KUBENTLY_KUBECTL (--kubectl): no ${kubectl} on PATH; install kubectl or give its path`,
    );
  }

  const caFile = pick(flags.caFile, "KUBENTLY_CA_FILE");
  let caBundle: string | undefined;
  if (caFile) {
    try {
      caBundle = readFileSync(caFile, "utf8");
    } catch (error) {
      throw new ExecutorConfigError(`KUBENTLY_CA_FILE: cannot read ${caFile}: ${(error as Error).message}`);
    }
    if (!caBundle.includes("-----BEGIN CERTIFICATE-----")) {
      throw new ExecutorConfigError(`KUBENTLY_CA_FILE: ${caFile} holds no PEM certificate`);
    }
  }

  const logLevel = pick(flags.logLevel, "KUBENTLY_LOG_LEVEL") ?? "info";
  if (!(LOG_LEVELS as string[]).includes(logLevel)) {
    throw new ExecutorConfigError(
      `KUBENTLY_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got '${logLevel}'`,
    );
  }
  // Made here, so a path that cannot be a folder is a configuration error, not a stack trace.
  const cacheDir =
    pick(flags.cacheDir, "KUBENTLY_CACHE_DIR") ?? join(tmpdir(), `kubently-kubectl-cache-${clusterId}`);
  try {
    mkdirSync(cacheDir, { recursive: true });
  } catch (error) {
    throw new ExecutorConfigError(
      `KUBENTLY_CACHE_DIR: cannot create ${cacheDir}: ${(error as Error).message}`,
    );
  }

  return {
    runner,
    caBundle,
    apiUrl: `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, ""),
    clusterId,
    token,
    kubectl,
    transport: transport as TransportChoice,
    policyFile: pick(flags.policy, "KUBENTLY_POLICY"),
    serviceAccountDir: pick(flags.serviceaccountDir, "KUBENTLY_SERVICEACCOUNT_DIR") ?? SERVICE_ACCOUNT_DIR,
    cacheDir,
    livenessFile: pick(flags.livenessFile, "KUBENTLY_LIVENESS_FILE"),
    logLevel: logLevel as LogLevel,
  };
}
