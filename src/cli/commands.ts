/**
 * The `kubently` client commands: exec (in exec.ts), session, clusters, token, audit, health, mcp, and
 * version, config and completion (in their own files).
 * Each is a thin layer over KubentlyApi (HTTP), so they behave exactly like the REST API they document.
 */
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { type Command, InvalidArgumentError, Option } from "commander";
import { ApiError } from "../http/errors";
import { type AuditEntry, AuditOutcome, ChainVerifier, humanDuration, MAX_AUDIT_PAGE } from "../models";
import { createMcpServer, DEFAULT_MCP_LOGS_TAIL } from "../modules/mcp/tools";
import { registerClusterCommand } from "./cluster";
import { registerCompletionCommand } from "./completion";
import { registerConfigCommands } from "./config-commands";
import { type ConnectionFlags, connect, run, withAdminConnection, withConnection } from "./connection";
import { registerExecCommand } from "./exec";
import { age, print, table, withOutput } from "./output";
import { registerOutputCommand } from "./read-output";
import { wholeNumber } from "./usage";
import { registerVersionCommand } from "./version-command";

/** Adds the client commands to `program`, whose usage errors configureUsageErrors (usage.ts) set up. */
export function registerClientCommands(program: Command): void {
  registerExecCommand(program);
  registerOutputCommand(program);
  registerClusterCommand(program);

  const session = program.command("session").description("Start or end a debugging session.");
  withOutput(
    withConnection(
      session
        .command("start")
        .description("Start a session on a cluster; prints its id.")
        .argument("<cluster>", "cluster id")
        .addOption(new Option("--ttl <seconds>", "session lifetime (default 300)").argParser(wholeNumber(1)))
        .addOption(new Option("--user <id>", "who the session is for"))
        .addHelpText("after", "\nExample:\n  SESSION=$(kubently session start production --ttl 900)"),
    ),
    ["json", "yaml"],
  ).action((cluster: string, flags: ConnectionFlags & { ttl?: number; user?: string }) =>
    run(flags, async () => {
      const created = await connect(flags).createSession({
        cluster_id: cluster,
        ttl_seconds: flags.ttl,
        user_id: flags.user,
      });
      print(flags, created, () => `${created.session_id}\n`);
      return 0;
    }),
  );
  withOutput(
    withConnection(
      session
        .command("get")
        .description("Show a session: its cluster, who it is for, its age and when it expires.")
        .argument("<session-id>")
        .addHelpText("after", "\nExample:\n  kubently session get $SESSION -o wide"),
    ),
    ["json", "yaml", "wide"],
  ).action((sessionId: string, flags: ConnectionFlags) =>
    run(flags, async () => {
      const found = await connect(flags).getSession(sessionId);
      print(flags, found, (wide) => {
        const expires = humanDuration(Date.parse(found.expires_at) - Date.now());
        const row = [found.session_id, found.cluster_id, found.user_id, age(found.created_at), expires];
        const header = ["SESSION", "CLUSTER", "USER", "AGE", "EXPIRES IN"];
        return wide
          ? table(
              [[...row, found.service_identity, found.correlation_id, String(found.ttl_seconds)]],
              [...header, "SERVICE", "CORRELATION ID", "TTL"],
            )
          : table([row], header);
      });
      return 0;
    }),
  );
  withConnection(
    session
      .command("end")
      .description("End a session.")
      .argument("<session-id>")
      .addHelpText("after", "\nExample:\n  kubently session end $SESSION"),
  ).action((sessionId: string, flags: ConnectionFlags) =>
    run(flags, async () => {
      await connect(flags).endSession(sessionId);
      print(flags, { session_id: sessionId, ended: true }, () => `session ${sessionId} ended\n`);
      return 0;
    }),
  );

  withOutput(
    withConnection(
      program
        .command("clusters")
        .description(
          "List clusters, whether their executor is connected, its policy's mode and the cluster's labels.",
        )
        .addHelpText(
          "after",
          "\nExamples:\n  kubently clusters -o wide\n  kubently clusters --json   # with each policy report",
        ),
    ),
    ["json", "yaml", "wide", "name"],
  ).action((flags: ConnectionFlags) =>
    run(flags, async () => {
      const clusters = await connect(flags).listClusters();
      print(flags, clusters, (wide) => {
        if (flags.output === "name") return clusters.map((c) => `${c.cluster_id}\n`).join("");
        const rows = clusters.map((c) => [
          c.cluster_id,
          c.connected ? "connected" : "offline",
          c.transport ?? "-",
          c.executor_version ?? "-",
          age(c.last_seen),
          c.policy?.mode ?? "-",
          ...(wide
            ? [
                Object.entries(c.labels)
                  .map(([key, value]) => `${key}=${value}`)
                  .join(",") || "-",
                c.active ? "open" : "-",
                c.last_seen ?? "never",
              ]
            : []),
        ]);
        const header = ["CLUSTER", "EXECUTOR", "TRANSPORT", "VERSION", "LAST SEEN", "POLICY"];
        return table(rows, wide ? [...header, "LABELS", "SESSION", "LAST CONTACT"] : header);
      });
      return 0;
    }),
  );

  const token = program
    .command("token")
    .description("Issue, rotate or revoke a cluster's executor token (admin).");
  for (const [name, description, rotate] of [
    ["create", "Register a cluster and print its executor token (shown once).", false],
    ["rotate", "Replace a cluster's executor token; the old one stops working at once.", true],
  ] as const) {
    withAdminConnection(
      token
        .command(name)
        .description(description)
        .argument("<cluster>", "cluster id")
        .addHelpText(
          "after",
          `\nExample:\n  KUBENTLY_ADMIN_KEY=... kubently token ${name} production > executor-token`,
        ),
    ).action((cluster: string, flags: ConnectionFlags) =>
      run(flags, async () => {
        const issued = await connect(flags, "admin")
          .issueToken(cluster, rotate)
          .catch(sayHowToRotate(cluster));
        print(flags, issued, () => `${issued.token}\n`);
        return 0;
      }),
    );
  }
  withAdminConnection(
    token
      .command("revoke")
      .description("Revoke a cluster's executor token and disconnect its executors.")
      .argument("<cluster>", "cluster id")
      .addHelpText("after", "\nExample:\n  kubently token revoke production"),
  ).action((cluster: string, flags: ConnectionFlags) =>
    run(flags, async () => {
      await connect(flags, "admin").revokeToken(cluster);
      print(flags, { cluster_id: cluster, revoked: true }, () => `token of ${cluster} revoked\n`);
      return 0;
    }),
  );

  registerAuditCommands(program);

  withOutput(
    withConnection(
      program
        .command("health")
        .description("Show the server's health; exit 1 when it is unhealthy.")
        .addHelpText("after", "\nExample:\n  kubently health --url https://kubently.example.com"),
    ),
    ["json", "yaml"],
  ).action((flags: ConnectionFlags) =>
    run(flags, async () => {
      const report = await connect(flags, "none").health();
      print(
        flags,
        report,
        () =>
          `${report.status}: store ${report.store} (${report.store_kind}), version ${report.version}, up ${report.uptime_seconds} s, ${report.active_sessions ?? "?"} active sessions\n`,
      );
      return report.status === "healthy" ? 0 : 1;
    }),
  );

  withConnection(
    program
      .command("mcp")
      .description("Serve Kubently's MCP tools over stdio, backed by a Kubently server.")
      .addHelpText(
        "after",
        '\nExample MCP client entry:\n  { "command": "kubently", "args": ["mcp", "--url", "https://kubently.example.com"],\n    "env": { "KUBENTLY_API_KEY": "..." } }',
      )
      .addOption(
        new Option("--logs-tail <lines>", "--tail given to logs commands that set none; 0 for none")
          .argParser(wholeNumber(0))
          .default(DEFAULT_MCP_LOGS_TAIL),
      ),
  ).action(async (flags: ConnectionFlags & { logsTail: number }) => {
    const api = connect(flags, "client", null);
    const server = createMcpServer(() => api, { logsTail: flags.logsTail });
    await server.connect(new StdioServerTransport());
  });

  registerVersionCommand(program);
  registerConfigCommands(program);
  registerCompletionCommand(program);
}

