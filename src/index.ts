#!/usr/bin/env bun
/** The `kubently` command: `serve` runs the API server; the other commands talk to one. */
import { Command, Option } from "commander";
import { registerClientCommands } from "./cli/commands";
import { configureUsageErrors } from "./cli/usage";
import { ConfigError, resolveServerConfig } from "./config";
import { flushLog, log } from "./log";
import { type RunningServer, startServer } from "./server";
import { StoreUnavailableError, StoreUrlError } from "./store";
import { VERSION_WITH_COMMIT } from "./version";

const SHUTDOWN_BOUND_MS = 10_000;

const program = new Command("kubently")
  .description("Read-only kubectl for AI agents and people, across clusters, without sharing credentials.")
  .version(VERSION_WITH_COMMIT);
// Before the first command is added: each copies these settings when it is created.
configureUsageErrors(program);

program
  .command("serve")
  .description("Run the Kubently API server.")
  .addOption(new Option("--host <host>", "interface to listen on [env KUBENTLY_HOST, default 127.0.0.1]"))
  .addOption(new Option("--port <port>", "port to listen on [env KUBENTLY_PORT, default 8080]"))
  .addOption(
    new Option("--tls-cert <file>", "serve HTTPS with this PEM certificate (chain) [env KUBENTLY_TLS_CERT]"),
  )
  .addOption(new Option("--tls-key <file>", "the certificate's PEM private key [env KUBENTLY_TLS_KEY]"))
  .addOption(
    new Option(
      "--store <url>",
      "sqlite://PATH, memory://, redis://HOST:PORT, redis+sentinel://HOST:PORT[,HOST:PORT…]/MASTER " +
        "or redis+cluster://HOST:PORT,… [env KUBENTLY_STORE, default sqlite://./kubently-data/kubently.db]",
    ),
  )
  .addOption(
    new Option(
      "--redis-prefix <prefix>",
      "prefix of every Redis key [env KUBENTLY_REDIS_PREFIX, default kubently:]",
    ),
  )
  .addOption(
    new Option(
      "--api-keys-file <path>",
      "file of service:key lines, re-read on SIGHUP [env KUBENTLY_API_KEYS_FILE]",
    ),
  )
  .addOption(
    new Option(
      "--oidc-issuer <url>",
      "OIDC issuer whose bearer JWTs sign people in [env KUBENTLY_OIDC_ISSUER]",
    ),
  )
  .addOption(
    new Option("--oidc-audience <aud>", "the audience those tokens must carry [env KUBENTLY_OIDC_AUDIENCE]"),
  )
  .addOption(
    new Option(
      "--oidc-jwks-url <url>",
      "the issuer's keys, if not from its discovery document [env KUBENTLY_OIDC_JWKS_URL]",
    ),
  )
  .addOption(
    new Option("--oidc-user-claim <claim>", "the user's claim [env KUBENTLY_OIDC_USER_CLAIM, default sub]"),
  )
  .addOption(
    new Option(
      "--oidc-groups-claim <claim>",
      "the groups' claim [env KUBENTLY_OIDC_GROUPS_CLAIM, default groups]",
    ),
  )
  .addOption(
    new Option(
      "--oidc-clock-skew-seconds <n>",
      "clock skew allowed on exp and nbf [env KUBENTLY_OIDC_CLOCK_SKEW_SECONDS, default 60]",
    ),
  )
  .addOption(
    new Option(
      "--keys-file <path>",
      "YAML file of principals with their keys and scopes, re-read on SIGHUP [env KUBENTLY_KEYS_FILE]",
    ),
  )
  .addOption(
    new Option("--max-body-bytes <n>", "request body limit [env KUBENTLY_MAX_BODY_BYTES, default 1048576]"),
  )
  .addOption(
    new Option(
      "--result-ttl-seconds <n>",
      "how long results are kept [env KUBENTLY_RESULT_TTL_SECONDS, default 300]",
    ),
  )
  .addOption(
    new Option(
      "--follow-default-seconds <n>",
      "window of a following command (logs -f, get -w) that names none " +
        "[env KUBENTLY_FOLLOW_DEFAULT_SECONDS, default 30]",
    ),
  )
  .addOption(
    new Option(
      "--follow-max-seconds <n>",
      "longest follow_seconds a caller may ask for, at most 280 [env KUBENTLY_FOLLOW_MAX_SECONDS, default 120]",
    ),
  )
  .addOption(
    new Option(
      "--inline-output-bytes <n>",
      "largest output stream answered whole; beyond it a preview and an output handle " +
        "[env KUBENTLY_INLINE_OUTPUT_BYTES, default 65536]",
    ),
  )
  .addOption(
    new Option(
      "--mcp-logs-tail <lines>",
      "--tail MCP gives logs commands that set none, 0 for none [env KUBENTLY_MCP_LOGS_TAIL, default 200]",
    ),
  )
  .addOption(
    new Option(
      "--rate-limit <spec>",
      "requests per second per API key, RATE[:BURST] or off [env KUBENTLY_RATE_LIMIT, default off]",
    ),
  )
  .addOption(
    new Option(
      "--cluster-rate-limit <spec>",
      "commands per second per cluster, RATE[:BURST] or off [env KUBENTLY_CLUSTER_RATE_LIMIT, default off]",
    ),
  )
  .addOption(new Option("--metrics <on|off>", "serve GET /metrics [env KUBENTLY_METRICS, default on]"))
  .addOption(
    new Option("--access-log <on|off>", "a JSON log line per request [env KUBENTLY_ACCESS_LOG, default on]"),
  )
  .addOption(
    new Option(
      "--webhook-secret-file <path>",
      "file holding the secret that signs async-operation webhooks [env KUBENTLY_WEBHOOK_SECRET_FILE]",
    ),
  )
  .addOption(
    new Option(
      "--webhook-allowed-hosts <list>",
      "callback hosts: host, host:port or *.domain, comma-separated [env KUBENTLY_WEBHOOK_ALLOWED_HOSTS]",
    ),
  )
  .addOption(
    new Option(
      "--webhook-max-attempts <n>",
      "delivery attempts per webhook [env KUBENTLY_WEBHOOK_MAX_ATTEMPTS, default 5]",
    ),
  )
  .addOption(
    new Option(
      "--insecure-no-auth",
      "allow starting without API keys: every caller is 'anonymous' (development only)",
    ),
  )
  .addHelpText(
    "after",
    "\nAPI keys come from KUBENTLY_API_KEYS (service:key,...) and KUBENTLY_API_KEYS_FILE; admin keys from\n" +
      "KUBENTLY_ADMIN_KEYS. Keys are never accepted as flags, so they stay out of process listings; nor is\n" +
      "the webhook secret (KUBENTLY_WEBHOOK_SECRET, or --webhook-secret-file).\n\n" +
      "Example:\n  KUBENTLY_API_KEYS=agent:$(openssl rand -hex 24) KUBENTLY_ADMIN_KEYS=ops:$(openssl rand -hex 24) \\\n" +
      "    kubently serve --host 0.0.0.0 --store redis://127.0.0.1:6379",
  )
  .action(async (flags) => {
    try {
      const config = resolveServerConfig(flags, process.env);
      // Signals are handled from before the first byte is served, so a stop during start-up is clean too.
      let starting: Promise<RunningServer> | null = null;
      const shutdown = async (signal: string) => {
        log.info("shutting down", { signal });
        // Open streams end with the server; a peer that does not let go must not hold the exit hostage.
        const bounded = setTimeout(() => {
          log.warn("shutdown took too long; exiting anyway", { after_ms: SHUTDOWN_BOUND_MS });
          void flushLog().finally(() => process.exit(1));
        }, SHUTDOWN_BOUND_MS);
        const server = await starting?.catch(() => null);
        await server?.stop();
        clearTimeout(bounded);
        await flushLog();
        process.exit(0);
      };
      process.once("SIGTERM", () => void shutdown("SIGTERM"));
      process.once("SIGINT", () => void shutdown("SIGINT"));
      starting = startServer(config);
      const server = await starting;
      process.on("SIGHUP", () => server.reloadKeys());
    } catch (error) {
      if (error instanceof ConfigError || error instanceof StoreUrlError) {
        console.error(`kubently: ${error.message}`);
        process.exit(2);
      }
      if (error instanceof StoreUnavailableError) {
        console.error(
          `kubently: the store is unavailable: ${(error.cause as Error)?.message ?? "unknown cause"}`,
        );
        process.exit(1);
      }
      throw error;
    }
  });

registerClientCommands(program);

await program.parseAsync(process.argv);
