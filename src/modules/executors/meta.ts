/**
 * What the delivery loop knows of one executor connection (its cluster, version, transport and
 * reported policy, and how to re-check its credential), read from the connecting request alike for
 * every transport.
 */
import type { Static } from "elysia";
import { type AuthService, bearerToken } from "../auth/service";
import type { ExecutorHeaders } from "./model";
import type { PolicyReports } from "./policy-report";
import type { ExecutorMeta } from "./service";

export function connectionMeta(
  auth: AuthService,
  reports: PolicyReports,
  transport: ExecutorMeta["transport"],
  clusterId: string,
  headers: Static<typeof ExecutorHeaders>,
): ExecutorMeta {
  const token = bearerToken(headers.authorization);
  return {
    clusterId,
    version: headers["x-executor-version"] ?? null,
    transport,
    policy: reports(clusterId, headers["x-executor-policy"]),
    // A stream outlives the check made as it opened, so a revoked or rotated token must end it; a
    // long-poll is one request, checked as it arrived.
    stillAuthorized: transport === "poll" ? async () => true : () => auth.verifyExecutor(clusterId, token),
  };
}
