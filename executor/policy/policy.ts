/**
 * Owns `decide`: whether the executor runs a command, and the exact argv it runs. Every rule is
 * applied to the parsed argv (parse.ts), never to substrings, in this order: the verb is a
 * kubectl built-in, the mode allows the command, no flag is forbidden, flags are well formed and
 * allowed for the command, their values are safe, positionals are plain, no restricted resource
 * is named, and every namespace reached is allowed. The namespace the request carries is then
 * added as `-n`, and the final argv is checked again from scratch, so what is approved is exactly
 * what runs.
 */
import { allowedCommands, commandAllowed, flagAllowed, NO_POSITIONALS } from "./allowlist";
import { type Decision, type Denial, deny, quote } from "./decision";
import { checkFlagValue, describeFlag, flagIsOn } from "./flag-values";
import { forbiddenFlagReason } from "./forbidden-flags";
import { KUBECTL_VERBS } from "./kubectl-commands";
import {
  actsInNamespace,
  clusterNamespacesRestricted,
  cpNamespaces,
  isNamespaceName,
  namespaceAllowed,
  namespaceRefusal,
  namespacesRestricted,
} from "./namespaces";
import { type ParsedCommand, parseKubectlArgv } from "./parse";
import { NAMESPACE_SPELLINGS, resourceRefs, restrictedSpellings } from "./resources";
import type { Policy } from "./schema";

export type { Policy } from "./schema";

/** The part of a Command the policy judges: the verb, its arguments, and the namespace to run in. */
export interface CommandRequest {
  command_type: string;
  args: readonly string[];
  namespace?: string;
}

const PLAIN_ARGUMENT = /^[\x21-\x7e]+$/;

function isDenial(result: Denial | ParsedCommand): result is Denial {
  return "code" in result;
}

function checkCommand(policy: Policy, parsed: ParsedCommand): Denial | undefined {
  const { mode } = policy;
  if (mode === "fullAccess" || commandAllowed(mode, parsed.path)) return undefined;
  const related = allowedCommands(mode).filter((command) => command.startsWith(`${parsed.verb} `));
  const hint = related.length > 0 ? ` It allows ${related.join(", ")}.` : "";
  return deny("VERB_NOT_ALLOWED", `${quote(parsed.path)} is not allowed in ${mode} mode.${hint}`);
}

function checkFlags(policy: Policy, parsed: ParsedCommand): Denial | undefined {
  for (const flag of parsed.flags) {
    const why = forbiddenFlagReason(parsed.path, flag.name);
    if (why !== undefined) return deny("FLAG_FORBIDDEN", `${describeFlag(flag)} is forbidden: ${why}.`);
  }
  const [issue] = parsed.issues;
  if (issue?.problem === "bad-syntax") {
    return deny("FLAG_SYNTAX_INVALID", `${quote(issue.token)} is not a valid flag.`);
  }
  if (issue?.problem === "missing-value") {
    return deny("FLAG_VALUE_MISSING", `${quote(issue.token)} needs a value.`);
  }
  if (policy.mode !== "fullAccess") {
    const refused = parsed.flags.find((flag) => !(flag.known && flagAllowed(parsed.path, flag.name)));
    if (refused !== undefined) {
      return deny("FLAG_NOT_ALLOWED", `${describeFlag(refused)} is not allowed for ${quote(parsed.path)}.`);
    }
  }
  for (const flag of parsed.flags) {
    const denial = checkFlagValue(flag, parsed.path);
    if (denial !== undefined) return denial;
  }
  return undefined;
}

function checkArguments(parsed: ParsedCommand): Denial | undefined {
  const { positionals } = parsed;
  // The commands the read-only modes run take only names, types, ports and URL paths; fullAccess
  // commands may take free text (`annotate pod x 'note=two words'`).
  const plainOnly = commandAllowed("extendedReadOnly", parsed.path);
  for (const arg of positionals) {
    if (arg.startsWith("-")) {
      return deny(
        "ARGUMENT_INVALID",
        `Argument ${quote(arg)} looks like a flag but is passed as an argument.`,
      );
    }
    if (plainOnly && !PLAIN_ARGUMENT.test(arg)) {
      return deny("ARGUMENT_INVALID", `Argument ${quote(arg)} must be printable ASCII without spaces.`);
    }
  }
  if (NO_POSITIONALS.has(parsed.path) && positionals.length > 0) {
    return deny(
      "ARGUMENT_NOT_ALLOWED",
      `${quote(parsed.path)} takes no arguments, got ${quote(positionals[0] ?? "")}.`,
    );
  }
  return undefined;
}

function checkResources(policy: Policy, parsed: ParsedCommand): Denial | undefined {
  const restricted = restrictedSpellings(policy.restrictedResources);
  const ref = resourceRefs(parsed).find((candidate) => restricted.has(candidate.resource));
  return ref === undefined
    ? undefined
    : deny("RESOURCE_RESTRICTED", `Resource ${quote(ref.written)} is restricted by policy.`);
}

