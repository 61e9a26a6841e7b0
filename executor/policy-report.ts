/**
 * Owns what the executor tells the API about its policy as it connects: the effective values a
 * caller plans with (ExecutorPolicy, the wire model), encoded for the X-Executor-Policy header that
 * every transport sends on every connection. Impersonation is reported on or off, never whom it
 * maps callers to.
 */
import { type ExecutorPolicy, encodePolicyReport, MAX_POLICY_HEADER_BYTES } from "../src/models";
import type { ExecutorLog } from "./log";
import type { Policy } from "./policy";
import { redactorFor } from "./redact";

export interface PolicyFacts {
  version: string;
  /** Whether reads are answered in process: the policy's nativeReads, and a cluster side to answer them. */
  nativeReads: boolean;
}

export function policyReport(policy: Policy, { version, nativeReads }: PolicyFacts): ExecutorPolicy {
  return {
    mode: policy.mode,
    allowed_namespaces: [...policy.allowedNamespaces],
    denied_namespaces: [...policy.deniedNamespaces],
    restricted_resources: [...policy.restrictedResources],
    max_timeout_seconds: policy.maxTimeoutSeconds,
    default_timeout_seconds: policy.defaultTimeoutSeconds,
    max_output_bytes: policy.maxOutputBytes,
    max_follow_seconds: policy.maxFollowSeconds,
    native_reads: nativeReads,
    redaction_rules: [...redactorFor(policy).ruleNames],
    impersonation: policy.impersonate !== undefined,
    executor_version: version,
  };
}

/**
 * The header value, or undefined when the report is too big to send: a policy listing hundreds of
 * namespaces is not reported (the cluster shows no policy) rather than reported in part, which would
 * tell callers namespaces are refused that are not. Said once, at start.
 */
export function policyHeader(report: ExecutorPolicy, log: ExecutorLog): string | undefined {
  const header = encodePolicyReport(report);
  if (header.length <= MAX_POLICY_HEADER_BYTES) return header;
  log("warn", "policy not reported: its summary is too big for a header", {
    encoded_bytes: header.length,
    max_bytes: MAX_POLICY_HEADER_BYTES,
  });
  return undefined;
}
