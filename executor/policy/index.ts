/**
 * The executor's command policy: what an executor may run on behalf of agents, decided on
 * kubectl's own reading of the argv. Imports nothing from src/: the executor ships on its own.
 */
export { allowedCommands } from "./allowlist";
export { DENY_CODES, type Decision, type Denial, type DenyCode } from "./decision";
export { MAX_VERBOSITY } from "./flag-values";
export { FORBIDDEN_FLAG_NAMES } from "./forbidden-flags";
export {
  DEFAULT_POLICY,
  loadPolicy,
  PolicyError,
  type PolicyErrorCode,
  parsePolicy,
  policyFrom,
} from "./load";
export { type ParsedCommand, type ParsedFlag, parseKubectlArgv } from "./parse";
export { type CommandRequest, decide } from "./policy";
export { type Mode, type NamespaceRules, type Policy, PolicySchema } from "./schema";
export { type PrincipalScope, scopedPolicy } from "./scope";