/** The API says how to rotate in its own terms (POST ?rotate=true); at the CLI, the command says it. */
const sayHowToRotate =
  (cluster: string) =>
  (error: unknown): never => {
    if (!(error instanceof ApiError && error.code === "TOKEN_EXISTS")) throw error;
    throw new ApiError(
      error.status,
      error.code,
      `cluster '${cluster}' already has an executor token; to replace it: kubently token rotate ${cluster}`,
      error.context,
    );
  };

/** `kubently audit verify` found a broken link: the trail was tampered with (or damaged). */
const EXIT_CHAIN_BROKEN = 3;

const DURATION_RE = /^(\d+)([smhd])$/;
const DURATION_UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** An ISO 8601 time, or a duration back from now (90s, 15m, 2h, 7d), as an ISO string. */
function pointInTime(value: string): string {
  const [, amount, unit = ""] = DURATION_RE.exec(value) ?? [];
  const ms =
    amount === undefined ? Date.parse(value) : Date.now() - Number(amount) * (DURATION_UNIT_MS[unit] ?? 0);
  if (Number.isNaN(ms))
    throw new InvalidArgumentError("give an ISO 8601 time or a duration such as 15m, 2h, 7d");
  return new Date(ms).toISOString();
}

interface AuditListFlags extends ConnectionFlags {
  cluster?: string;
  identity?: string;
  outcome?: string;
  since?: string;
  until?: string;
  after?: number;
  limit?: number;
}

