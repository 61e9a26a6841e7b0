/**
 * `kubently completion bash|zsh|fish`: a completion script written from commander's own command tree
 * when asked, so a new command, option or choice is completed without anyone editing a script.
 * Completed: commands at every level, each command's options, the values of options and arguments that
 * have choices (-o, --outcome, the shell), and context names (--context and any `<context>` argument,
 * read from `kubently config get-contexts -o name` as you type). zsh runs the bash script through its
 * bashcompinit, which ships with zsh for this purpose.
 */
import { Argument, type Command } from "commander";

/** One command of the tree: its path from the root ("" for kubently itself, "config use-context"). */
interface Node {
  path: string;
  description: string;
  commands: { name: string; description: string }[];
  options: { short?: string; long?: string; description: string; takesValue: boolean; values: Values }[];
  /** Values of the next positional argument, by position. */
  positional: Values[];
}

/** What a value may be: a fixed list, the contexts of the config file, or anything (none offered). */
type Values = string[] | "contexts" | null;

const CONTEXTS = "kubently config get-contexts -o name 2>/dev/null";

function treeOf(root: Command): Node[] {
  const nodes: Node[] = [];
  const visit = (command: Command, path: string) => {
    const options: Node["options"] = command.options
      .filter((option) => !option.hidden)
      .map((option) => ({
        short: option.short,
        long: option.long,
        description: option.description,
        takesValue: option.required || option.optional,
        values: option.long === "--context" ? "contexts" : (option.argChoices ?? null),
      }));
    options.push({
      short: "-h",
      long: "--help",
      description: "display help",
      takesValue: false,
      values: null,
    });
    if (command === root && root.version())
      options.push({
        short: "-V",
        long: "--version",
        description: "print the version",
        takesValue: false,
        values: null,
      });
    nodes.push({
      path,
      description: command.description(),
      commands: command.commands.map((sub) => ({ name: sub.name(), description: sub.description() })),
      options,
      positional: command.registeredArguments.map((argument) =>
        argument.name() === "context" ? "contexts" : (argument.argChoices ?? null),
      ),
    });
    for (const sub of command.commands) visit(sub, path ? `${path} ${sub.name()}` : sub.name());
  };
  visit(root, "");
  return nodes;
}

const flagsOf = (option: Node["options"][number]) =>
  [option.short, option.long].filter((f) => f !== undefined);

/** Every option name that takes a value, anywhere: the words after them are values, not commands. */
const valueOptions = (nodes: Node[]) =>
  [...new Set(nodes.flatMap((node) => node.options.filter((o) => o.takesValue).flatMap(flagsOf)))].sort();

function bashValues(values: Values): string {
  if (values === null) return "";
  return values === "contexts" ? `$(${CONTEXTS})` : values.join(" ");
}

function bash(nodes: Node[], program: string): string {
  const fn = `_${program.replace(/\W/g, "_")}`;
  const paths = nodes.filter((node) => node.path !== "").map((node) => `"${node.path}"`);
  const optionValues = nodes.flatMap((node) =>
    node.options
      .filter((option) => option.takesValue && option.values !== null)
      .map((option) => {
        const patterns = flagsOf(option).map((flag) => `"${node.path}|${flag}"`);
        return `    ${patterns.join("|")}) offered="${bashValues(option.values)}" ;;`;
      }),
  );
  const wordsAt = nodes.map((node) => {
    const positional = node.positional
      .map((values, index) =>
        values ? `((positional == ${index})) && commands="$commands ${bashValues(values)}"` : "",
      )
      .filter(Boolean);
    return [
      `    "${node.path}")`,
      `      commands="${node.commands.map((sub) => sub.name).join(" ")}"`,
      `      options="${node.options.flatMap(flagsOf).join(" ")}"`,
      ...positional.map((line) => `      ${line}`),
      "      ;;",
    ].join("\n");
  });
  return `# ${program} completion for bash: add to ~/.bashrc
#   source <(${program} completion bash)
${fn}() {
  # Under zsh's bashcompinit: arrays from 0, as bash has them.
  [[ -n \${ZSH_VERSION-} ]] && setopt localoptions ksh_arrays
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="" at="" word next offered="" skip="" positional=0 i
  ((COMP_CWORD > 0)) && prev="\${COMP_WORDS[COMP_CWORD-1]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    if [[ -n $skip ]]; then skip=""; continue; fi
    case "$word" in
      --*=*) continue ;;
      -*) case " ${valueOptions(nodes).join(" ")} " in *" $word "*) skip=1 ;; esac; continue ;;
    esac
    next="\${at:+$at }$word"
    case "$next" in
      ${paths.join("|")}) at="$next"; positional=0 ;;
      *) positional=$((positional + 1)) ;;
    esac
  done
  if [[ $prev == -* && $cur != -* ]]; then
    case "$at|$prev" in
${optionValues.join("\n")}
      *) offered="" ;;
    esac
    case " ${valueOptions(nodes).join(" ")} " in
      *" $prev "*) COMPREPLY=($(compgen -W "$offered" -- "$cur")); return 0 ;;
    esac
  fi
  local commands="" options=""
  case "$at" in
${wordsAt.join("\n")}
  esac
  # Options when the word starts with a dash, else commands and argument values (or files, from -o default).
  if [[ $cur == -* ]]; then offered="$options"; else offered="$commands"; fi
  COMPREPLY=($(compgen -W "$offered" -- "$cur"))
}
complete -o default -F ${fn} ${program}
`;
}

