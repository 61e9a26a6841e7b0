/**
 * Running the real `kubently` command (src/index.ts under this bun) to the end, as a user would:
 * everything it printed and its exit code. The environment is only PATH and what a test passes, so
 * no key or URL leaks in from the machine running the tests. And what a failing run must look like.
 */
import { expect } from "bun:test";

export interface CliRun {
  stdout: string;
  stderr: string;
  code: number;
}

export async function runKubently(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<CliRun> {
  const proc = Bun.spawn([process.execPath, "src/index.ts", ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
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

/** What a failing run prints: exactly one line, never a stack trace or a dump of the source around a throw. */
export function expectOneLine(text: string): void {
  expect(text).toMatch(/^[^\n]+\n$/);
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toMatch(/^\s*\d+ \| /m);
}
