/**
 * `kubently exec CLUSTER KUBECTL-COMMAND…`: one kubectl command on a cluster, its output printed and
 * its exit code kept. exec's options go anywhere before the kubectl command, before or after the
 * cluster, as kubectl's own global flags go before its verb; from the verb on, every word is
 * kubectl's, as written, so -A, -o or -n need no `--` (which stays accepted before the command).
 * exec's options that kubectl does not have are refused there rather than sent on, so a misplaced
 * --api-key never reaches the cluster or its audit trail.
 */
import { type Command, Option } from "commander";
import { isFollowing } from "../../executor/following";
import type { CommandResult, ExecuteRequest, FleetExecuteRequest } from "../models";
import { type ConnectionFlags, connect, EXIT, run, withConnection, writeWhole } from "./connection";
import {
  type FleetFlags,
  fleetExitCode,
  fleetTarget,
  parseLabels,
  printFleet,
  printFleetAsItComes,
} from "./fleet";
import { print } from "./output";
import { writeWholeStream } from "./read-output";
import { wholeNumber } from "./usage";

interface ExecFlags extends ConnectionFlags, FleetFlags {
  session?: string;
  namespace?: string;
  timeout?: number;
  followSeconds?: number;
}

/** exec's options that are kubectl flags too: after the verb they are kubectl's (`rollout status --timeout`). */
const KUBECTL_HAS_TOO = new Set(["--namespace", "--timeout", "--selector"]);

export function registerExecCommand(program: Command): void {
  const exec = withConnection(
    program
      .command("exec")
      .description("Run one kubectl command on a cluster and print its output; the exit code is kubectl's.")
      .argument("<cluster>", "cluster id")
      .argument(
        "<kubectl-command...>",
        "the kubectl command as typed after `kubectl`: its verb, arguments, flags",
      )
      // Commander stops reading options at the cluster; kubectlCommand reads exec's up to the verb.
      .passThroughOptions()
      .addOption(new Option("--session <id>", "run inside this debugging session"))
      .addOption(new Option("-n, --namespace <namespace>", "adds -n NAMESPACE"))
      .addOption(
        new Option("--timeout <seconds>", "seconds to wait for the result").argParser(wholeNumber(1)),
      )
      .addOption(
        new Option(
          "--follow-seconds <seconds>",
          "how long logs -f, get -w, rollout status run before they end with what arrived",
        ).argParser(wholeNumber(1)),
      )
      .addOption(
        new Option(
          "--clusters <ids|glob>",
          "run on many clusters: ids (a,b,c) or a glob ('prod-*'); then give no cluster argument",
        ),
      )
      .addOption(
        new Option(
          "-l, --selector <labels>",
          "run on the clusters with these labels (env=prod,region=eu)",
        ).argParser(parseLabels),
      )
      .addHelpText(
        "after",
        "\nexec's options go before the kubectl command, on either side of the cluster. From kubectl's verb\n" +
          "on, every word is kubectl's, as written: -n or --timeout there are kubectl's own flags.\n\n" +
          "Examples:\n  kubently exec production get pods -A\n  kubently exec production logs deploy/api --tail=50 -n shop\n" +
          "  kubently exec production --json -- describe node ip-10-0-1-23\n" +
          "  kubently exec production --follow-seconds 60 logs -f deploy/api -n shop   # printed as it comes\n" +
          "  kubently exec --clusters 'prod-*' -- get pods -n shop      # every line prefixed by its cluster\n\n" +
          "Exit codes: kubectl's own; 126 when the cluster's policy denied the command; 124 on timeout;\n" +
          "1 on API errors; 2 on usage errors.",
      ),
  );
  exec.action((cluster: string, words: string[]) => {
    const flags: ExecFlags = exec.opts();
    if (flags.clusters !== undefined || flags.selector !== undefined) {
      // Many clusters: no cluster argument, so the first word is kubectl's.
      const command = kubectlCommand(exec, "--clusters …", [cluster, ...words]);
      const target = fleetTarget(flags);
      if (typeof target === "string") return exec.error(`error: ${target}`, { exitCode: EXIT.usage });
      return run(flags, async () => {
        const api = connect(flags, "client", "the clusters");
        const request: FleetExecuteRequest = {
          ...target,
          ...command,
          namespace: flags.namespace,
          timeout_seconds: flags.timeout,
          follow_seconds: flags.followSeconds,
        };
        // A following command is printed as it comes, each line prefixed by its cluster.
        const { listener, printed } = printFleetAsItComes();
        const answer =
          !flags.json && api.executeFleetStreaming && isFollowing([command.command_type, ...command.args])
            ? await api.executeFleetStreaming(request, listener)
            : await api.executeFleet(request);
        print(flags, answer, () => "");
        if (!flags.json) await printFleet(answer, printed);
        return fleetExitCode(answer);
      });
    }
    const command = kubectlCommand(exec, cluster, words);
    return run(flags, async () => {
      const api = connect(flags, "client", `cluster '${cluster}'`);
      const request: ExecuteRequest = {
        cluster_id: cluster,
        session_id: flags.session,
        ...command,
        namespace: flags.namespace,
        timeout_seconds: flags.timeout,
        follow_seconds: flags.followSeconds,
      };
      // A following command is printed as it comes; its streams printed so are not printed again.
      const printed = new Set<"stdout" | "stderr">();
      const result: CommandResult =
        !flags.json && api.executeStreaming && isFollowing([command.command_type, ...command.args])
          ? await api.executeStreaming(request, ({ stream, text }) => {
              printed.add(stream);
              process[stream].write(text);
            })
          : await api.execute(request);
      if (flags.json) print(flags, result, () => "");
      else {
        // An answer with a preview only: the whole stream is read through its handle, page by page.
        for (const stream of ["stdout", "stderr"] as const) {
          if (printed.has(stream)) continue;
          if (result.output?.[stream].preview) await writeWholeStream(api, result.command_id, stream);
          else await writeWhole(stream, result[stream]);
        }
        if (result.truncated) process.stderr.write("kubently: output truncated by the executor's limit\n");
      }
      return result.exit_code ?? 1;
    });
  });
}

/**
 * The words after the cluster as the API's command_type and args, or a usage error. exec's own
 * options among them, up to the kubectl verb (or a `--`), are stored on `exec` as commander parses them.
 */
function kubectlCommand(
  exec: Command,
  cluster: string,
  words: string[],
): Pick<ExecuteRequest, "command_type" | "args"> {
  const usage = (message: string): never => exec.error(`error: ${message}`, { exitCode: EXIT.usage });
  const { operands, unknown } = exec.parseOptions(words);
  if (unknown[0] !== undefined)
    usage(`unknown option '${unknown[0]}' (kubectl's own flags go after its verb)`);
  for (const option of exec.options) {
    const flag = option.long;
    if (!flag || KUBECTL_HAS_TOO.has(flag)) continue;
    if (operands.some((word) => word === flag || word.startsWith(`${flag}=`)))
      usage(`${flag} is an option of kubently exec, not of kubectl: put it before the kubectl command`);
  }
  const [verb, ...args] = operands[0] === "kubectl" ? operands.slice(1) : operands;
  if (verb === undefined)
    return usage(`give the kubectl command after the cluster, such as: kubently exec ${cluster} get pods`);
  if (verb.startsWith("-"))
    usage(`the kubectl command starts with its verb (get, describe, logs, …), not '${verb}'`);
  return { command_type: verb, args };
}
