#!/usr/bin/env bun
/**
 * The `kubently-executor` command: runs inside a cluster, connects outbound to the Kubently API and
 * runs the read-only kubectl commands its policy allows. Stops gracefully on SIGTERM.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { ExecutorConfigError, resolveExecutorConfig } from "./config";
import { EXECUTOR_VERSION_WITH_COMMIT, startExecutor } from "./executor";
import { ClusterAccessError, SERVICE_ACCOUNT_DIR } from "./gate";
import { checkHeartbeat, DEFAULT_MAX_AGE_SECONDS } from "./liveness";
import { flushLog, jsonLogAt } from "./log";
import { PolicyError } from "./policy";

const program = new Command("kubently-executor")
  .description("Connects a cluster to Kubently and runs the read-only kubectl commands its policy allows.")
  .version(EXECUTOR_VERSION_WITH_COMMIT)
  .addOption(new Option("--api-url <url>", "the Kubently API [env KUBENTLY_API_URL]"))
  .addOption(new Option("--cluster-id <id>", "this cluster's id [env KUBENTLY_CLUSTER_ID]"))
  .addOption(
    new Option(
      "--token-file <path>",
      "file holding the executor token, re-read on reconnect [env KUBENTLY_TOKEN_FILE; or KUBENTLY_TOKEN]",
    ),
  )
  .addOption(new Option("--kubectl <path>", "kubectl binary [env KUBENTLY_KUBECTL, default kubectl on PATH]"))
  .addOption(new Option("--transport <name>", "auto, sse, ws or poll [env KUBENTLY_TRANSPORT, default auto]"))
  .addOption(
    new Option("--policy <file>", "command policy, YAML or JSON [env KUBENTLY_POLICY, default readOnly]"),
  )
  .addOption(
    new Option(
      "--cache-dir <dir>",
      "kubectl discovery cache kept warm between commands [env KUBENTLY_CACHE_DIR]",
    ),
  )
  .addOption(
    new Option("--ca-file <file>", "PEM CA bundle trusted for the API's certificate [env KUBENTLY_CA_FILE]"),
  )
  .addOption(
    new Option(
      "--serviceaccount-dir <dir>",
      `in a pod: where the ServiceAccount token and CA are [env KUBENTLY_SERVICEACCOUNT_DIR, default ${SERVICE_ACCOUNT_DIR}]`,
    ),
  )
  .addOption(
    new Option(
      "--liveness-file <path>",
      "rewritten every 10 s while running, for `kubently-executor alive` [env KUBENTLY_LIVENESS_FILE]",
    ),
  )
  .addOption(
    new Option(
      "--log-level <level>",
      "debug, info, warn or error; debug adds a line as each kubectl process starts [env KUBENTLY_LOG_LEVEL, default info]",
    ),
  )
  .addOption(
    new Option(
      "--runner <name>",
      "kubectl, or echo: answer with the argv, run nothing (benchmarks) [env KUBENTLY_RUNNER]",
    ),
  )
  .addHelpText(
    "after",
    "\nThe executor reaches the cluster with the in-cluster service account, or outside a pod with\n" +
      "KUBECONFIG; kubectl itself only ever reaches the executor's cluster gate.\n\nExample:\n" +
      "  KUBENTLY_API_URL=https://kubently.example.com KUBENTLY_CLUSTER_ID=production \\\n" +
      "  KUBENTLY_TOKEN_FILE=/var/run/kubently/token kubently-executor --policy /etc/kubently/policy.yaml",
  )
  .action(async (flags) => {
    try {
      const config = resolveExecutorConfig(flags, process.env);
      const executor = await startExecutor(config, { log: jsonLogAt(config.logLevel), env: process.env });
      const shutdown = async () => {
        await executor.stop();
        await flushLog();
        process.exit(0);
      };
      process.once("SIGTERM", () => void shutdown());
      process.once("SIGINT", () => void shutdown());
    } catch (error) {
      if (
        error instanceof ExecutorConfigError ||
        error instanceof PolicyError ||
        error instanceof ClusterAccessError
      ) {
        console.error(`kubently-executor: ${error.message}`);
        process.exit(2);
      }
      throw error;
    }
  });

program
  .command("alive")
  .description(
    "Exit 0 if the running executor's liveness file was written recently, else 1 with the reason on " +
      "stderr: a Kubernetes exec probe that needs no shell.",
  )
  .addOption(new Option("--file <path>", "the executor's --liveness-file [env KUBENTLY_LIVENESS_FILE]"))
  .addOption(
    new Option("--max-age <seconds>", "how old the file may be")
      .default(DEFAULT_MAX_AGE_SECONDS)
      .argParser((value) => {
        const seconds = Number(value);
        if (!Number.isInteger(seconds) || seconds < 1)
          throw new InvalidArgumentError("a whole number of seconds");
        return seconds;
      }),
  )
  .action(({ file = process.env.KUBENTLY_LIVENESS_FILE, maxAge }: { file?: string; maxAge: number }) => {
    if (!file) {
      console.error("kubently-executor alive: give --file or KUBENTLY_LIVENESS_FILE");
      process.exit(2);
    }
    const liveness = checkHeartbeat(file, maxAge);
    if (!liveness.alive) console.error(`kubently-executor alive: ${liveness.reason}`);
    process.exit(liveness.alive ? 0 : 1);
  });

await program.parseAsync(process.argv);
