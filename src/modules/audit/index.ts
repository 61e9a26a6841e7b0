/**
 * Audit controller: GET /audit pages through the audit trail (admin keys only), oldest first, with
 * filters. Verifying the chain is the reader's job (`kubently audit verify`), so that it need not
 * trust the server that serves the entries.
 */
import { Elysia } from "elysia";
import { badRequest } from "../../http/errors";
import { AuditPage, ErrorBody } from "../../models";
import { authGuard } from "../auth/guard";
import type { AuthService } from "../auth/service";
import { AuditListQuery } from "./model";
import type { AuditTrail } from "./service";

export const auditModule = (auth: AuthService, audit: AuditTrail) =>
  new Elysia({ tags: ["Audit"], detail: { security: [{ adminKey: [] }] } }).use(authGuard(auth)).get(
    "/audit",
    async ({ query: { from, to, ...query } }) => {
      const fromMs = from === undefined ? undefined : Date.parse(from);
      const toMs = to === undefined ? undefined : Date.parse(to);
      if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) {
        throw badRequest("INVALID_TIME_RANGE", "`from` is after `to`", { from, to });
      }
      const page = await audit.read({ ...query, from_ms: fromMs, to_ms: toMs });
      // Served as stored, past response validation: an entry someone tampered with into another shape
      // must reach the verifier, not turn the whole page into an error.
      return new Response(JSON.stringify(page), { headers: { "content-type": "application/json" } });
    },
    {
      admin: true,
      query: AuditListQuery,
      response: { 200: AuditPage, 400: ErrorBody, 401: ErrorBody },
      detail: {
        operationId: "listAuditEntries",
        summary: "Read the audit trail",
        description:
          "Every command decision (accepted; then succeeded, failed, denied, timed_out or executor_offline) " +
          "and every executor-token action, oldest first. Entries say who, what, when and how it ended, " +
          "with output sizes but never output, and never a token or key. Each carries `prev_hash` and " +
          "its own `hash` (SHA-256 over the entry without `hash` as canonical JSON: keys sorted, no " +
          "whitespace), so editing, removing or reordering entries is detectable: walk the trail with " +
          "`after` from 0 until `next_after` is null and check every link and, at the end, `head` " +
          "(`kubently audit verify` does). Entries recorded by the replica that answers are included; " +
          "other replicas' newest ones may take a moment to appear.",
        responses: {
          200: { description: "A page of entries, the cursor for the next one, and the chain's head." },
          400: {
            description:
              "`INVALID_TIME_RANGE`: `from` is after `to`. `VALIDATION_ERROR`: a filter, `after` or " +
              "`limit` (1-1000) is malformed.",
          },
        },
      },
    },
  );
