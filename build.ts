/**
 * Compiles the release binaries: `kubently` (the API server and CLI) and `kubently-executor` (runs
 * in each cluster), each a standalone executable with the Bun runtime inside, so an operator copies
 * one file to a VM or into an image. `bun run build.ts [OUTDIR]` (default dist/) writes:
 *
 *   kubently-linux-x64, kubently-executor-linux-x64       always
 *   kubently-linux-arm64, kubently-executor-linux-arm64   when Bun can fetch the arm64 runtime
 *   kubently, kubently-executor                           this machine's binaries (hard links to
 *                                                         its platform's pair on Linux)
 *   SHA256SUMS                                            the linux binaries, in `sha256sum` format
 *
 * Cross-compiling needs the target's Bun runtime, which Bun downloads (from the npm registry) and
 * caches; when it cannot, arm64 is skipped with the reason printed and the build still succeeds.
 * The git commit is embedded as KUBENTLY_COMMIT, so `--version` prints e.g. `0.1.0 (abc1234)`.
 *
 * Identifiers are not minified: Elysia reads handlers' parameter names to decide which parts of
 * the request to parse, and mangled names leave `headers` undefined in compiled handlers.
 */
import { linkSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pkg from "./package.json" with { type: "json" };

const outdir = process.argv[2] ?? "dist";
const PROGRAMS = [
  { entry: join(import.meta.dir, "src/index.ts"), name: "kubently" },
  { entry: join(import.meta.dir, "executor/index.ts"), name: "kubently-executor" },
];
const ARCHES = ["x64", "arm64"] as const;
// A download that neither finishes nor fails (a network that drops packets) must not hang the build.
const CROSS_TIMEOUT_MS = 45_000;

class TargetUnavailable extends Error {}

/** The short commit of the checkout being built; "unknown" without git or outside a repository. */
function gitCommit(): string {
  const git = Bun.which("git");
  const run =
    git === null
      ? null
      : Bun.spawnSync([git, "rev-parse", "--short", "HEAD"], { cwd: import.meta.dir, stderr: "ignore" });
  const commit = run?.success ? run.stdout.toString().trim() : "";
  return commit === "" ? "unknown" : commit;
}

const commit = gitCommit();
const released = (arch: string) => PROGRAMS.map(({ name }) => `${name}-linux-${arch}`);

/** One `bun build --compile`; a target whose runtime Bun cannot fetch throws TargetUnavailable. */
async function compile(entry: string, outfile: string, target?: string): Promise<void> {
  const proc = Bun.spawn(
    [
      process.execPath,
      "build",
      "--compile",
      "--minify-syntax",
      "--minify-whitespace",
      "--define",
      `KUBENTLY_COMMIT=${JSON.stringify(commit)}`,
      ...(target === undefined ? [] : [`--target=${target}`]),
      entry,
      "--outfile",
      outfile,
    ],
    { stdout: "pipe", stderr: "pipe", timeout: CROSS_TIMEOUT_MS },
  );
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code === 0) return;
  const download = /Failed to download[^\n]*/.exec(stdout + stderr);
  if (download !== null) throw new TargetUnavailable(download[0]);
  if (proc.signalCode !== null) {
    throw new TargetUnavailable(`no answer within ${CROSS_TIMEOUT_MS / 1000} s while fetching it`);
  }
  throw new Error(`bun build ${entry} (${target ?? "host"}) failed:\n${stdout}${stderr}`);
}

/** Both programs for linux-`arch`, one after the other so a runtime download happens once. */
async function buildArch(arch: (typeof ARCHES)[number]): Promise<boolean> {
  try {
    for (const { entry, name } of PROGRAMS) {
      await compile(entry, join(outdir, `${name}-linux-${arch}`), `bun-linux-${arch}`);
    }
    return true;
  } catch (error) {
    if (!(error instanceof TargetUnavailable)) throw error;
    for (const file of released(arch)) rmSync(join(outdir, file), { force: true });
    console.log(`skipped linux-${arch}: Bun could not get its bun-linux-${arch} runtime: ${error.message}`);
    return false;
  }
}

async function sha256(path: string): Promise<string> {
  const hasher = new Bun.CryptoHasher("sha256");
  for await (const chunk of Bun.file(path).stream()) hasher.update(chunk);
  return hasher.digest("hex");
}

mkdirSync(outdir, { recursive: true });
// Only files this script writes are removed, so an earlier build's binaries never pass for this one's.
for (const file of [...ARCHES.flatMap(released), ...PROGRAMS.map(({ name }) => name), "SHA256SUMS"]) {
  rmSync(join(outdir, file), { force: true });
}

const outcomes = await Promise.all(ARCHES.map(buildArch));
const built = ARCHES.filter((_, i) => outcomes[i]);
if (!built.includes("x64")) throw new Error("linux-x64 could not be built");

const hostArch = ARCHES.find((arch) => arch === process.arch);
await Promise.all(
  PROGRAMS.map(async ({ entry, name }) => {
    if (process.platform === "linux" && hostArch !== undefined && built.includes(hostArch)) {
      linkSync(join(outdir, `${name}-linux-${hostArch}`), join(outdir, name));
    } else {
      await compile(entry, join(outdir, name));
    }
  }),
);

const files = built.flatMap(released).sort();
const sums = await Promise.all(files.map(async (file) => `${await sha256(join(outdir, file))}  ${file}\n`));
writeFileSync(join(outdir, "SHA256SUMS"), sums.join(""));
for (const file of [...files, ...PROGRAMS.map(({ name }) => name), "SHA256SUMS"]) {
  console.log(`built ${join(outdir, file)}`);
}
console.log(`version ${pkg.version} (${commit})`);
