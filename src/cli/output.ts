/**
 * How client commands print what they got: a table for people (`-o wide` adds columns), or the value
 * itself as JSON (`--json`, which is `-o json`) or YAML (`-o yaml`), as kubectl's `-o` does. Ages in
 * tables are kubectl's (humanDuration), so `5m` reads the same in both tools.
 */
import { type Command, Option } from "commander";
import { stringify } from "yaml";
import { humanDuration } from "../models";

export type OutputFormat = "json" | "yaml" | "wide" | "name";

export interface OutputFlags {
  json?: boolean;
  output?: OutputFormat;
}

/** Adds `-o, --output` with the formats the command prints; `--json` stays its shorthand for `-o json`. */
export function withOutput(command: Command, formats: OutputFormat[]): Command {
  return command.addOption(
    new Option("-o, --output <format>", `output format (--json is -o json)`).choices(formats),
  );
}

/** The value as machine output (JSON, YAML) when asked for; the table or text otherwise. */
export function print(flags: OutputFlags, value: unknown, human: (wide: boolean) => string): void {
  process.stdout.write(
    machineOutput(flags) === "json"
      ? `${JSON.stringify(value, null, 2)}\n`
      : machineOutput(flags) === "yaml"
        ? stringify(value)
        : human(flags.output === "wide"),
  );
}

/** Whether the output is for a program, which then gets nothing else (no waiting line either). */
export const machineOutput = (flags: OutputFlags): "json" | "yaml" | null =>
  flags.json || flags.output === "json" ? "json" : flags.output === "yaml" ? "yaml" : null;

/** Columns padded to their widest cell, two spaces apart, as kubectl prints them. */
export function table(rows: string[][], header: string[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((row) => row[c]?.length ?? 0)));
  return `${all
    .map((row) =>
      row
        .map((cell, c) => cell.padEnd(widths[c] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")}\n`;
}

/** How long ago an ISO time was, as kubectl prints an age; `never` for none. */
export const age = (iso: string | null | undefined, now = Date.now()): string =>
  iso ? humanDuration(now - Date.parse(iso)) : "never";
