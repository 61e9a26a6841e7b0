/**
 * KubentlyApi: what a caller of Kubently can do, as one small interface. The CLI and the stdio MCP
 * server reach a remote server through its HTTP implementation; the server's own /mcp endpoint
 * uses an in-process one. Failures are ApiError values in both, so callers handle one shape.
 */
import type { CommandResult, Session } from "../models";
import type { AuditListQuery, AuditPage } from "../modules/audit/model";
import type { ClusterView } from "../modules/clusters/service";
import type { HealthReport } from "../modules/health/service";

export interface NewSessionInput {
  cluster_id: string;
  user_id?: string;
  correlation_id?: string;
  ttl_seconds?: number;
}

export interface ExecuteRequest {
  cluster_id?: string;
  session_id?: string;
  command_type: string;
  args: string[];
  namespace?: string;
  timeout_seconds?: number;
  correlation_id?: string;
}

export interface IssuedToken {
  cluster_id: string;
  token: string;
  rotated: boolean;
}

export interface KubentlyApi {
  createSession(input: NewSessionInput): Promise<Session>;
  endSession(sessionId: string): Promise<void>;
  /** The command's result; a denial (403), timeout (504) or other refusal throws ApiError. */
  execute(request: ExecuteRequest): Promise<CommandResult>;
  listClusters(): Promise<ClusterView[]>;
}

export interface KubentlyAdminApi {
  issueToken(clusterId: string, rotate: boolean): Promise<IssuedToken>;
  revokeToken(clusterId: string): Promise<void>;
  /** One page of GET /audit; `after` and `limit` default as on the server (0, 100). */
  readAudit(query: Partial<AuditListQuery>): Promise<AuditPage>;
  health(): Promise<HealthReport>;
}
