/**
 * Owns `kubectl version` (and `--client`) answered natively: the client's own versions, asked of the
 * kubectl binary once (`kubectl version --client -o json`, no cluster involved) and kept; the
 * server's from /version, read afresh as kubectl does; and kubectl's warning when the two are more
 * than one minor version apart. -o json|yaml and a version that is not strict semver run kubectl.
 * A "dispatcher" kubectl (its client version ends in -dispatcher) hands every command to the kubectl
 * release matching the server's minor version: unless the server's minor is its own, the client
 * version it would report is not the one it reports alone, so the command runs kubectl.
 */
import { parseKubectlArgv } from "../policy";
import type { KubeFetch } from "./client";
import type { NativeOutput } from "./output";

export interface ClientVersion {
  gitVersion: string;
  kustomizeVersion: string;
}

/** Asks the kubectl binary for its own versions, once; undefined if it cannot say. */
export function kubectlClientVersion(
  kubectl: string,
  env: Record<string, string>,
): () => Promise<ClientVersion | undefined> {
  let asked: Promise<ClientVersion | undefined> | undefined;
  return () => {
    asked ??= (async () => {
      try {
        const proc = Bun.spawn([kubectl, "version", "--client", "-o", "json"], {
          env,
          stdout: "pipe",
          stderr: "ignore",
        });
        const [text, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
        const body = JSON.parse(text) as {
          clientVersion?: { gitVersion?: unknown };
          kustomizeVersion?: unknown;
        };
        const gitVersion = body.clientVersion?.gitVersion;
        const kustomizeVersion = body.kustomizeVersion;
        return code === 0 && typeof gitVersion === "string" && typeof kustomizeVersion === "string"
          ? { gitVersion, kustomizeVersion }
          : undefined;
      } catch {
        return undefined;
      }
    })();
    return asked;
  };
}

// apimachinery's version.ParseSemantic: an optional v, three numbers, pre-release and build parts.
const SEMVER =
  /^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

function majorMinor(version: string): [number, number] | undefined {
  const match = SEMVER.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

export async function nativeVersion(
  argv: readonly string[],
  fetch: KubeFetch,
  client: () => Promise<ClientVersion | undefined>,
): Promise<NativeOutput | undefined> {
  const parsed = parseKubectlArgv(argv);
  if (parsed.path !== "version" || parsed.issues.length > 0 || parsed.positionals.length > 0)
    return undefined;
  let clientOnly = false;
  for (const { name, value, known } of parsed.flags) {
    if (!known || name !== "client" || (value !== undefined && value !== "true" && value !== "false"))
      return undefined;
    clientOnly = value !== "false";
  }
  const versions = await client();
  if (versions === undefined) return undefined;
  let stdout = `Client Version: ${versions.gitVersion}\nKustomize Version: ${versions.kustomizeVersion}\n`;
  if (clientOnly) return { stdout, stderr: "", exitCode: 0 };
  const response = await fetch("/version", "application/json, */*");
  const body = (response.ok ? await response.json().catch(() => undefined) : undefined) as
    | { gitVersion?: unknown }
    | undefined;
  const serverVersion = body?.gitVersion;
  if (typeof serverVersion !== "string") return undefined;
  stdout += `Server Version: ${serverVersion}\n`;
  const c = majorMinor(versions.gitVersion);
  const s = majorMinor(serverVersion);
  if (c === undefined || s === undefined) return undefined;
  const dispatcher = versions.gitVersion.endsWith("-dispatcher");
  if (dispatcher && (c[0] !== s[0] || c[1] !== s[1])) return undefined;
  const skewed = c[0] !== s[0] || Math.abs(c[1] - s[1]) > 1;
  const stderr = skewed
    ? `WARNING: version difference between client (${c[0]}.${c[1]}) and server (${s[0]}.${s[1]}) exceeds the supported minor version skew of +/-1\n`
    : "";
  return { stdout, stderr, exitCode: 0 };
}
