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
/** This turn's info and debug lines, joined: one write per turn, not one per line. */
let buffered = "";

/**
 * The line, written as its fixed head and then the fields' own JSON, rather than by copying the
 * fields into a new object first (the executor writes two lines per command). Fields that name a
 * head key replace it, as they always did, through the copy.
 */
function lineOf(level: LogLevel, msg: string, fields?: Record<string, unknown>): string {
  const time = new Date().toISOString();
  if (fields !== undefined && ("time" in fields || "level" in fields || "msg" in fields))
    return `${JSON.stringify({ time, level, msg, ...fields })}\n`;
  const head = `{"time":"${time}","level":"${level}","msg":${JSON.stringify(msg)}`;
  const rest = fields === undefined ? "{}" : JSON.stringify(fields);
  return rest === "{}" ? `${head}}\n` : `${head},${rest.slice(1)}\n`;
}

export function writeLogLine(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
  const line = lineOf(level, msg, fields);
  if (level === "warn" || level === "error") {
    process.stderr.write(line);
    return;
  }
  if (buffered === "") setImmediate(writeBuffered);
  buffered += line;
}

function writeBuffered(): void {
  if (buffered === "") return;
  out ??= Bun.stdout.writer({ highWaterMark: 64 * 1024 });
  out.write(buffered);
  buffered = "";
  void out.flush();
}

/**
 * Writes out what is buffered; call before exiting. Waits one turn first: the server writes a
 * response's access line in the turn after the response, and a stop can otherwise run its course
 * before it.
 */
export async function flushLogLines(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  writeBuffered();
  await out?.flush();
}
