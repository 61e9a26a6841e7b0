/** Spawned processes for tests: wait for a line on stdout (readiness), collect everything printed. */
import type { Subprocess } from "bun";

export interface Spawned {
  proc: Subprocess<"ignore", "pipe", "pipe">;
  /** All stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the first line matching `pattern`; rejects when the process exits or time runs out. */
  waitForLine(pattern: RegExp, withinMs?: number, stream?: "stdout" | "stderr"): Promise<string>;
  /** Resolves once `count` lines match `pattern` (for a line a process prints again and again). */
  waitForLines(
    pattern: RegExp,
    count: number,
    withinMs?: number,
    stream?: "stdout" | "stderr",
  ): Promise<string[]>;
  /** Resolves once both streams have ended: everything the process printed has been read. */
  drained: Promise<void>;
}

export function spawnProcess(argv: string[], env: Record<string, string | undefined>): Spawned {
  const proc = Bun.spawn(argv, {
    env: env as Record<string, string>,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  let out = "";
  let err = "";
  const listeners = new Set<() => void>();
  const pump = async (stream: ReadableStream<Uint8Array>, append: (text: string) => void) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      append(decoder.decode(chunk, { stream: true }));
      for (const listener of listeners) listener();
    }
  };
  const drained = Promise.all([
    pump(proc.stdout, (text) => {
      out += text;
    }),
    pump(proc.stderr, (text) => {
      err += text;
    }),
  ]).then(() => undefined);
  function waitForLines(
    pattern: RegExp,
    count: number,
    withinMs = 10_000,
    stream: "stdout" | "stderr" = "stdout",
  ): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const lines = (stream === "stdout" ? out : err).split("\n").filter((l) => pattern.test(l));
        if (lines.length >= count) done(() => resolve(lines));
      };
      const done = (finish: () => void) => {
        listeners.delete(check);
        clearTimeout(timer);
        finish();
      };
      const timer = setTimeout(
        () =>
          done(() =>
            reject(
              new Error(`${count} lines matching ${pattern} not within ${withinMs} ms:\n${out}\n${err}`),
            ),
          ),
        withinMs,
      );
      listeners.add(check);
      void proc.exited.then((code) =>
        done(() =>
          reject(new Error(`exited with ${code} before ${count} lines matching ${pattern}:\n${out}\n${err}`)),
        ),
      );
      check();
    });
  }
  return {
    proc,
    drained,
    stdout: () => out,
    stderr: () => err,
    waitForLine(pattern, withinMs = 10_000, stream = "stdout") {
      return waitForLines(pattern, 1, withinMs, stream).then((lines) => lines[0] as string);
    },
    waitForLines,
  };
}

export interface Finished {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs a command to its end and returns everything it printed with its exit code. */
export async function runToEnd(argv: string[], env: Record<string, string | undefined>): Promise<Finished> {
  const proc = Bun.spawn(argv, {
    env: env as Record<string, string>,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { stdout, stderr, code };
}
