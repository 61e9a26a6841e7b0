/**
 * Compiles the single-file binaries into dist/: `kubently` (the API server and CLI). Each is a
 * standalone executable with the Bun runtime inside, so an operator copies one file to a VM.
 */
import { $ } from "bun";

const targets = [{ entry: "src/index.ts", outfile: "dist/kubently" }];

for (const { entry, outfile } of targets) {
  await $`${process.execPath} build --compile --minify ${entry} --outfile ${outfile}`.quiet();
  console.log(`built ${outfile}`);
}
