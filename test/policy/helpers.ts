/**
 * Shared fixtures for the policy tests: the policies the tables run under, and a shorthand for
 * deciding on a verb and its args.
 */
import { DEFAULT_POLICY, type Decision, decide, type Policy } from "../../executor/policy";

export const READ_ONLY: Policy = DEFAULT_POLICY;
export const EXTENDED: Policy = { ...DEFAULT_POLICY, mode: "extendedReadOnly" };
export const FULL: Policy = { ...DEFAULT_POLICY, mode: "fullAccess", acknowledgeFullAccess: true };
/** kube-system and every kube-* namespace denied, everything else allowed. */
export const NO_KUBE: Policy = { ...DEFAULT_POLICY, deniedNamespaces: ["kube-system", "kube-*"] };
/** Only team-a-* and shop reachable; unnamed commands pinned to shop. */
export const TEAM_ONLY: Policy = {
  ...DEFAULT_POLICY,
  allowedNamespaces: ["team-a-*", "shop"],
  defaultNamespace: "shop",
};

export function run(policy: Policy, argv: readonly string[], namespace?: string): Decision {
  const [command_type = "", ...args] = argv;
  return decide(policy, namespace === undefined ? { command_type, args } : { command_type, args, namespace });
}
