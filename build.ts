/**
 * Compiles the single-file binaries: `kubently` (the API server and CLI) and `kubently-executor`
 * (runs in each cluster). Each is a standalone executable with the Bun runtime inside, so an
 * operator copies one file to a VM or into an image. `bun run build.ts [OUTDIR]` (default dist/).
 *
 * Identifiers are not minified: Elysia reads handlers' parameter names to decide which parts of
 * the request to parse, and mangled names leave `headers` undefined in compiled handlers.
 */
import { join } from "node:path";
import { $ } from "bun";

const outdir = process.argv[2] ?? "dist";
const targets = [
  { entry: "src/index.ts", name: "kubently" },
  { entry: "executor/index.ts", name: "kubently-executor" },
];

await Promise.all(
  targets.map(async ({ entry, name }) => {
    const outfile = join(outdir, name);
    await $`${process.execPath} build --compile --minify-syntax --minify-whitespace ${entry} --outfile ${outfile}`.quiet();
    console.log(`built ${outfile}`);
  }),
);
