/**
 * The running version, taken from package.json at build time so both binaries report it, and the
 * git commit build.ts embeds (KUBENTLY_COMMIT); run from source there is none, and it reads "dev".
 */
import pkg from "../package.json" with { type: "json" };

declare const KUBENTLY_COMMIT: string | undefined;

export const VERSION: string = pkg.version;

/** The git commit this binary was built from; "dev" when run from source. */
export const COMMIT: string = typeof KUBENTLY_COMMIT === "string" ? KUBENTLY_COMMIT : "dev";

/** What `kubently --version` prints: `0.1.0 (abc1234)`. */
export const VERSION_WITH_COMMIT = `${VERSION} (${COMMIT})`;
