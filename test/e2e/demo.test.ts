/**
 * The README's demo command does what it says: a short debugging session, then where to go next,
 * every line of which works while it runs (the URLs answer, the admin key signs in, the CLI lines run
 * as printed in a shell), then a clean stop on Ctrl-C (SIGINT).
 */
import { expect, test } from "bun:test";
import { CRASH_LOG_LINE, CRASHING_POD, SHOP_NAMESPACE } from "../k8s/scenario";
import { spawnProcess } from "../support/process";

/** The printed line matching `pattern`, its first group; fails the test when there is none. */
function printed(stdout: string, pattern: RegExp): string {
  const match = stdout.match(pattern);
  if (!match?.[1]) throw new Error(`the demo printed no line matching ${pattern}:\n${stdout}`);
  return match[1];
}

test("npm run demo walks through a debugging session, prints working next steps, stops on Ctrl-C", async () => {
  const demo = spawnProcess([process.execPath, "scripts/demo.ts"], {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
  });
  try {
    await demo.waitForLine(/Ctrl-C stops everything/, 60_000);
    const stdout = demo.stdout();
    expect(stdout).toMatch(new RegExp(`${CRASHING_POD}\\s+0/1\\s+CrashLoopBackOff`));
    expect(stdout).toContain(CRASH_LOG_LINE);
    expect(stdout).toContain("403 COMMAND_DENIED");

    const docs = printed(stdout, /API docs.*?(http:\/\/\S+\/docs)\s*$/m);
    const docsPage = await fetch(docs);
    expect(docsPage.status).toBe(200);
    expect(await docsPage.text()).toContain("swagger");

    const ui = printed(stdout, /status page\s+(http:\/\/\S+\/ui)\s/m);
    const uiPage = await fetch(ui);
    expect(uiPage.status).toBe(200);
    expect(uiPage.headers.get("content-type")).toContain("text/html");
    const adminKey = printed(stdout, /sign in with the admin key (\S+)\)/);
    const status = await fetch(ui.replace(/\/ui$/, "/admin/status"), { headers: { "x-api-key": adminKey } });
    expect(status.status).toBe(200);

    // The CLI lines, run as a person pastes them into a shell.
    const lines = [
      /^\s*(export KUBENTLY_URL=.*)$/m,
      /^\s*(alias kubently=.*)$/m,
      /^\s*(kubently exec demo .*)$/m,
    ];
    const script = ["shopt -s expand_aliases", ...lines.map((line) => printed(stdout, line))].join("\n");
    expect(script).toContain(`get pods -n ${SHOP_NAMESPACE}`);
    const cli = spawnProcess(["bash", "-c", script], { PATH: process.env.PATH, HOME: process.env.HOME });
    const cliCode = await cli.proc.exited;
    await cli.drained;
    const [cliOut, cliErr] = [cli.stdout(), cli.stderr()];
    expect({ code: cliCode, stderr: cliErr }).toEqual({ code: 0, stderr: "" });
    expect(cliOut).toMatch(new RegExp(`${CRASHING_POD}\\s+0/1\\s+CrashLoopBackOff`));

    demo.proc.kill("SIGINT");
    expect(await demo.proc.exited).toBe(0);
    await demo.drained;
    expect(demo.stdout()).toContain("stopped server, executor and simulated cluster");
    expect((await fetch(docs).catch((error: Error) => error)) instanceof Error).toBe(true);
  } finally {
    demo.proc.kill("SIGTERM");
  }
}, 90_000);
