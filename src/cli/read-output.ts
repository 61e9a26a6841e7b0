/**
 * `kubently output ID`: a command's whole output through its output handle (the command id), paged
 * or searched by lines; and the whole-stream reader `kubently exec` uses when an answer carries only
 * a preview, so a person at a terminal gets everything kubectl printed, as kubectl would print it.
 */
import { type Command, InvalidArgumentError, Option } from "commander";
import type { KubentlyApi } from "../client/api";
import {
  MAX_OUTPUT_PAGE_LINES,
  type OutputPage,
  type OutputPageQuery,
  type OutputStreamName,
} from "../models";
import { type ConnectionFlags, connect, run, withConnection, writeWhole } from "./connection";
import { print } from "./output";
import { wholeNumber } from "./usage";

interface OutputFlags extends ConnectionFlags {
  stderr?: boolean;
  tail?: number;
  offset?: number;
  limit?: number;
  grep?: string;
  lineNumbers?: boolean;
}

/** An offset may count from the end: any whole number, negative too. */
const signedWholeNumber = (value: string): number => {
  if (!/^-?\d+$/.test(value))
    throw new InvalidArgumentError("give a whole number, negative to count from the end");
  return Number(value);
};

export function registerOutputCommand(program: Command): void {
  withConnection(
    program
      .command("output")
      .description(
        "Read a command's whole output by its handle (the command id), by lines or matching lines.",
      )
      .argument("<command-id>", "the output handle: the command_id of a result")
      .addOption(new Option("--stderr", "read stderr instead of stdout"))
      .addOption(new Option("--tail <lines>", "the last N lines (or matches)").argParser(wholeNumber(1)))
      .addOption(
        new Option("--offset <line>", "first line, from 0; negative counts from the end").argParser(
          signedWholeNumber,
        ),
      )
      .addOption(
        new Option("--limit <lines>", "lines to print (default: to the end)").argParser(wholeNumber(1)),
      )
      .addOption(
        new Option("--grep <regex>", "only lines matching this RE2 regular expression; (?i) ignores case"),
      )
      .addOption(new Option("-N, --line-numbers", "print each line's number in the whole output"))
      .addHelpText(
        "after",
        "\nExamples:\n  kubently output 0193f3a2-… --tail 100\n  kubently output 0193f3a2-… --grep 'error|panic' -N\n" +
          "  kubently output 0193f3a2-… --stderr --json",
      ),
  ).action((commandId: string, flags: OutputFlags) =>
    run(flags, async () => {
      const api = connect(flags);
      const query: OutputPageQuery = {
        stream: flags.stderr ? "stderr" : "stdout",
        offset: flags.offset,
        tail: flags.tail,
        grep: flags.grep,
      };
      if (flags.json) {
        const page = await api.readOutput(commandId, { ...query, limit: flags.limit });
        print(flags, page, () => "");
        return 0;
      }
      const line = flags.lineNumbers
        ? ({ n, text }: OutputLine) => `${n}:${text}\n`
        : ({ text }: OutputLine) => `${text}\n`;
      await eachPage(api, commandId, query, flags.limit, (lines) =>
        writeWhole("stdout", lines.map(line).join("")),
      );
      return 0;
    }),
  );
}

type OutputLine = OutputPage["lines"][number];

/**
 * Every line the query selects, page after page, up to `most` lines (all when undefined): each page
 * is asked for as many lines as are still wanted.
 */
async function eachPage(
  api: Pick<KubentlyApi, "readOutput">,
  commandId: string,
  query: OutputPageQuery,
  most: number | undefined,
  write: (lines: OutputLine[]) => Promise<void>,
): Promise<void> {
  let left = most ?? Number.POSITIVE_INFINITY;
  let next: OutputPageQuery = query;
  while (left > 0) {
    const page = await api.readOutput(commandId, { ...next, limit: Math.min(left, MAX_OUTPUT_PAGE_LINES) });
    await write(page.lines);
    left -= page.lines.length;
    if (page.next_offset === null) return;
    next = { ...query, tail: undefined, offset: page.next_offset };
  }
}

/** The whole stream, written as kubectl wrote it, for an answer that carried only its preview. */
export async function writeWholeStream(
  api: Pick<KubentlyApi, "readOutput">,
  commandId: string,
  stream: OutputStreamName,
): Promise<void> {
  await eachPage(api, commandId, { stream }, undefined, (lines) =>
    writeWhole(stream, lines.map(({ text }) => `${text}\n`).join("")),
  );
}
