/**
 * The executor's structured log: one JSON line per event, so a cluster operator can see what ran,
 * for whom, and how it ended. Fields are chosen by callers; tokens are never among them.
 */
export type ExecutorLog = (
  level: "info" | "warn" | "error",
  msg: string,
  fields?: Record<string, unknown>,
) => void;

export const jsonLog: ExecutorLog = (level, msg, fields) => {
  const line = `${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`;
  if (level === "info") process.stdout.write(line);
  else process.stderr.write(line);
};

export const silentLog: ExecutorLog = () => {};
