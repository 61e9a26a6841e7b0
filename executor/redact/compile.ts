/**
 * Owns turning a policy's `redaction` section into a Redactor: the default rules it leaves on,
 * then its own rules, each checked first. A policy rule is refused, with the field and why, when
 * its name is a default rule's or given twice, when it gives both patterns or neither, when its
 * pattern does not compile, could backtrack exponentially (safe-regex2), or (a value pattern)
 * matches the empty string. The policy loader runs this check at load, so a policy with a bad
 * rule never starts an executor.
 */
import type { Policy } from "../policy/schema";
import { FORMAT_RULES, type ValueRule } from "./formats";
import { isCredentialName } from "./names";
import { patternProblem } from "./pattern-check";
import { DEFAULT_RULE_NAMES } from "./rule-names";

type RedactionConfig = NonNullable<Policy["redaction"]>;

export interface NameRule {
  name: string;
  matches(name: string): boolean;
}

export interface Redactor {
  /** Every rule on, by name: defaults first, then the policy's own. */
  readonly ruleNames: readonly string[];
  /** Rules on values by their format, in the order they run. */
  readonly valueRules: readonly ValueRule[];
  /** Rules on names: the policy's own first, then secret-name. */
  readonly nameRules: readonly NameRule[];
  /** The first name rule that `name` matches: the rule whose marker replaces its value. */
  ruleForName(name: string): string | undefined;
  /** Whether every value of a Secret's data is replaced (encoded-values.ts). */
  readonly secretData: boolean;
}

export class RedactionRuleError extends Error {
  constructor(
    /** The offending field, as a path like "redaction/rules/0/valuePattern". */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "RedactionRuleError";
  }
}

function compilePattern(source: string, flags: string, field: string): RegExp {
  let pattern: RegExp;
  try {
    pattern = new RegExp(source, flags);
  } catch (error) {
    throw new RedactionRuleError(field, `not a valid regular expression: ${(error as Error).message}`);
  }
  const problem = patternProblem(pattern, flags.includes("g"));
  if (problem !== undefined) throw new RedactionRuleError(field, problem);
  return pattern;
}

/** The redactor a policy's `redaction` section describes; throws RedactionRuleError for a bad rule. */
export function compileRedaction(config: RedactionConfig | undefined): Redactor {
  const disabled = new Set<string>(config?.disable ?? []);
  const ruleNames: string[] = DEFAULT_RULE_NAMES.filter((name) => !disabled.has(name));
  const valueRules: ValueRule[] = FORMAT_RULES.filter((rule) => !disabled.has(rule.name));
  const nameRules: NameRule[] = [];
  const taken = new Set<string>(DEFAULT_RULE_NAMES);
  for (const [index, rule] of (config?.rules ?? []).entries()) {
    const field = `redaction/rules/${index}`;
    if (taken.has(rule.name)) {
      const why = (DEFAULT_RULE_NAMES as readonly string[]).includes(rule.name)
        ? "is a default rule's name (switch that one off with disable)"
        : "is given twice";
      throw new RedactionRuleError(`${field}/name`, `${rule.name} ${why}`);
    }
    taken.add(rule.name);
    if ((rule.namePattern === undefined) === (rule.valuePattern === undefined)) {
      throw new RedactionRuleError(field, "give exactly one of namePattern and valuePattern");
    }
    if (rule.namePattern !== undefined) {
      const pattern = compilePattern(rule.namePattern, "i", `${field}/namePattern`);
      nameRules.push({ name: rule.name, matches: (name) => pattern.test(name) });
    } else if (rule.valuePattern !== undefined) {
      const pattern = compilePattern(rule.valuePattern, "g", `${field}/valuePattern`);
      if (new RegExp(pattern.source).test("")) {
        throw new RedactionRuleError(
          `${field}/valuePattern`,
          "matches the empty string; it must match only the credential itself",
        );
      }
      valueRules.push({ name: rule.name, patterns: [pattern] });
    }
    ruleNames.push(rule.name);
  }
  if (!disabled.has("secret-name")) nameRules.push({ name: "secret-name", matches: isCredentialName });
  return {
    ruleNames,
    valueRules,
    nameRules,
    ruleForName: cachedLookup(nameRules),
    secretData: !disabled.has("secret-data"),
  };
}

/** Names repeat across objects (metadata, name, image…): each is judged once, up to a bound. */
const NAME_CACHE_LIMIT = 4096;

function cachedLookup(nameRules: readonly NameRule[]): (name: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (name) => {
    if (cache.has(name)) return cache.get(name);
    const rule = nameRules.find((candidate) => candidate.matches(name))?.name;
    if (cache.size >= NAME_CACHE_LIMIT) cache.clear();
    cache.set(name, rule);
    return rule;
  };
}

const compiled = new WeakMap<Policy, Redactor>();

/** The redactor of a loaded (so already checked) policy, compiled once per policy object. */
export function redactorFor(policy: Policy): Redactor {
  let redactor = compiled.get(policy);
  if (redactor === undefined) {
    redactor = compileRedaction(policy.redaction);
    compiled.set(policy, redactor);
  }
  return redactor;
}
