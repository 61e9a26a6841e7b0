/**
 * Compiles the single-file binaries into dist/: `kubently` (the API server and CLI) and
 * `kubently-executor` (runs in each cluster). Each is a
 * standalone executable with the Bun runtime inside, so an operator copies one file to a VM.
 */
import { $ } from "bun";

const targets = [
  { entry: "src/index.ts", outfile: "dist/kubently" },
  { entry: "executor/index.ts", outfile: "dist/kubently-executor" },
];

for (const { entry, outfile } of targets) {
  await $`${process.execPath} build --compile --minify ${entry} --outfile ${outfile}`.quiet();
  console.log(`built ${outfile}`);
}
