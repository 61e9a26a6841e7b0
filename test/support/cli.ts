/**
 * Running the real `kubently` command (src/index.ts under this bun) to the end, as a user would:
 * everything it printed and its exit code. The environment is only PATH and what a test passes, so
 * no key or URL leaks in from the machine running the tests. And what a failing run must look like.
 */
import { expect } from "bun:test";
import { type Finished, runToEnd } from "./process";

export type CliRun = Finished;

export const runKubently = (args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> =>
  runToEnd([process.execPath, "src/index.ts", ...args], { PATH: process.env.PATH ?? "", ...env });

/** What a failing run prints: exactly one line, never a stack trace or a dump of the source around a throw. */
export function expectOneLine(text: string): void {
  expect(text).toMatch(/^[^\n]+\n$/);
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toMatch(/^\s*\d+ \| /m);
}
