/**
 * The policy's maxOutputBytes reaches kubectl's runner through the agent: a policy file's cap, not
 * the default, is what cuts a real process's output, and the result says it was cut.
 */
import { afterAll, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent } from "../../executor/agent";
import { silentLog } from "../../executor/log";
import { loadPolicy } from "../../executor/policy";
import { createRunner } from "../../executor/runner";
import type { CommandResult } from "../../src/models";
import { makeCommand } from "../support/fixtures";

const dir = mkdtempSync(join(tmpdir(), "kubently-output-cap-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A "kubectl" that prints 50,000 bytes of stdout and 50,000 of stderr, whatever it is asked. */
const kubectl = join(dir, "kubectl");
writeFileSync(
  kubectl,
  "#!/bin/sh\nhead -c 50000 /dev/zero | tr '\\0' o\nhead -c 50000 /dev/zero | tr '\\0' e >&2\n",
);
chmodSync(kubectl, 0o755);

async function runUnder(maxOutputBytes: number): Promise<CommandResult> {
  const policyFile = join(dir, `policy-${maxOutputBytes}.yaml`);
  writeFileSync(policyFile, `mode: readOnly\nmaxOutputBytes: ${maxOutputBytes}\n`);
  const { promise: posted, resolve } = Promise.withResolvers<CommandResult>();
  const agent = new Agent({
    clusterId: "capped",
    version: "test",
    policy: loadPolicy(policyFile),
    runner: createRunner({ kubectl, env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } }),
    sink: {
      async post(result) {
        resolve(result);
        return true;
      },
    },
    log: silentLog,
  });
  agent.accept(makeCommand("capped", { command_type: "get", args: ["pods"] }));
  return posted;
}

test.each([100, 4_096])(
  "a policy's maxOutputBytes of %d cuts each stream there, and says so",
  async (cap) => {
    const result = await runUnder(cap);
    expect(result.status).toBe("success");
    expect(result.stdout).toBe("o".repeat(cap));
    expect(result.stderr).toBe("e".repeat(cap));
    expect(result.truncated).toBe(true);
  },
);
