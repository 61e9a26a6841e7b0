/**
 * Owns `kubectl version` (and `--client`) answered natively: the client's own versions, asked of the
 * kubectl binary once (`kubectl version --client -o json`, no cluster involved) and kept; the
 * server's from /version, read afresh as kubectl does; and kubectl's warning when the two are more
 * than one minor version apart; with -o json|yaml, both as kubectl's Version struct. A version
 * that is not strict semver runs kubectl.
 * A "dispatcher" kubectl (its client version ends in -dispatcher) hands every command to the kubectl
 * release matching the server's minor version: unless the server's minor is its own, the client
 * version it would report is not the one it reports alone, so the command runs kubectl.
 */
import { parseKubectlArgv } from "../policy";
import type { KubeFetch } from "./client";
import { goJsonInOrder } from "./go-json";
import { goYaml } from "./go-yaml";
import type { NativeOutput } from "./output";

export interface ClientVersion {
  gitVersion: string;
  kustomizeVersion: string;
  /** The client's version.Info as kubectl writes it: its fields in the struct's order. */
  info: Record<string, string>;
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
        const body = JSON.parse(text) as { clientVersion?: unknown; kustomizeVersion?: unknown };
        const info = body.clientVersion;
        const kustomizeVersion = body.kustomizeVersion;
        const fields = info !== null && typeof info === "object" ? Object.entries(info) : [];
        if (code !== 0 || typeof kustomizeVersion !== "string") return undefined;
        if (fields.length === 0 || !fields.every(([, value]) => typeof value === "string")) return undefined;
        const strings = Object.fromEntries(fields) as Record<string, string>;
        const gitVersion = strings.gitVersion;
        return typeof gitVersion === "string" ? { gitVersion, kustomizeVersion, info: strings } : undefined;
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
  let output: "json" | "yaml" | undefined;
  for (const { name, value, known } of parsed.flags) {
    if (!known) return undefined;
    if (name === "output" && (value === "json" || value === "yaml")) output = value;
    else if (name !== "client" || (value !== undefined && value !== "true" && value !== "false"))
      return undefined;
    else clientOnly = value !== "false";
  }
  const versions = await client();
  if (versions === undefined) return undefined;
  let server: Record<string, unknown> | undefined;
  if (!clientOnly) {
    const response = await fetch("/version", "application/json, */*");
    const body: unknown = response.ok ? await response.json().catch(() => undefined) : undefined;
    if (
      body === null ||
      typeof body !== "object" ||
      typeof (body as { gitVersion?: unknown }).gitVersion !== "string"
    )
      return undefined;
    server = body as Record<string, unknown>;
  }
  const stdout = output === undefined ? plain(versions, server) : asDocument(output, versions, server);
  if (stdout === undefined) return undefined;
  if (server === undefined) return { stdout, stderr: "", exitCode: 0 };
  const serverVersion = server.gitVersion as string;
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

function plain(versions: ClientVersion, server: Record<string, unknown> | undefined): string {
  const lines = [`Client Version: ${versions.gitVersion}`, `Kustomize Version: ${versions.kustomizeVersion}`];
  if (server) lines.push(`Server Version: ${server.gitVersion as string}`);
  return lines.map((line) => `${line}\n`).join("");
}

/**
 * -o json|yaml: kubectl's Version struct (clientVersion, kustomizeVersion, serverVersion), each
 * version.Info with the fields the client's has, in its order (the server's read into the same
 * struct: what it lacks is "", what the struct lacks is dropped); JSON indented by two spaces, then
 * Fprintln's newline (after YAML's own too); undefined where a server field is not a string.
 */
function asDocument(
  output: "json" | "yaml",
  versions: ClientVersion,
  server: Record<string, unknown> | undefined,
): string | undefined {
  let serverInfo: Record<string, string> | undefined;
  if (server) {
    const fields = Object.keys(versions.info).map((key) => [key, server[key] ?? ""] as const);
    if (!fields.every(([, value]) => typeof value === "string")) return undefined;
    serverInfo = Object.fromEntries(fields) as Record<string, string>;
  }
  const document = {
    clientVersion: versions.info,
    kustomizeVersion: versions.kustomizeVersion,
    ...(serverInfo ? { serverVersion: serverInfo } : {}),
  };
  if (output === "json") return goJsonInOrder(document, 2);
  const yaml = goYaml(document);
  return yaml === undefined ? undefined : `${yaml}\n`;
}
