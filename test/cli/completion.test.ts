/**
 * `kubently completion`: the scripts the real CLI prints, sourced into real shells, asked what they
 * complete. bash is called as bash calls a completion function (COMP_WORDS, COMP_CWORD); fish through
 * `complete -C`; zsh through bashcompinit (zsh filters the candidates by the typed prefix itself, so
 * only empty prefixes are asked there). Context names come from a real config file.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runKubently } from "../support/cli";
import { runToEnd } from "../support/process";

let dir = "";
let env: Record<string, string> = {};
const scripts: Record<string, string> = {};
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kubently-completion-"));
  // The scripts run `kubently` to list contexts: a `kubently` on PATH that is this checkout.
  mkdirSync(join(dir, "bin"));
  writeFileSync(
    join(dir, "bin", "kubently"),
    `#!/bin/sh\nexec ${process.execPath} ${join(process.cwd(), "src/index.ts")} "$@"\n`,
  );
  chmodSync(join(dir, "bin", "kubently"), 0o755);
  writeFileSync(
    join(dir, "config.yaml"),
    "contexts:\n  prod: {url: 'https://a.example'}\n  dev: {url: 'https://b.example'}\n",
  );
  env = {
    PATH: `${join(dir, "bin")}:${process.env.PATH}`,
    KUBENTLY_CONFIG: join(dir, "config.yaml"),
    HOME: dir,
  };
  for (const shell of ["bash", "zsh", "fish"]) {
    const run = await runKubently(["completion", shell]);
    expect({ shell, code: run.code, stderr: run.stderr }).toEqual({ shell, code: 0, stderr: "" });
    scripts[shell] = join(dir, `kubently.${shell}`);
    writeFileSync(scripts[shell], run.stdout);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What bash's completion offers for the words typed so far (the last one is being typed). */
async function bashCompletes(words: string[]): Promise<string[]> {
  const quoted = words.map((word) => `'${word}'`).join(" ");
  const script = `source ${scripts.bash}; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _kubently; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const run = await runToEnd(["bash", "--noprofile", "--norc", "-c", script], env);
  expect(run.stderr).toBe("");
  return run.stdout.split("\n").filter(Boolean);
}

describe("bash", () => {
  test.each([
    [["kubently", "ses"], ["session"]],
    [
      ["kubently", "session", ""],
      ["start", "get", "end"],
    ],
    [["kubently", "config", "use"], ["use-context"]],
    [
      ["kubently", "config", "use-context", ""],
      ["prod", "dev"],
    ],
    [
      ["kubently", "exec", "--context", ""],
      ["prod", "dev"],
    ],
    [
      ["kubently", "clusters", "-o", ""],
      ["json", "yaml", "wide", "name"],
    ],
    [["kubently", "audit", "list", "--outcome", "d"], ["denied"]],
    [
      ["kubently", "completion", ""],
      ["bash", "zsh", "fish"],
    ],
    [["kubently", "session", "start", "--t"], ["--ttl"]],
    [["kubently", "--url", "http://x", "heal"], ["health"]],
    [["kubently", "exec", "prod", "get", "pods", "-n", ""], []],
  ])("%j completes to %j", async (words, expected) => {
    expect(await bashCompletes(words)).toEqual(expected);
  });

  test("offers every command --help lists: a new command needs no edit to the script", async () => {
    for (const group of [[], ["config"], ["session"], ["audit"], ["token"]]) {
      const help = (await runKubently([...group, "--help"])).stdout;
      const commands = help.split("Commands:\n")[1]?.split("\n\n")[0] ?? "";
      const listed = [...commands.matchAll(/^ {2}(\w[\w-]*)/gm)].map(([, name]) => name ?? "");
      expect(listed.length).toBeGreaterThan(1);
      expect(await bashCompletes(["kubently", ...group, ""])).toEqual(
        listed.filter((name) => name !== "help"),
      );
    }
  });
});

describe("fish", () => {
  test.each([
    ["kubently ses", ["session\tStart or end a debugging session."]],
    ["kubently config use-context ", ["dev", "prod"]],
    ["kubently audit list --outcome den", ["denied\tonly entries with this outcome"]],
  ])("%j", async (line, expected) => {
    const run = await runToEnd(
      ["fish", "--no-config", "-c", `source ${scripts.fish}; complete -C '${line}'`],
      env,
    );
    expect(run.stderr).toBe("");
    expect(run.stdout.split("\n").filter(Boolean)).toEqual(expected);
  });
});

describe("zsh", () => {
  test.each([
    [
      ["kubently", "session", ""],
      ["start", "get", "end"],
    ],
    [
      ["kubently", "config", "delete-context", ""],
      ["prod", "dev"],
    ],
  ])("%j", async (words, expected) => {
    const script = `source ${scripts.zsh}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _kubently; print -l -- "\${COMPREPLY[@]}"`;
    const run = await runToEnd(["zsh", "-f", "-c", script], env);
    expect(run.stderr).toBe("");
    expect(run.stdout.split("\n").filter(Boolean)).toEqual(expected);
  });
});
