/**
 * What every transport shares: how to reach the API as this cluster's executor, and where received
 * commands go. A transport runs one connection; `connection.ts` owns reconnecting. A transport reads
 * frames and hands over what they carry unchecked: `inbound.ts` decides what is a command.
 */
import { Type as t } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { type CommandResult, ErrorBody, type OutputChunk, POLICY_HEADER } from "../../src/models";
import type { ExecutorLog } from "../log";

export interface Endpoint {
  apiUrl: string;
  clusterId: string;
  version: string;
  /** Stable per process: the server keys long-poll leases by it. */
  executorId: string;
  /** Read at each connection, so a rotated token file is picked up without a restart. */
  token(): string;
  /** Extra trust for the API's certificate (a private CA); the system's CAs always apply. */
  tls: { ca: string } | undefined;
  /** The encoded policy report (policy-report.ts) each connection carries; absent when not reported. */
  policy?: string;
}

/**
 * How a result sent over a live channel fared: acknowledged; not (the channel closed, or the server
 * refused it there); or refused as larger than the server takes on the channel.
 */
export type ChannelDelivery = "acked" | "failed" | "too-large";

/** A live channel that can carry results back (WebSocket); HTTP is the fallback. */
export interface ResultChannel {
  sendResult(result: CommandResult): Promise<ChannelDelivery>;
  /** Sends a streamed command's output as it arrives; absent when the server takes no chunks. */
  sendChunk?(chunk: OutputChunk): void;
}

export interface TransportContext {
  endpoint: Endpoint;
  log: ExecutorLog;
  /** Takes what the server sent as a command, parsed from JSON but not yet checked. */
  receive(command: unknown): void;
  /** Notes a message that could not be read at all (not JSON, say); it is skipped. */
  skip(problem: string): void;
  /** The server says the caller streaming this command went away: stop it. */
  cancel(commandId: string): void;
  /**
   * Called once the server has accepted the connection (resets the reconnect backoff); `httpChunks`
   * when it takes streamed output at POST /executor/chunks.
   */
  connected(channel?: ResultChannel, httpChunks?: boolean): void;
  signal: AbortSignal;
  /** How long a silent connection lives; READ_IDLE_MS unless a test says otherwise. */
  readIdleMs?: number;
}

export type TransportName = "sse" | "ws" | "poll";

/** Runs one connection until it ends. Throws ConnectError when the server refused or was unreachable. */
export type Transport = (context: TransportContext) => Promise<void>;

export class ConnectError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = "ConnectError";
  }
}

export function executorHeaders(endpoint: Endpoint): Record<string, string> {
  return {
    authorization: `Bearer ${endpoint.token()}`,
    "x-cluster-id": endpoint.clusterId,
    "x-executor-version": endpoint.version,
    "x-executor-id": endpoint.executorId,
  };
}

/** What a connecting request sends: the executor's headers and, where there is one, its policy report. */
export function connectionHeaders(endpoint: Endpoint): Record<string, string> {
  const headers = executorHeaders(endpoint);
  if (endpoint.policy !== undefined) headers[POLICY_HEADER] = endpoint.policy;
  return headers;
}

/** The part of the API's error format a refusal quotes; its size is the server's choice, so it is cut. */
const errorMessage = TypeCompiler.Compile(t.Pick(ErrorBody, ["error"]));
const MAX_QUOTED_ERROR = 200;

export async function refusal(response: Response): Promise<ConnectError> {
  let message = `HTTP ${response.status}`;
  try {
    const body: unknown = await response.json();
    if (errorMessage.Check(body) && body.error) message += `: ${body.error.slice(0, MAX_QUOTED_ERROR)}`;
  } catch {
    // not JSON (a proxy's page, say): the status says enough
  }
  return new ConnectError(message, response.status);
}
