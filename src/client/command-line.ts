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

export function splitCommandLine(line: string): SplitCommand {
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
  if (words[0] === "kubectl") words.shift();
  const [command_type, ...args] = words;
  if (!command_type)
    throw new CommandLineError("the command is empty: give a kubectl command such as 'get pods -n default'");
  return { command_type, args };
}
