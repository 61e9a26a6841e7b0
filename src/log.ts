/**
 * The server's structured log: JSON lines through the writer it shares with the executor
 * (models/json-log.ts), with a level threshold (KUBENTLY_LOG_LEVEL). Callers pass fields, never whole
 * requests, so tokens and keys cannot slip into a log line by accident. Call `flushLog` before exiting.
 */
import { flushLogLines, type LogLevel, writeLogLine } from "./models";

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

let threshold: LogLevel =
  (process.env.KUBENTLY_LOG_LEVEL as LogLevel) in order
    ? (process.env.KUBENTLY_LOG_LEVEL as LogLevel)
    : "info";

export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

/** Whether lines at `level` are written: lets a caller skip building fields nobody will read. */
export const logsAt = (level: LogLevel): boolean => order[level] >= order[threshold];

export const flushLog = flushLogLines;

const at =
  (level: LogLevel) =>
  (msg: string, fields?: Record<string, unknown>): void => {
    if (logsAt(level)) writeLogLine(level, msg, fields);
  };

export const log = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
