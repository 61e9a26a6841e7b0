/**
 * The `kubently` client commands: exec, session, clusters, token, health and mcp. Each is a thin
 * layer over KubentlyApi (HTTP), so they behave exactly like the REST API they document.
 */
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { type Command, Option } from "commander";
import { createMcpServer } from "../modules/mcp/tools";
import { type ConnectionFlags, connect, print, run, withAdminConnection, withConnection } from "./connection";

const integer = (value: string) => {
  const n = Number(value);
  if (!/^\d+$/.test(value)) throw new Error(`'${value}' is not a whole number`);
  return n;
};

export function registerClientCommands(program: Command): void {
  withConnection(
    program
      .command("exec")
      .description("Run one kubectl command on a cluster and print its output; the exit code is kubectl's.")
      .argument("<cluster>", "cluster id")
      .argument("<kubectl-args...>", "the kubectl command, after --")
      .addOption(new Option("--session <id>", "run inside this debugging session"))
      .addOption(new Option("-n, --namespace <namespace>", "adds -n NAMESPACE"))
      .addOption(new Option("--timeout <seconds>", "seconds to wait for the result").argParser(integer))
      .addHelpText(
        "after",
        "\nExamples:\n  kubently exec production -- get pods -n shop\n  kubently exec production -- logs deploy/api --tail=50\n" +
          "  kubently exec production --json -- describe node ip-10-0-1-23\n\n" +
          "Exit codes: kubectl's own; 126 when the cluster's policy denied the command; 124 on timeout; 1 on API errors.",
      ),
  ).action(
    (
      cluster: string,
      words: string[],
      flags: ConnectionFlags & { session?: string; namespace?: string; timeout?: number },
    ) =>
      run(flags, async () => {
        const [command_type = "", ...args] = words[0] === "kubectl" ? words.slice(1) : words;
        const result = await connect(flags).execute({
          cluster_id: cluster,
          session_id: flags.session,
          command_type,
          args,
          namespace: flags.namespace,
          timeout_seconds: flags.timeout,
        });
        if (flags.json) print(flags, result, () => "");
        else {
          process.stdout.write(result.stdout);
          process.stderr.write(result.stderr);
          if (result.truncated) process.stderr.write("kubently: output truncated by the executor's limit\n");
        }
        return result.exit_code ?? 1;
      }),
  );

  const session = program.command("session").description("Start or end a debugging session.");
  withConnection(
    session
      .command("start")
      .description("Start a session on a cluster; prints its id.")
      .argument("<cluster>", "cluster id")
      .addOption(new Option("--ttl <seconds>", "session lifetime (default 300)").argParser(integer))
      .addOption(new Option("--user <id>", "who the session is for"))
      .addHelpText("after", "\nExample:\n  SESSION=$(kubently session start production --ttl 900)"),
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

  withConnection(
    program
      .command("clusters")
      .description("List clusters and whether their executor is connected.")
      .addHelpText("after", "\nExample:\n  kubently clusters --json"),
  ).action((flags: ConnectionFlags) =>
    run(flags, async () => {
      const clusters = await connect(flags).listClusters();
      print(flags, clusters, () =>
        table(
          clusters.map((c) => [
            c.cluster_id,
            c.connected ? "connected" : "offline",
            c.transport ?? "-",
            c.executor_version ?? "-",
            c.last_seen ?? "never",
          ]),
          ["CLUSTER", "EXECUTOR", "TRANSPORT", "VERSION", "LAST SEEN"],
        ),
      );
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
        const issued = await connect(flags, "admin").issueToken(cluster, rotate);
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

  withConnection(
    program
      .command("health")
      .description("Show the server's health; exit 1 when it is unhealthy.")
      .addHelpText("after", "\nExample:\n  kubently health --url https://kubently.example.com"),
  ).action((flags: ConnectionFlags) =>
    run(flags, async () => {
      const report = await connect(flags).health();
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
      ),
  ).action(async (flags: ConnectionFlags) => {
    const server = createMcpServer(connect(flags));
    await server.connect(new StdioServerTransport());
  });
}

function table(rows: string[][], header: string[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((row) => row[c]?.length ?? 0)));
  return `${all
    .map((row) =>
      row
        .map((cell, c) => cell.padEnd(widths[c] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")}\n`;
}
