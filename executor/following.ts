/**
 * Owns telling a following command from one that ends by itself: `logs -f`, `get -w`/`--watch-only`,
 * `events -w`, and `rollout status` (which waits unless `--watch=false`) hold their kubectl process
 * until they are stopped: the runner ends them at their window (or line or byte bound) with what
 * arrived. The slots (slots.ts) never let one principal's following commands take the last free
 * process slot. Decided on parsed argv, like the policy (and by the server, for the window).
 */
import { parseKubectlArgv } from "./policy";
import { flagIsOn } from "./policy/flag-values";

const FOLLOW_FLAGS = new Set(["follow", "watch", "watch-only"]);

export function isFollowing(argv: readonly string[]): boolean {
  const parsed = parseKubectlArgv(argv);
  if (parsed.path === "rollout status") {
    return parsed.flags.every((flag) => flag.name !== "watch" || flagIsOn(flag));
  }
  return parsed.flags.some((flag) => FOLLOW_FLAGS.has(flag.name) && flagIsOn(flag));
}