function registerAuditCommands(program: Command): void {
  const audit = program.command("audit").description("Read and verify the audit trail (admin).");
  withOutput(
    withAdminConnection(
      audit
        .command("list")
        .description("Print audit entries, oldest first, following pages up to --limit.")
        .addOption(new Option("--cluster <id>", "only this cluster's entries"))
        .addOption(
          new Option("--identity <service>", "only entries of this service (the key's service name)"),
        )
        .addOption(
          new Option("--outcome <outcome>", "only entries with this outcome").choices(
            AuditOutcome.anyOf.map((literal) => literal.const),
          ),
        )
        .addOption(
          new Option("--since <time>", "from this ISO time, or this long ago (15m, 2h, 7d)").argParser(
            pointInTime,
          ),
        )
        .addOption(
          new Option("--until <time>", "before this ISO time, or this long ago").argParser(pointInTime),
        )
        .addOption(
          new Option("--after <seq>", "start after this entry (a previous list's next_after)").argParser(
            wholeNumber(0),
          ),
        )
        .addOption(new Option("--limit <n>", "most entries to print (default 100)").argParser(wholeNumber(1)))
        .addHelpText(
          "after",
          "\nExamples:\n  kubently audit list --since 1h -o wide\n  kubently audit list --cluster production --outcome denied --json",
        ),
    ),
    ["json", "yaml", "wide"],
  ).action((flags: AuditListFlags) =>
    run(flags, async () => {
      const api = connect(flags, "admin");
      const limit = flags.limit ?? 100;
      const entries: AuditEntry[] = [];
      let next: number | null = flags.after ?? 0;
      while (next !== null && entries.length < limit) {
        const page = await api.readAudit({
          cluster_id: flags.cluster,
          identity: flags.identity,
          outcome: flags.outcome as AuditEntry["outcome"] | undefined,
          from: flags.since,
          to: flags.until,
          after: next,
          limit: Math.min(MAX_AUDIT_PAGE, limit - entries.length),
        });
        entries.push(...page.entries);
        next = page.next_after;
      }
      print(flags, { entries, next_after: next }, (wide) => {
        const rows = entries.map((e) => [
          String(e.seq),
          wide ? e.at : age(e.at),
          e.requested_by ? `${e.identity}/${e.requested_by}` : e.identity,
          e.cluster_id,
          e.action,
          e.outcome,
          ...(wide ? [e.correlation_id ?? "-"] : []),
          describeAuditEntry(e),
        ]);
        const more = next === null ? "" : `more entries follow: --after ${next}\n`;
        const header = wide
          ? ["SEQ", "AT", "WHO", "CLUSTER", "ACTION", "OUTCOME", "CORRELATION ID", "WHAT"]
          : ["SEQ", "AGE", "WHO", "CLUSTER", "ACTION", "OUTCOME", "WHAT"];
        return table(rows, header) + more;
      });
      return 0;
    }),
  );
  withAdminConnection(
    audit
      .command("verify")
      .description(
        `Walk the whole audit trail and check every link of its hash chain; exit ${EXIT_CHAIN_BROKEN} at the first broken one.`,
      )
      .addHelpText("after", "\nExample:\n  KUBENTLY_ADMIN_KEY=... kubently audit verify"),
  ).action((flags: ConnectionFlags) =>
    run(flags, async () => {
      const api = connect(flags, "admin");
      const verifier = new ChainVerifier();
      let page = await api.readAudit({ after: 0, limit: MAX_AUDIT_PAGE });
      let broken = verifier.add(page.entries);
      while (!broken && page.next_after !== null) {
        page = await api.readAudit({ after: page.next_after, limit: MAX_AUDIT_PAGE });
        broken = verifier.add(page.entries);
      }
      broken ??= verifier.finish(page.head);
      if (broken) {
        const report = { ok: false, verified: verifier.count, broken_seq: broken.seq, reason: broken.reason };
        print(flags, report, () => `BROKEN at seq ${broken.seq}: ${broken.reason}\n`);
        return EXIT_CHAIN_BROKEN;
      }
      print(flags, { ok: true, verified: verifier.count, head: page.head }, () =>
        page.head
          ? `OK: ${verifier.count} entries, head seq ${page.head.seq} hash ${page.head.hash}\n`
          : "OK: the audit trail is empty\n",
      );
      return 0;
    }),
  );
}

/** The command and how it ended, in a line; token actions only say why when refused. */
function describeAuditEntry(e: AuditEntry): string {
  if (e.action !== "command") return e.error_code ?? "";
  const what = [e.command_type, ...(e.args ?? []), ...(e.namespace ? ["-n", e.namespace] : [])].join(" ");
  const how = [
    e.exit_code === undefined ? "" : `exit ${e.exit_code}`,
    e.denial_code ?? e.error_code ?? "",
    e.duration_ms === undefined ? "" : `${e.duration_ms} ms`,
    e.stdout_bytes === undefined ? "" : `${e.stdout_bytes}+${e.stderr_bytes ?? 0} bytes out`,
  ].filter(Boolean);
  return how.length > 0 ? `${what} (${how.join(", ")})` : what;
}
