/**
 * The audit trail over real HTTP, on the embedded store and on a throwaway Redis: what each command
 * decision and admin action records (and never records), and GET /audit's filters, cursor and errors.
 * A protocol-level executor answers commands as each test needs.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { AuditEntry, CommandResult, ErrorBody } from "../../src/models";
import { connectSse, type Handler, type ProtocolExecutor, postResult } from "../support/protocol-executor";
import { ADMIN_KEY, CLIENT_KEY, json, startTestServer, type TestServer } from "../support/server";
import { useStores } from "../support/stores";
import { auditEntries, auditPage } from "./helpers";

/** Output that must never reach the trail. */
const OUTPUT = "NAME    READY\nweb-1   1/1   output-marker-7f3a\n";

/** Answers by the command's first argument, so each test picks what the executor does. */
const answers: Handler = (command) => {
  switch (command.args[0]) {
    case "denied":
      return {
        status: "denied",
        exit_code: null,
        reason: "secrets are not readable",
        denial_code: "RESOURCE_RESTRICTED",
      };
    case "broken":
      return { status: "failure", exit_code: 1, stderr: "error: output-marker-7f3a\n" };
    case "slow":
      return { status: "timeout", exit_code: null, stdout: OUTPUT, execution_time_ms: 1_000.4 };
    case "silent":
      return "ignore";
    default:
      return { stdout: OUTPUT, execution_time_ms: 41.6 };
  }
};

const { redis } = useStores("trail");

