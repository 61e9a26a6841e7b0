/**
 * Splits an agent's kubectl command line into argv the way a POSIX shell splits words (quotes and
 * escapes honoured), without ever running a shell: pipes, redirections, command lists and
 * substitutions are refused rather than interpreted, `$VAR` stays literal, and globs stay text
 * (kubectl's own jsonpath uses `*`). A leading `kubectl` is dropped.
 */
import { parse } from "shell-quote";

export class CommandLineError extends Error {}

export interface SplitCommand {
  command_type: string;
  args: string[];
}

/**
 * A line of only these characters, between single spaces or runs of them, is read by a shell as its
 * words split at the spaces: none of them quotes, escapes, expands, globs or is an operator. Most
 * lines an agent sends are such (`get pods -n shop -o wide`, `logs deploy/api --tail=50`), and
 * splitting them directly skips shell-quote's pass (~15 µs a line, on every execute_kubectl call).
 */
const PLAIN_LINE = /^[A-Za-z0-9_.,:/=@%+ -]*$/;

export function splitCommandLine(line: string): SplitCommand {
  const words = PLAIN_LINE.test(line) ? line.split(" ").filter((word) => word !== "") : shellWords(line);
  if (words[0] === "kubectl") words.shift();
  const [command_type, ...args] = words;
  if (!command_type)
    throw new CommandLineError("the command is empty: give a kubectl command such as 'get pods -n default'");
  return { command_type, args };
}

/** The words of a line as a POSIX shell splits them, refusing what only a shell could run. */
function shellWords(line: string): string[] {
  if (/`|\$\(/.test(line))
    throw new CommandLineError("command substitution is not supported: give one kubectl command");
  const words: string[] = [];
  for (const entry of parse(line, (name) => `$${name}`)) {
    if (typeof entry === "string") words.push(entry);
    else if ("op" in entry && entry.op === "glob") words.push(entry.pattern);
    else if ("op" in entry) {
      throw new CommandLineError(
        `'${entry.op}' is not supported: Kubently runs one kubectl command, without a shell (no pipes, redirections or lists)`,
      );
    } else throw new CommandLineError("comments are not supported in a command");
  }
  return words;
}
