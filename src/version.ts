/** The running version, taken from package.json at build time so both binaries report it. */
import pkg from "../package.json" with { type: "json" };

export const VERSION: string = pkg.version;
