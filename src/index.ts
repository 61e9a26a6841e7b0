#!/usr/bin/env bun
/** The `kubently` command: `serve` runs the API server; the other commands talk to one. */
import { Command, Option } from "commander";
import { registerClientCommands } from "./cli/commands";
import { ConfigError, resolveServerConfig } from "./config";
import { log } from "./log";
import { startServer } from "./server";
import { StoreUnavailableError, StoreUrlError } from "./store";
import { VERSION } from "./version";

const program = new Command("kubently")
  .description("Read-only kubectl for AI agents and people, across clusters, without sharing credentials.")
  .version(VERSION);

program
  .command("serve")
  .description("Run the Kubently API server.")
  .addOption(new Option("--host <host>", "interface to listen on [env KUBENTLY_HOST, default 127.0.0.1]"))
  .addOption(new Option("--port <port>", "port to listen on [env KUBENTLY_PORT, default 8080]"))
  .addOption(
    new Option(
      "--store <url>",
      "sqlite://PATH, memory:// or redis://HOST:PORT [env KUBENTLY_STORE, default sqlite://./kubently-data/kubently.db]",
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
      "--insecure-no-auth",
      "allow starting without API keys: every caller is 'anonymous' (development only)",
    ),
  )
  .addHelpText(
    "after",
    "\nAPI keys come from KUBENTLY_API_KEYS (service:key,...) and KUBENTLY_API_KEYS_FILE; admin keys from\n" +
      "KUBENTLY_ADMIN_KEYS. Keys are never accepted as flags, so they stay out of process listings.\n\n" +
      "Example:\n  KUBENTLY_API_KEYS=agent:$(openssl rand -hex 24) KUBENTLY_ADMIN_KEYS=ops:$(openssl rand -hex 24) \\\n" +
      "    kubently serve --host 0.0.0.0 --store redis://127.0.0.1:6379",
  )
  .action(async (flags) => {
    try {
      const server = await startServer(resolveServerConfig(flags, process.env));
      process.on("SIGHUP", () => server.reloadKeys());
      const shutdown = async (signal: string) => {
        log.info("shutting down", { signal });
        await server.stop();
        process.exit(0);
      };
      process.once("SIGTERM", () => void shutdown("SIGTERM"));
      process.once("SIGINT", () => void shutdown("SIGINT"));
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
