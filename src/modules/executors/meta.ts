/**
 * What the delivery loop knows of one executor connection (its cluster, version and transport, and
 * how to re-check its credential), read from the connecting request alike for every transport.
 */
import type { Static } from "elysia";
import { type AuthService, bearerToken } from "../auth/service";
import type { ExecutorHeaders } from "./model";
import type { ExecutorMeta } from "./service";

export function connectionMeta(
  auth: AuthService,
  transport: ExecutorMeta["transport"],
  clusterId: string,
  headers: Static<typeof ExecutorHeaders>,
): ExecutorMeta {
  const token = bearerToken(headers.authorization);
  return {
    clusterId,
    version: headers["x-executor-version"] ?? null,
    transport,
    // A stream outlives the check made as it opened, so a revoked or rotated token must end it; a
    // long-poll is one request, checked as it arrived.
    stillAuthorized: transport === "poll" ? async () => true : () => auth.verifyExecutor(clusterId, token),
  };
}
