/** Builders for the primitives, with only what a test cares about spelled out. */

import { DEFAULT_POLICY } from "../../executor/policy";
import { DEFAULT_RULE_NAMES } from "../../executor/redact";
import pkg from "../../package.json" with { type: "json" };
import type { AuditRecord, Command, CommandResult, ExecutorPolicy, Session } from "../../src/models";

export function makeCommand(clusterId: string, overrides: Partial<Command> = {}): Command {
  const now = Date.now();
  return {
    command_id: crypto.randomUUID(),
    cluster_id: clusterId,
    command_type: "get",
    args: ["pods"],
    timeout_seconds: 30,
    deadline_ms: now + 30_000,
    correlation_id: "test-correlation",
    service_identity: "tester",
    created_at: new Date(now).toISOString(),
    ...overrides,
  };
}

/** A successful result for `command` (only its ids are needed, and its correlation id if any). */
export function makeResult(
  command: Pick<Command, "command_id" | "cluster_id"> & Partial<Pick<Command, "correlation_id">>,
  overrides: Partial<CommandResult> = {},
): CommandResult {
  return {
    command_id: command.command_id,
    cluster_id: command.cluster_id,
    status: "success",
    exit_code: 0,
    stdout: `output of ${command.command_id}`,
    stderr: "",
    truncated: false,
    execution_time_ms: 3,
    correlation_id: command.correlation_id,
    completed_at: new Date().toISOString(),
    ...overrides,
  };
}

/**
 * What an executor running the default policy reports (with a cluster to read: native reads on).
 * Its limits are the defaults' own, so a change of default is not a change of the report.
 */
export const DEFAULT_POLICY_REPORT: ExecutorPolicy = Object.freeze({
  mode: "readOnly",
  allowed_namespaces: ["*"],
  denied_namespaces: [],
  restricted_resources: ["secrets"],
  max_timeout_seconds: DEFAULT_POLICY.maxTimeoutSeconds,
  default_timeout_seconds: DEFAULT_POLICY.defaultTimeoutSeconds,
  max_output_bytes: DEFAULT_POLICY.maxOutputBytes,
  max_follow_seconds: DEFAULT_POLICY.maxFollowSeconds,
  native_reads: true,
  redaction_rules: [...DEFAULT_RULE_NAMES],
  impersonation: false,
  executor_version: pkg.version,
});

/** An executor's policy report: one unlike the defaults, with what a test sets. */
export function makePolicy(overrides: Partial<ExecutorPolicy> = {}): ExecutorPolicy {
  return {
    mode: "extendedReadOnly",
    allowed_namespaces: ["shop", "team-*"],
    denied_namespaces: [],
    restricted_resources: ["secrets", "configmaps"],
    max_timeout_seconds: 120,
    default_timeout_seconds: 20,
    max_output_bytes: 65_536,
    native_reads: true,
    redaction_rules: [],
    impersonation: true,
    executor_version: "9.9.9",
    ...overrides,
  };
}

export function makeSession(clusterId: string, ttlMs = 300_000, overrides: Partial<Session> = {}): Session {
  const now = Date.now();
  return {
    session_id: crypto.randomUUID(),
    cluster_id: clusterId,
    user_id: "alice",
    service_identity: "tester",
    correlation_id: "test-correlation",
    created_at: new Date(now).toISOString(),
    expires_at: new Date(now + ttlMs).toISOString(),
    ttl_seconds: Math.max(1, Math.round(ttlMs / 1000)),
    ...overrides,
  };
}

export function makeAuditRecord(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id: crypto.randomUUID(),
    at: new Date().toISOString(),
    action: "command",
    outcome: "accepted",
    identity: "tester",
    cluster_id: "alpha",
    command_id: crypto.randomUUID(),
    correlation_id: "test-correlation",
    command_type: "get",
    args: ["pods"],
    ...overrides,
  };
}
