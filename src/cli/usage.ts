/**
 * Usage errors of every `kubently` command, `serve` and the client commands: option values are checked
 * as they are parsed, and any usage error (a bad value, an unknown option or command, a missing
 * argument) ends the process with commander's one line and exit 2; help and --version still exit 0.
 */
import { type Command, type CommanderError, InvalidArgumentError } from "commander";
import { EXIT } from "./connection";

/**
 * An option parser for a whole number of at least `min`. It throws InvalidArgumentError, which
 * commander reports as a usage error; any other error would escape it as a crash with a stack trace.
 */
export const wholeNumber =
  (min: 0 | 1) =>
  (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min)
      throw new InvalidArgumentError(`give a whole number, ${min} or more`);
    return n;
  };

/** Commander has already printed the error (or the help, or the version) when this runs. */
const exitAsUsage = (error: CommanderError): never => process.exit(error.exitCode === 0 ? 0 : EXIT.usage);

/**
 * Sets up `program` for its commands' usage errors; call it before adding any command (`serve` too),
 * as commands copy these settings when they are created. Positional options (the program's own before
 * a command) are what lets `exec` pass everything after the cluster through to kubectl.
 */
export function configureUsageErrors(program: Command): void {
  program.exitOverride(exitAsUsage).enablePositionalOptions();
}
