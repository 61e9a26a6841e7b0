/** `kubently cluster label CLUSTER KEY=VALUE…`: an admin sets a cluster's labels, which fleet selectors match. */
import type { Command } from "commander";
import { type ConnectionFlags, connect, EXIT, run, withAdminConnection } from "./connection";
import { parseLabels } from "./fleet";
import { print } from "./output";

export function registerClusterCommand(program: Command): void {
  const cluster = program.command("cluster").description("Set what a cluster is known by (admin).");
  const label = withAdminConnection(
    cluster
      .command("label")
      .description("Set a cluster's labels to exactly these (none: remove them all).")
      .argument("<cluster>", "cluster id")
      .argument("[labels...]", "KEY=VALUE, as Kubernetes labels are written")
      .addHelpText(
        "after",
        "\nExamples:\n  kubently cluster label prod-eu env=prod region=eu\n" +
          "  kubently exec -l env=prod -- get nodes        # then select by them",
      ),
  );
  label.action((clusterId: string, words: string[], flags: ConnectionFlags) => {
    let labels: Record<string, string>;
    try {
      labels = words.length === 0 ? {} : parseLabels(words.join(","));
    } catch (error) {
      return label.error(`error: ${(error as Error).message}`, { exitCode: EXIT.usage });
    }
    return run(flags, async () => {
      const set = await connect(flags, "admin").setClusterLabels(clusterId, labels);
      const shown = Object.entries(set).map(([key, value]) => `${key}=${value}`);
      print(
        flags,
        { cluster_id: clusterId, labels: set },
        () => `${clusterId}: ${shown.join(",") || "(no labels)"}\n`,
      );
      return 0;
    });
  });
}
