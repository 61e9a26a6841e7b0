/**
 * Redocly's linter, the pinned @redocly/cli, on the committed document (which test/docs/document.test.ts
 * proves is the served one) with its recommended rules (redocly.yaml): no error, no warning, and nothing
 * ignored but the places .redocly.lint-ignore.yaml lists with their reasons.
 */
import { expect, test } from "bun:test";
import { parse } from "yaml";
import { runToEnd } from "../support/process";

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
}

test("the document lints clean with Redocly's recommended rules", async () => {
  const run = await runToEnd(
    [
      process.execPath,
      "node_modules/@redocly/cli/bin/cli.js",
      "lint",
      "--format",
      "json",
      "openapi/kubently.json",
    ],
    // No update check or telemetry: the test reads nothing from the network.
    { PATH: process.env.PATH, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
  );
  const report = JSON.parse(
    run.stdout.slice(run.stdout.indexOf("{"), run.stdout.lastIndexOf("}") + 1),
  ) as LintReport;
  const problems = report.problems.map(
    ({ ruleId, message, location }) => `${ruleId} at ${location[0]?.pointer}: ${message}`,
  );
  expect(problems).toEqual([]);
  const ignoreFile = parse(await Bun.file(".redocly.lint-ignore.yaml").text()) as Record<
    string,
    Record<string, string[]>
  >;
  const waived = Object.values(ignoreFile["openapi/kubently.json"] ?? {}).flat();
  expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: waived.length });
  const config = await Bun.file("redocly.yaml").text();
  expect(config).toMatch(/^extends:\n {2}- recommended\n$/m);
  expect(config).not.toContain("rules:");
  expect(run.code).toBe(0);
});