function checkNamespace(policy: Policy, name: string, source: string): Denial | undefined {
  if (!isNamespaceName(name)) {
    return deny("NAMESPACE_INVALID", `${source} ${quote(name)} is not a valid namespace name.`);
  }
  const refusedBy = namespaceRefusal(policy, name);
  return refusedBy === undefined
    ? undefined
    : deny("NAMESPACE_DENIED", `Namespace ${quote(name)} is not allowed by ${refusedBy}.`);
}

function checkNamespaces(policy: Policy, parsed: ParsedCommand): Denial | undefined {
  const reached: Array<[name: string, source: string]> = [];
  for (const flag of parsed.flags) {
    if (flag.name === "all-namespaces" && flagIsOn(flag) && clusterNamespacesRestricted(policy)) {
      return deny("ALL_NAMESPACES_DENIED", `${describeFlag(flag)} would reach namespaces the policy denies.`);
    }
    if (flag.name === "namespace") reached.push([flag.value ?? "", describeFlag(flag)]);
    if (flag.name === "namespaces") {
      for (const name of (flag.value ?? "").split(",")) reached.push([name, describeFlag(flag)]);
    }
  }
  for (const ref of resourceRefs(parsed)) {
    if (NAMESPACE_SPELLINGS.has(ref.resource) && ref.name !== undefined) {
      reached.push([ref.name, "Namespace"]);
    }
  }
  if (parsed.verb === "cp") {
    for (const name of cpNamespaces(parsed.positionals)) reached.push([name, "Namespace"]);
  }
  for (const [name, source] of reached) {
    const denial = checkNamespace(policy, name, source);
    if (denial !== undefined) return denial;
  }
  return undefined;
}

/** Every check on one argv; the parsed command when all pass. */
function evaluate(policy: Policy, argv: readonly string[]): Denial | ParsedCommand {
  if (policy.mode === "fullAccess" && !policy.acknowledgeFullAccess) {
    return deny(
      "FULL_ACCESS_NOT_ACKNOWLEDGED",
      "Policy mode fullAccess is not acknowledged (acknowledgeFullAccess).",
    );
  }
  if (argv.some((arg) => arg.includes("\0"))) {
    return deny("ARGUMENT_INVALID", "Arguments may not contain NUL characters.");
  }
  const verb = argv[0] ?? "";
  if (!KUBECTL_VERBS.has(verb)) {
    return deny("VERB_UNKNOWN", `${quote(verb)} is not a kubectl command (kubectl would look for a plugin).`);
  }
  const parsed = parseKubectlArgv(argv);
  return (
    checkCommand(policy, parsed) ??
    checkFlags(policy, parsed) ??
    checkArguments(parsed) ??
    checkResources(policy, parsed) ??
    checkNamespaces(policy, parsed) ??
    parsed
  );
}

/**
 * The `-n` to add, if any: the request's namespace when the args name none, or the policy's
 * default namespace when namespaces are restricted and the command would otherwise run in
 * whatever namespace the executor's kubeconfig defaults to.
 */
function namespaceToAdd(
  policy: Policy,
  request: CommandRequest,
  parsed: ParsedCommand,
): Denial | string | undefined {
  const given = parsed.flags.filter((flag) => flag.name === "namespace");
  const { namespace } = request;
  if (namespace !== undefined) {
    if (!isNamespaceName(namespace)) {
      return deny("NAMESPACE_INVALID", `Namespace ${quote(namespace)} is not a valid namespace name.`);
    }
    const conflicting = given.find((flag) => flag.value !== namespace);
    if (conflicting !== undefined) {
      return deny(
        "NAMESPACE_CONFLICT",
        `${describeFlag(conflicting)} names ${quote(conflicting.value ?? "")} but the command is for namespace ${quote(namespace)}.`,
      );
    }
    return given.length === 0 ? namespace : undefined;
  }
  const allNamespaces = parsed.flags.some((flag) => flag.name === "all-namespaces" && flagIsOn(flag));
  if (given.length > 0 || allNamespaces || !namespacesRestricted(policy) || !actsInNamespace(parsed.verb)) {
    return undefined;
  }
  if (!namespaceAllowed(policy, policy.defaultNamespace)) {
    return deny(
      "NAMESPACE_DENIED",
      `The command names no namespace and the default, ${quote(policy.defaultNamespace)}, is not allowed; pass -n.`,
    );
  }
  return policy.defaultNamespace;
}

/** `-n NAME` goes before a `--` so it stays a kubectl flag and never joins a container command. */
function withNamespace(argv: readonly string[], namespace: string): string[] {
  const dash = argv.indexOf("--", 1);
  const at = dash === -1 ? argv.length : dash;
  return [...argv.slice(0, at), "-n", namespace, ...argv.slice(at)];
}

/** Decides whether the executor may run `kubectl <command_type> <args...>` and with which argv. */
export function decide(policy: Policy, request: CommandRequest): Decision {
  const argv = [request.command_type, ...request.args];
  const parsed = evaluate(policy, argv);
  if (isDenial(parsed)) return parsed;
  const namespace = namespaceToAdd(policy, request, parsed);
  if (typeof namespace === "object") return namespace;
  if (namespace === undefined) return { allowed: true, argv };
  const final = withNamespace(argv, namespace);
  const recheck = evaluate(policy, final);
  return isDenial(recheck) ? recheck : { allowed: true, argv: final };
}