for (const backend of ["memory", "redis"] as const) {
  describe(`audit trail on ${backend}`, () => {
    let server: TestServer;
    let executor: ProtocolExecutor;
    let executorToken: string;
    beforeAll(async () => {
      server = await startTestServer({ storeUrl: backend === "redis" ? redis().url : "memory://" });
      executorToken = await server.registerCluster("audited");
      executor = await connectSse(server.url, "audited", executorToken, answers);
    });
    afterAll(async () => {
      executor.close();
      await server.stop();
    });

    const execute = (args: string[], headers: Record<string, string> = {}) =>
      server.client("/debug/execute", {
        ...json({ cluster_id: "audited", command_type: "get", args }),
        headers,
      });
    /** The trail's entries about one command, oldest first. */
    const aboutCommand = async (commandId: string) =>
      (await auditEntries(server, { cluster_id: "audited" })).filter((e) => e.command_id === commandId);
    const commandIdOf = async (response: Response) => {
      const body = (await response.json()) as CommandResult | ErrorBody;
      return "command_id" in body ? body.command_id : String(body.details.context.command_id);
    };

    test("a command that ran: accepted, then succeeded with who, what, sizes and times, never the output", async () => {
      const response = await server.client("/debug/execute", {
        ...json({
          cluster_id: "audited",
          command_type: "get",
          args: ["pods", "-o", "wide"],
          namespace: "shop",
        }),
        headers: { "x-correlation-id": "trace-audit-1", "x-service-identity": "triage-bot" },
      });
      expect(response.status).toBe(200);
      const entries = await aboutCommand(await commandIdOf(response));
      const who = {
        action: "command",
        identity: "agent",
        requested_by: "triage-bot",
        cluster_id: "audited",
        correlation_id: "trace-audit-1",
        command_type: "get",
        args: ["pods", "-o", "wide"],
        namespace: "shop",
      };
      expect(entries).toEqual([
        expect.objectContaining({ ...who, outcome: "accepted", timeout_seconds: 30 }),
        expect.objectContaining({
          ...who,
          outcome: "succeeded",
          exit_code: 0,
          execution_ms: 42,
          stdout_bytes: Buffer.byteLength(OUTPUT),
          stderr_bytes: 0,
          truncated: false,
        }),
      ]);
      const [accepted, answered] = entries as [AuditEntry, AuditEntry];
      expect(answered.duration_ms).toBeGreaterThanOrEqual(0);
      expect(Date.parse(answered.at)).toBeGreaterThanOrEqual(Date.parse(accepted.at));
      expect(answered.seq).toBeGreaterThan(accepted.seq);
      expect(JSON.stringify(entries)).not.toContain("output-marker");
    });

    test("denied, failed and kubectl-timed-out results carry their codes, never the output", async () => {
      const [denied, broken, slow] = await Promise.all([
        execute(["denied"]),
        execute(["broken"]),
        execute(["slow"]),
      ]);
      expect([denied.status, broken.status, slow.status]).toEqual([403, 200, 504]);
      const outcomes = await Promise.all(
        [denied, broken, slow].map(async (response) =>
          (await aboutCommand(await commandIdOf(response))).at(-1),
        ),
      );
      expect(outcomes).toEqual([
        expect.objectContaining({
          outcome: "denied",
          denial_code: "RESOURCE_RESTRICTED",
          error_code: "COMMAND_DENIED",
          stdout_bytes: 0,
        }),
        expect.objectContaining({ outcome: "failed", exit_code: 1, stderr_bytes: 26 }),
        expect.objectContaining({
          outcome: "timed_out",
          error_code: "COMMAND_TIMEOUT",
          execution_ms: 1_000,
          stdout_bytes: Buffer.byteLength(OUTPUT),
        }),
      ]);
      expect(outcomes[2]).not.toHaveProperty("exit_code");
      expect(JSON.stringify(outcomes)).not.toContain("output-marker");
    });

    test("no result in time: timed_out when the executor held it, executor_offline when none took it", async () => {
      await server.registerCluster("unattended");
      const [held, untaken] = await Promise.all([
        execute(["silent"], { "x-request-timeout": "1" }),
        server.client("/debug/execute", {
          ...json({ cluster_id: "unattended", command_type: "get", args: ["pods"] }),
          headers: { "x-request-timeout": "1" },
        }),
      ]);
      expect([held.status, untaken.status]).toEqual([504, 504]);
      const heldId = await commandIdOf(held);
      const untakenId = await commandIdOf(untaken);
      expect((await aboutCommand(heldId)).map((e) => [e.outcome, e.error_code])).toEqual([
        ["accepted", undefined],
        ["timed_out", "COMMAND_TIMEOUT"],
      ]);
      const offline = await auditEntries(server, { cluster_id: "unattended", action: "command" });
      expect(offline).toEqual([
        expect.objectContaining({ command_id: untakenId, outcome: "accepted", timeout_seconds: 1 }),
        expect.objectContaining({
          command_id: untakenId,
          outcome: "executor_offline",
          error_code: "EXECUTOR_OFFLINE",
        }),
      ]);
      expect(offline[1]?.duration_ms).toBeGreaterThanOrEqual(1_000);
    });

    test("an async operation is audited like a synchronous command, its result when it is stored", async () => {
      const response = await server.client(
        "/debug/execute/async",
        json({ cluster_id: "audited", command_type: "get", args: ["silent", "async"] }),
      );
      expect(response.status).toBe(202);
      const { operation_id } = (await response.json()) as { operation_id: string };
      expect((await aboutCommand(operation_id)).map((e) => e.outcome)).toEqual(["accepted"]);

      let command = await executor.nextCommand();
      while (command.command_id !== operation_id) command = await executor.nextCommand();
      const posted = await postResult(server.url, "audited", executorToken, command, { stdout: OUTPUT });
      expect(posted.status).toBe(200);
      // A repeated post stores nothing, so it adds no entry either.
      await postResult(server.url, "audited", executorToken, command, { stdout: OUTPUT });
      expect(await aboutCommand(operation_id)).toEqual([
        expect.objectContaining({ outcome: "accepted", identity: "agent" }),
        expect.objectContaining({ outcome: "succeeded", stdout_bytes: Buffer.byteLength(OUTPUT) }),
      ]);
    });

    test("credentials in kubectl arguments are masked", async () => {
      const response = await execute(["pods", "--token=abc-secret-1", "--password", "hunter2-secret", "-A"]);
      const entries = await aboutCommand(await commandIdOf(response));
      expect(entries.map((e) => e.args)).toEqual([
        ["pods", "--token=***", "--password", "***", "-A"],
        ["pods", "--token=***", "--password", "***", "-A"],
      ]);
      expect(JSON.stringify(entries)).not.toMatch(/abc-secret|hunter2/);
    });

    test("admin actions, done or refused, with the admin's identity and never a token or key", async () => {
      const issue = (query = "") =>
        server.admin(`/admin/clusters/admin-acts/token${query}`, { method: "POST" });
      const revoke = () => server.admin("/admin/clusters/admin-acts/token", { method: "DELETE" });
      const created = await issue();
      expect((await issue()).status).toBe(409);
      const rotated = await issue("?rotate=true");
      expect((await revoke()).status).toBe(204);
      expect((await revoke()).status).toBe(404);
      const tokens = await Promise.all(
        [created, rotated].map(async (r) => ((await r.json()) as { token: string }).token),
      );

      const entries = await auditEntries(server, { cluster_id: "admin-acts" });
      expect(
        entries.map(({ action, outcome, error_code, identity }) => ({
          action,
          outcome,
          error_code,
          identity,
        })),
      ).toEqual([
        { action: "token.create", outcome: "succeeded", error_code: undefined, identity: "ops" },
        { action: "token.create", outcome: "refused", error_code: "TOKEN_EXISTS", identity: "ops" },
        { action: "token.rotate", outcome: "succeeded", error_code: undefined, identity: "ops" },
        { action: "token.revoke", outcome: "succeeded", error_code: undefined, identity: "ops" },
        { action: "token.revoke", outcome: "refused", error_code: "CLUSTER_NOT_FOUND", identity: "ops" },
      ]);
      const everything = JSON.stringify(await auditEntries(server));
      for (const secret of [...tokens, executorToken, ADMIN_KEY, CLIENT_KEY])
        expect(everything).not.toContain(secret);
    });

    test("GET /audit pages oldest first by cursor, and filters by cluster, identity, action, outcome and time", async () => {
      for (const cluster of ["filter-a", "filter-b"]) await server.registerCluster(cluster);
      await server.admin("/admin/clusters/filter-a/token", { method: "POST" });
      const all = await auditEntries(server);
      expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));

      const paged: AuditEntry[] = [];
      let page = await auditPage(server, { limit: 3 });
      paged.push(...page.entries);
      while (page.next_after !== null) {
        expect(page.entries.length).toBeLessThanOrEqual(3);
        page = await auditPage(server, { limit: 3, after: page.next_after });
        paged.push(...page.entries);
      }
      expect(paged).toEqual(all);
      const last = all.at(-1) as AuditEntry;
      expect(page.head).toEqual({ seq: last.seq, hash: last.hash });

      const filterA = all.filter((e) => e.cluster_id === "filter-a");
      expect(await auditEntries(server, { cluster_id: "filter-a" })).toEqual(filterA);
      expect(await auditEntries(server, { cluster_id: "filter-a", outcome: "refused" })).toEqual(
        filterA.filter((e) => e.outcome === "refused"),
      );
      expect(await auditEntries(server, { identity: "agent", action: "command" })).toEqual(
        all.filter((e) => e.identity === "agent" && e.action === "command"),
      );
      const first = filterA[0] as AuditEntry;
      expect(await auditEntries(server, { cluster_id: "filter-a", from: first.at })).toEqual(filterA);
      expect(await auditEntries(server, { cluster_id: "filter-a", to: first.at })).toEqual([]);
      expect(await auditEntries(server, { from: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
    });

    test("bad input answers in the error format, and only admin keys read the trail", async () => {
      const codeOf = async (response: Response) => [
        response.status,
        ((await response.json()) as ErrorBody).details.code,
      ];
      expect(
        await codeOf(await server.admin("/audit?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z")),
      ).toEqual([400, "INVALID_TIME_RANGE"]);
      for (const query of [
        "limit=1001",
        "limit=0",
        "after=-1",
        "from=yesterday",
        "outcome=maybe",
        "bogus=1",
      ]) {
        expect(await codeOf(await server.admin(`/audit?${query}`))).toEqual([400, "VALIDATION_ERROR"]);
      }
      expect(await codeOf(await server.client("/audit"))).toEqual([401, "UNAUTHORIZED"]);
    });
  });
}
