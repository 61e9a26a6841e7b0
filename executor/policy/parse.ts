/**
 * Owns turning a kubectl argv (verb first) into tokens with meaning, the way cobra and pflag do
 * it, so that the policy decides on what kubectl will actually do and never on substrings:
 * `--flag=value`, `--flag value`, boolean flags that take no value (`--all-namespaces pods`
 * keeps `pods`), `-nshop`, `-n=shop`, runs of shorthands (`-Aw`, and `-Afalse` which kubectl
 * reads as `-A -f alse`), `_` spelled for `-` in long names, `--` ending the flags, and
 * subcommands found the way cobra finds them (the first non-flag token, judged with the
 * parent command's flags only).
 *
 * Parsing never fails: tokens kubectl would reject are reported in `issues`, and flags the
 * command does not have are kept with `known: false`, so the policy can refuse them by name.
 * An unknown flag consumes no value: whatever follows it is read on its own as a flag or a
 * positional, i.e. checked under its most dangerous reading.
 */
import { CONTAINER_COMMAND_VERBS, hasSubcommands, resolveSubcommand } from "./kubectl-commands";
import { type FlagKind, type FlagSpec, type FlagTable, GLOBAL_FLAGS, localFlagsOf } from "./kubectl-flags";

export interface ParsedFlag {
  /** Canonical long name (shorthand and `_` spellings resolved); an unknown shorthand keeps its letter. */
  name: string;
  /** The value given or consumed; absent for a boolean flag written bare. */
  value?: string;
  /** The token the flag was written in, e.g. "-nshop", "--namespace=shop", "-Aw". */
  raw: string;
  /** The shorthand letter, when the flag was written as one. */
  short?: string;
  /** Whether kubectl has this flag on this command. */
  known: boolean;
  kind?: FlagKind;
}

export interface ParseIssue {
  token: string;
  problem: "bad-syntax" | "missing-value";
}

export interface ParsedCommand {
  verb: string;
  subcommand?: string;
  /** The command path flags are looked up under, e.g. "get" or "rollout status". */
  path: string;
  /** Arguments kubectl itself reads (for most commands, including those after `--`). */
  positionals: string[];
  /** For exec, run and debug: what follows `--`, which goes to the container, not to kubectl. */
  containerCommand?: string[];
  flags: ParsedFlag[];
  issues: ParseIssue[];
}

// Maps rather than the tables themselves, so that argv text such as "constructor" finds nothing.
interface FlagLookup {
  byName: ReadonlyMap<string, FlagSpec>;
  byShort: ReadonlyMap<string, string>;
}

function buildLookup(local: FlagTable): FlagLookup {
  const byName = new Map(Object.entries({ ...GLOBAL_FLAGS, ...local }));
  const byShort = new Map<string, string>();
  for (const [name, spec] of byName) {
    if (spec.short !== undefined) byShort.set(spec.short, name);
  }
  return { byName, byShort };
}

/** Cobra finds a subcommand knowing only the parent's flags; kubectl's parents have only the global ones. */
const PARENT_LOOKUP = buildLookup({});
// Keyed by table, not by path: paths come from argv and would grow the cache without bound.
const lookupCache = new WeakMap<FlagTable, FlagLookup>();

function lookupFor(path: string): FlagLookup {
  const local = localFlagsOf(path);
  let lookup = lookupCache.get(local);
  if (lookup === undefined) {
    lookup = buildLookup(local);
    lookupCache.set(local, lookup);
  }
  return lookup;
}

/** kubectl installs pflag's word-separator normaliser: `--all_namespaces` is `--all-namespaces`. */
function normalizeName(name: string): string {
  return name.replaceAll("_", "-");
}

function isBoolName(lookup: FlagLookup, name: string): boolean {
  return lookup.byName.get(normalizeName(name))?.kind === "bool";
}

function isBoolShort(lookup: FlagLookup, short: string): boolean {
  const name = lookup.byShort.get(short);
  return name !== undefined && lookup.byName.get(name)?.kind === "bool";
}

/**
 * Index of the token cobra would take as the subcommand (its stripFlags/argsMinusFirstX):
 * the first non-flag token, skipping the next token after any `--flag` or `-x` written without
 * `=` that is not boolean at the parent level. An unknown flag is assumed to take a value here,
 * as cobra assumes: `top -A pod` is not `top pod` for kubectl either.
 */
