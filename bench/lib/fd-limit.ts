/**
 * File-descriptor limits for the processes a benchmark spawns: each held stream is one descriptor,
 * so tens of thousands of them need a limit above the usual. The bench raises it for the processes
 * it starts (prlimit) where it may (CAP_SYS_RESOURCE); where it may not, callers learn how many
 * fit under the hard limit they inherit, and measure that many.
 */
import { readFileSync } from "node:fs";

/** This process's hard limit on open files, which the processes it spawns inherit. */
export function hardNofile(): number {
  const line = /^Max open files\s+\S+\s+(\S+)/m.exec(readFileSync("/proc/self/limits", "utf8"));
  return line?.[1] === "unlimited" ? Number.MAX_SAFE_INTEGER : Number(line?.[1]);
}

let raisable: boolean | null = null;

/** Whether this process may raise a child's hard limit (root without CAP_SYS_RESOURCE may not). */
function mayRaise(): boolean {
  raisable ??= Bun.spawnSync(["prlimit", `--nofile=${hardNofile() + 1}:${hardNofile() + 1}`, "true"]).success;
  return raisable;
}

/**
 * `argv` set to run with at least `n` descriptors: unchanged when the inherited limit suffices (Bun
 * raises its soft limit to the hard one itself), through prlimit when allowed; null when neither.
 */
export function withNofile(argv: string[], n: number): string[] | null {
  if (n <= hardNofile()) return argv;
  return mayRaise() ? ["prlimit", `--nofile=${n}:${n}`, ...argv] : null;
}
