/**
 * The executor's structured log: one JSON line per event, so a cluster operator can see what ran,
 * for whom, and how it ended. Fields are chosen by callers; tokens are never among them, and argv
 * goes through `loggedArgv`, which masks what a caller passed as --token or --password.
 *
 * Lines are written by the JSON-line writer the executor shares with the server (models/json-log.ts):
 * info lines buffered and written once per event-loop turn, warnings and errors to stderr at once.
 */
import { flushLogLines, type LogLevel, maskSecrets, writeLogLine } from "../src/models";

export type { LogLevel };

export type ExecutorLog = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** The levels KUBENTLY_LOG_LEVEL takes, least severe first. */
export const LOG_LEVELS = Object.keys(ORDER) as LogLevel[];

/** The JSON-line log, writing lines at `threshold` and above (KUBENTLY_LOG_LEVEL). */
export function jsonLogAt(threshold: LogLevel): ExecutorLog {
  const least = ORDER[threshold];
  return (level, msg, fields) => {
    if (ORDER[level] >= least) writeLogLine(level, msg, fields);
  };
}

/** At the default level, info. */
export const jsonLog: ExecutorLog = jsonLogAt("info");

/** Writes out what is buffered; call before exiting. */
export const flushLog = flushLogLines;

export const silentLog: ExecutorLog = () => {};

/** Past these, argv in a log line is cut: its size is the caller's choice, a log line's should not be. */
const MAX_LOGGED_ARGS = 64;
const MAX_LOGGED_ARG_CHARS = 256;

/** argv as log lines show it: secret values masked as in the audit trail, long or many arguments cut. */
export function loggedArgv(argv: readonly string[]): string[] {
  const masked = maskSecrets(argv);
  // The usual argv, a few short arguments, is shown as masked: no further copies.
  if (argv.length <= MAX_LOGGED_ARGS && masked.every((arg) => arg.length <= MAX_LOGGED_ARG_CHARS))
    return masked;
  const shown = masked
    .slice(0, MAX_LOGGED_ARGS)
    .map((arg) => (arg.length > MAX_LOGGED_ARG_CHARS ? `${arg.slice(0, MAX_LOGGED_ARG_CHARS)}…` : arg));
  if (argv.length > MAX_LOGGED_ARGS) shown.push(`… ${argv.length - MAX_LOGGED_ARGS} more`);
  return shown;
}
