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
  Health,
  IssuedToken,
  Session,
} from "../models";

export interface KubentlyApi {
  createSession(input: CreateSessionRequest): Promise<Session>;
  /** The session while it is open; SESSION_NOT_FOUND once it ended or expired. */
  getSession(sessionId: string): Promise<Session>;
  endSession(sessionId: string): Promise<void>;
  /** The command's result; a denial (403), timeout (504) or other refusal throws ApiError. */
  execute(request: ExecuteRequest): Promise<CommandResult>;
  listClusters(): Promise<ClusterView[]>;
}

export interface KubentlyAdminApi {
  issueToken(clusterId: string, rotate: boolean): Promise<IssuedToken>;
  revokeToken(clusterId: string): Promise<void>;
  /** One page of GET /audit; `after` and `limit` default as on the server (0, 100). */
  readAudit(query: Partial<AuditPageQuery>): Promise<AuditPage>;
  health(): Promise<Health>;
}