function subcommandIndex(tokens: readonly string[], parent: FlagLookup): number {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? "";
    if (token === "--") return -1;
    const attached = token.includes("=");
    if (token.startsWith("--") && !attached && !isBoolName(parent, token.slice(2))) {
      i++;
    } else if (
      token.length === 2 &&
      token.startsWith("-") &&
      !attached &&
      !isBoolShort(parent, token.slice(1))
    ) {
      i++;
    } else if (token !== "" && !token.startsWith("-")) {
      return i;
    }
  }
  return -1;
}

class FlagParser {
  readonly flags: ParsedFlag[] = [];
  readonly issues: ParseIssue[] = [];
  readonly positionals: string[] = [];
  afterDash: string[] | undefined;
  private next = 0;

  constructor(
    private readonly lookup: FlagLookup,
    private readonly tokens: readonly string[],
  ) {}

  parse(): void {
    while (this.next < this.tokens.length) {
      const token = this.tokens[this.next++] ?? "";
      if (token.length < 2 || !token.startsWith("-")) {
        this.positionals.push(token);
      } else if (token === "--") {
        this.afterDash = this.tokens.slice(this.next);
        return;
      } else if (token.startsWith("--")) {
        this.parseLong(token);
      } else {
        this.parseShorts(token);
      }
    }
  }

  private parseLong(token: string): void {
    const body = token.slice(2);
    if (body.startsWith("-") || body.startsWith("=")) {
      this.issues.push({ token, problem: "bad-syntax" });
      return;
    }
    const eq = body.indexOf("=");
    const name = normalizeName(eq === -1 ? body : body.slice(0, eq));
    const spec = this.lookup.byName.get(name);
    const flag: ParsedFlag = { name, raw: token, known: spec !== undefined };
    if (spec !== undefined) flag.kind = spec.kind;
    this.flags.push(flag);
    if (eq !== -1) flag.value = body.slice(eq + 1);
    else if (spec?.kind === "value") this.takeValue(flag);
  }

  /** pflag's parseShortArg: each letter is a flag until one that takes a value eats the rest. */
  private parseShorts(token: string): void {
    for (let at = 1; at < token.length; at++) {
      const letter = token.charAt(at);
      const name = this.lookup.byShort.get(letter);
      const spec = name === undefined ? undefined : this.lookup.byName.get(name);
      const flag: ParsedFlag = { name: name ?? letter, raw: token, short: letter, known: spec !== undefined };
      if (spec !== undefined) flag.kind = spec.kind;
      this.flags.push(flag);
      const rest = token.slice(at + 1);
      if (rest.length > 1 && rest.startsWith("=")) {
        flag.value = rest.slice(1);
        return;
      }
      if (spec?.kind === "value") {
        if (rest.length > 0) flag.value = rest;
        else this.takeValue(flag);
        return;
      }
    }
  }

  /** A flag written without an attached value takes the next token, even one starting with "-". */
  private takeValue(flag: ParsedFlag): void {
    const value = this.tokens[this.next];
    if (value === undefined) {
      this.issues.push({ token: flag.raw, problem: "missing-value" });
      return;
    }
    flag.value = value;
    this.next++;
  }
}

/** Parses `[verb, ...args]` as kubectl would; never throws. */
export function parseKubectlArgv(argv: readonly string[]): ParsedCommand {
  const [verb = "", ...args] = argv;
  let tokens: readonly string[] = args;
  let subcommand: string | undefined;
  if (hasSubcommands(verb)) {
    const index = subcommandIndex(args, PARENT_LOOKUP);
    const candidate = index === -1 ? undefined : args[index];
    subcommand = candidate === undefined ? undefined : resolveSubcommand(verb, candidate);
    if (subcommand !== undefined) tokens = [...args.slice(0, index), ...args.slice(index + 1)];
  }
  const path = subcommand === undefined ? verb : `${verb} ${subcommand}`;
  const parser = new FlagParser(lookupFor(path), tokens);
  parser.parse();
  const parsed: ParsedCommand = {
    verb,
    path,
    positionals: parser.positionals,
    flags: parser.flags,
    issues: parser.issues,
  };
  if (subcommand !== undefined) parsed.subcommand = subcommand;
  if (parser.afterDash !== undefined) {
    if (CONTAINER_COMMAND_VERBS.has(verb)) parsed.containerCommand = parser.afterDash;
    else parsed.positionals.push(...parser.afterDash);
  }
  return parsed;
}
