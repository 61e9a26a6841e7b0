/**
 * `kubently version`: this client's version and the server's, which GET /health reports (no key
 * needed). A server that cannot be reached still leaves the client's version printed, with one line
 * saying why there is no server version, and exit 1, as `kubectl version` does.
 */
import type { Command } from "commander";
import { ApiError } from "../models";
import { COMMIT, VERSION } from "../version";
import { type ConnectionFlags, connect, EXIT, resolveConnection, run, withConnection } from "./connection";
import { machineOutput, print, withOutput } from "./output";

export function registerVersionCommand(program: Command): void {
  withOutput(
    withConnection(
      program
        .command("version")
        .description("Print the client's and the server's versions.")
        .addHelpText("after", "\nExamples:\n  kubently version\n  kubently version --context prod --json"),
    ),
    ["json", "yaml"],
  ).action((flags: ConnectionFlags) =>
    run(flags, async () => {
      const client = { version: VERSION, commit: COMMIT };
      const { url } = resolveConnection(flags, "none");
      try {
        const health = await connect(flags, "none").health();
        const server = { version: health.version, url };
        print(
          flags,
          { client, server },
          () => `Client Version: ${VERSION} (${COMMIT})\nServer Version: ${health.version}\n`,
        );
        return 0;
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        const unreachable = { code: error.code, message: error.message };
        print(
          flags,
          { client, server: null, error: unreachable },
          () => `Client Version: ${VERSION} (${COMMIT})\n`,
        );
        if (machineOutput(flags) === null)
          process.stderr.write(`kubently: no server version: ${error.code}: ${error.message}\n`);
        return EXIT.apiError;
      }
    }),
  );
}