const zsh = (nodes: Node[], program: string) => `#compdef ${program}
# ${program} completion for zsh: add to ~/.zshrc
#   source <(${program} completion zsh)
(( $+functions[compdef] )) || { autoload -U +X compinit && compinit; }
autoload -U +X bashcompinit && bashcompinit
${bash(nodes, program).replace(/^#.*\n/gm, "")}`;

const fishQuote = (text: string) => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

function fishValues(values: Values): string {
  if (values === null) return "";
  return values === "contexts" ? ` -a ${fishQuote(`(${CONTEXTS})`)}` : ` -a ${fishQuote(values.join(" "))}`;
}

function fish(nodes: Node[], program: string): string {
  const fn = `__${program.replace(/\W/g, "_")}`;
  const paths = nodes.filter((node) => node.path !== "").map((node) => fishQuote(node.path));
  const lines: string[] = [];
  for (const node of nodes) {
    const at = `-n ${fishQuote(`${fn}_at ${fishQuote(node.path)}`)}`;
    for (const sub of node.commands)
      lines.push(
        `complete -c ${program} -f ${at} -a ${fishQuote(sub.name)} -d ${fishQuote(sub.description)}`,
      );
    for (const option of node.options) {
      const names = [
        option.short ? `-s ${option.short.slice(1)}` : "",
        option.long ? `-l ${option.long.slice(2)}` : "",
      ];
      const value = option.takesValue ? (option.values ? ` -x${fishValues(option.values)}` : " -r") : "";
      lines.push(
        `complete -c ${program} ${at} ${names.filter(Boolean).join(" ")}${value} -d ${fishQuote(option.description)}`,
      );
    }
    for (const values of node.positional)
      if (values) lines.push(`complete -c ${program} -f ${at}${fishValues(values)}`);
  }
  return `# ${program} completion for fish: save as ~/.config/fish/completions/${program}.fish
#   ${program} completion fish > ~/.config/fish/completions/${program}.fish
set -g ${fn}_paths ${paths.join(" ")}
set -g ${fn}_value_options ${valueOptions(nodes).join(" ")}
function ${fn}_path
    set -l words (commandline -opc)
    set -e words[1]
    set -l path ''
    set -l skip 0
    for word in $words
        if test $skip = 1
            set skip 0
            continue
        end
        if string match -q -- '--*=*' $word
            continue
        end
        if string match -q -- '-*' $word
            contains -- $word $${fn}_value_options; and set skip 1
            continue
        end
        set -l next (string trim -- "$path $word")
        contains -- $next $${fn}_paths; and set path $next
    end
    echo $path
end
function ${fn}_at
    set -l path (${fn}_path)
    test "$path" = "$argv[1]"
end
complete -c ${program} -f
${lines.join("\n")}
`;
}

const SHELLS = { bash, zsh, fish } as const;

export function registerCompletionCommand(program: Command): void {
  program
    .command("completion")
    .description("Print a shell completion script for bash, zsh or fish.")
    .addArgument(new Argument("<shell>", "bash, zsh or fish").choices(Object.keys(SHELLS)))
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  source <(kubently completion bash)       # in ~/.bashrc\n" +
        "  source <(kubently completion zsh)        # in ~/.zshrc\n" +
        "  kubently completion fish > ~/.config/fish/completions/kubently.fish",
    )
    .action((shell: keyof typeof SHELLS, _flags: unknown, command: Command) => {
      let root = command;
      while (root.parent) root = root.parent;
      process.stdout.write(SHELLS[shell](treeOf(root), root.name()));
    });
}
