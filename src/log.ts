/**
 * Structured JSON-line logging. Callers pass fields, never whole requests, so tokens and keys
 * cannot slip into a log line by accident.
 *
 * Info and debug lines are buffered and written once per event-loop turn, as the executor's log
 * does: with an access line per request, a write per line would cost a syscall per request under
 * load. Warnings and errors go to stderr at once. Call `flushLog` before exiting.
 */
type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

let threshold: Level =
  (process.env.KUBENTLY_LOG_LEVEL as Level) in order ? (process.env.KUBENTLY_LOG_LEVEL as Level) : "info";

export function setLogLevel(level: Level): void {
  threshold = level;
}

/** Whether lines at `level` are written: lets a caller skip building fields nobody will read. */
export const logsAt = (level: Level): boolean => order[level] >= order[threshold];

const out = Bun.stdout.writer({ highWaterMark: 64 * 1024 });
let flushScheduled = false;

function write(level: Level, msg: string, fields?: Record<string, unknown>): void {
  if (order[level] < order[threshold]) return;
  const line = `${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`;
  if (level === "error" || level === "warn") {
    process.stderr.write(line);
    return;
  }
  out.write(line);
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(() => {
      flushScheduled = false;
      void out.flush();
    });
  }
}

/**
 * Writes out what is buffered; call before exiting. Waits one turn first: a response's access line
 * is written in the turn after the response, and a stop can otherwise run its course before it.
 */
export async function flushLog(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await out.flush();
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => write("debug", msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write("info", msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write("warn", msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write("error", msg, fields),
};
