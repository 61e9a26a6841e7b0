/**
 * The one JSON-line log writer of both programs, the server (src/log.ts) and the executor
 * (executor/log.ts), so their lines cannot drift apart: `{"time","level","msg",...fields}`, one per
 * line. Info and debug lines are buffered and written once per event-loop turn: a write syscall per
 * line cost a third of the executor's CPU under load, and the server writes a line per request.
 * Warnings and errors go to stderr at once.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** Made at the first buffered line, so a program that imports the models but never logs holds no writer. */
let out: ReturnType<typeof Bun.stdout.writer> | null = null;
let flushScheduled = false;

export function writeLogLine(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
  const line = `${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`;
  if (level === "warn" || level === "error") {
    process.stderr.write(line);
    return;
  }
  out ??= Bun.stdout.writer({ highWaterMark: 64 * 1024 });
  out.write(line);
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(() => {
      flushScheduled = false;
      void out?.flush();
    });
  }
}

/**
 * Writes out what is buffered; call before exiting. Waits one turn first: the server writes a
 * response's access line in the turn after the response, and a stop can otherwise run its course
 * before it.
 */
export async function flushLogLines(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await out?.flush();
}
