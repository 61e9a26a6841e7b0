/**
 * KubentlyApi: what a caller of Kubently can do, as one small interface. The CLI and the stdio MCP
 * server reach a remote server through its HTTP implementation; the server's own /mcp endpoint
 * uses an in-process one. Failures are ApiError values in both, so callers handle one shape.
 */
import type {
  AuditPage,
  AuditPageQuery,
  ClusterView,
  CommandResult,
  CreateSessionRequest,
  ExecuteRequest,
  FleetAnswer,
  FleetExecuteRequest,
  Health,
  IssuedToken,
  OutputPage,
  OutputPageQuery,
  Session,
} from "../models";

export interface KubentlyApi {
  createSession(input: CreateSessionRequest): Promise<Session>;
  /** The session while it is open; SESSION_NOT_FOUND once it ended or expired. */
  getSession(sessionId: string): Promise<Session>;
  endSession(sessionId: string): Promise<void>;
  /** The command's result; a denial (403), timeout (504) or other refusal throws ApiError. */
  execute(request: ExecuteRequest): Promise<CommandResult>;
  /**
   * As execute, with the output told to `onChunk` as the executor sends it (Accept: text/event-stream);
   * absent where output cannot be streamed (in process).
   */
  executeStreaming?(request: ExecuteRequest, onChunk: (chunk: StreamedChunk) => void): Promise<CommandResult>;
  /** One command on many clusters: an answer per cluster; only a refusal of the whole call throws. */
  executeFleet(request: FleetExecuteRequest): Promise<FleetAnswer>;
  /**
   * As executeFleet, told the clusters once queued and each cluster's output as its executor sends
   * it (Accept: text/event-stream); absent where output cannot be streamed (in process).
   */
  executeFleetStreaming?(request: FleetExecuteRequest, on: FleetListener): Promise<FleetAnswer>;
  listClusters(): Promise<ClusterView[]>;
  /** A page of a command's whole output (its result's output handle is the command id). */
  readOutput(commandId: string, query: OutputPageQuery): Promise<OutputPage>;
}

/** A piece of a streamed command's output: whole lines of one stream. */
export interface StreamedChunk {
  stream: "stdout" | "stderr";
  text: string;
}

/** What a streamed fleet call tells as it goes. */
export interface FleetListener {
  accepted?(clusterIds: string[]): void;
  chunk(chunk: StreamedChunk & { cluster_id: string }): void;
}

export interface KubentlyAdminApi {
  issueToken(clusterId: string, rotate: boolean): Promise<IssuedToken>;
  revokeToken(clusterId: string): Promise<void>;
  /** Replaces the cluster's labels (PUT /admin/clusters/{id}/labels); answers them. */
  setClusterLabels(clusterId: string, labels: Record<string, string>): Promise<Record<string, string>>;
  /** One page of GET /audit; `after` and `limit` default as on the server (0, 100). */
  readAudit(query: Partial<AuditPageQuery>): Promise<AuditPage>;
  health(): Promise<Health>;
}
