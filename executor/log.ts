/**
 * The executor's structured log: one JSON line per event, so a cluster operator can see what ran,
 * for whom, and how it ended. Fields are chosen by callers; tokens are never among them.
 *
 * Info lines are buffered and written once per event-loop turn: a write syscall per line cost a
 * third of the executor's CPU under load. Warnings and errors go to stderr at once.
 */
export type ExecutorLog = (
  level: "info" | "warn" | "error",
  msg: string,
  fields?: Record<string, unknown>,
) => void;

const out = Bun.stdout.writer({ highWaterMark: 64 * 1024 });
let flushScheduled = false;

export const jsonLog: ExecutorLog = (level, msg, fields) => {
  const line = `${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`;
  if (level !== "info") {
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
};

/** Writes out what is buffered; call before exiting. */
export async function flushLog(): Promise<void> {
  await out.flush();
}

export const silentLog: ExecutorLog = () => {};
