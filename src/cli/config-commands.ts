/**
 * `kubently config view|get-contexts|current-context|use-context|set-context|delete-context`: the
 * contexts file (config-file.ts) as kubectl's `config` commands handle a kubeconfig. Nothing here
 * prints a key: `view` shows an inline key as REDACTED, and the others only say where keys come from.
 */
import { type Command, Option } from "commander";
import { stringify } from "yaml";
import {
  type ConfigFile,
  ConfigFileError,
  configPath,
  describeKeySource,
  type KeySource,
  type LoadedConfig,
  loadConfig,
  parseConfig,
  saveConfig,
} from "./config-file";
import { EXIT } from "./connection";
import { type OutputFlags, print, table, withOutput } from "./output";

const REDACTED = "REDACTED";

/** Runs a config command: a file that cannot be used, or a context that is not there, is one line and exit 2. */
function configAction<A extends unknown[]>(body: (...args: A) => void): (...args: A) => void {
  return (...args) => {
    try {
      body(...args);
    } catch (error) {
      if (!(error instanceof ConfigFileError)) throw error;
      process.stderr.write(`kubently: ${error.message}\n`);
      process.exit(EXIT.usage);
    }
  };
}

function existing(loaded: LoadedConfig, name: string): void {
  if (!loaded.config.contexts?.[name])
    throw new ConfigFileError(`no context '${name}' in ${loaded.path} (kubently config get-contexts)`);
}

interface SetContextFlags {
  url?: string;
  apiKeyEnv?: string;
  apiKeyFile?: string;
  inlineApiKey?: string;
  adminKeyEnv?: string;
  adminKeyFile?: string;
  inlineAdminKey?: string;
  current?: boolean;
}

/** The key source the flags name, if any; two at once is a usage error. */
function keySource(
  command: Command,
  label: string,
  env: string | undefined,
  file: string | undefined,
  inline: string | undefined,
): KeySource | undefined {
  const given = [
    env === undefined ? null : { env },
    file === undefined ? null : { file },
    inline === undefined ? null : { inline },
  ].filter((source) => source !== null);
  if (given.length > 1) command.error(`error: give one source for the ${label}`, { exitCode: EXIT.usage });
  return given[0];
}

const masked = (config: ConfigFile): ConfigFile => {
  const mask = (source: KeySource | undefined) =>
    source && "inline" in source ? { inline: REDACTED } : source;
  return {
    ...config,
    contexts: config.contexts
      ? Object.fromEntries(
          Object.entries(config.contexts).map(([name, context]) => [
            name,
            {
              ...context,
              ...(context["api-key"] ? { "api-key": mask(context["api-key"]) } : {}),
              ...(context["admin-key"] ? { "admin-key": mask(context["admin-key"]) } : {}),
            },
          ]),
        )
      : undefined,
  };
};

export function registerConfigCommands(program: Command): void {
  const config = program
    .command("config")
    .description("Named contexts: a server's URL and where its keys come from.")
    .addHelpText(
      "after",
      "\nThe file is ~/.config/kubently/config.yaml, or $KUBENTLY_CONFIG; it is written with mode 0600.\n" +
        "A client command takes each setting from its flag, else its environment variable (KUBENTLY_URL,\n" +
        "KUBENTLY_API_KEY, KUBENTLY_ADMIN_KEY), else the context: --context NAME, else the current one.\n\n" +
        "Example:\n" +
        "  kubently config set-context prod --url https://kubently.example.com --api-key-env PROD_KUBENTLY_KEY\n" +
        "  kubently config use-context prod",
    );

  withOutput(
    config
      .command("view")
      .description("Print the config file, inline keys shown as REDACTED.")
      .addHelpText("after", "\nExample:\n  kubently config view -o json"),
    ["yaml", "json"],
  ).action(
    configAction((flags: OutputFlags) => {
      const loaded = loadConfig();
      const shown = masked(loaded.config);
      print({ output: flags.output ?? "yaml" }, shown, () => stringify(shown));
    }),
  );

  withOutput(
    config
      .command("get-contexts")
      .description("List the contexts; * marks the current one.")
      .addHelpText("after", "\nExample:\n  kubently config get-contexts -o name"),
    ["name", "json", "yaml"],
  ).action(
    configAction((flags: OutputFlags) => {
      const { config: file } = loadConfig();
      const contexts = Object.entries(file.contexts ?? {});
      const current = file["current-context"];
      const listed = contexts.map(([name, context]) => ({
        name,
        current: name === current,
        url: context.url ?? null,
        api_key: describeKeySource(context["api-key"]),
        admin_key: describeKeySource(context["admin-key"]),
      }));
      print(flags, listed, () =>
        flags.output === "name"
          ? listed.map((context) => `${context.name}\n`).join("")
          : table(
              listed.map((c) => [c.current ? "*" : "", c.name, c.url ?? "-", c.api_key, c.admin_key]),
              ["CURRENT", "NAME", "URL", "API KEY", "ADMIN KEY"],
            ),
      );
    }),
  );

  config
    .command("current-context")
    .description("Print the current context's name.")
    .action(
      configAction(() => {
        const current = loadConfig().config["current-context"];
        if (current === undefined) throw new ConfigFileError(`no current context is set in ${configPath()}`);
        process.stdout.write(`${current}\n`);
      }),
    );

  config
    .command("use-context")
    .description("Make a context the current one.")
    .argument("<context>")
    .addHelpText("after", "\nExample:\n  kubently config use-context prod")
    .action(
      configAction((name: string) => {
        const loaded = loadConfig();
        existing(loaded, name);
        loaded.document.set("current-context", name);
        saveConfig(loaded);
        process.stdout.write(`Switched to context "${name}".\n`);
      }),
    );

  const setContext: Command = config
    .command("set-context")
    .description("Create a context, or change the settings given of an existing one.")
    .argument("<context>")
    .addOption(new Option("--url <url>", "the Kubently API URL"))
    .addOption(
      new Option("--api-key-env <variable>", "read the client API key from this environment variable"),
    )
    .addOption(new Option("--api-key-file <path>", "read the client API key from this file's first line"))
    .addOption(
      new Option(
        "--inline-api-key <key>",
        "store the client API key itself in the file (prefer -env or -file)",
      ),
    )
    .addOption(new Option("--admin-key-env <variable>", "read the admin key from this environment variable"))
    .addOption(new Option("--admin-key-file <path>", "read the admin key from this file's first line"))
    .addOption(
      new Option("--inline-admin-key <key>", "store the admin key itself in the file (prefer -env or -file)"),
    )
    .addOption(new Option("--current", "also make it the current context"))
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  kubently config set-context prod --url https://kubently.example.com --api-key-env PROD_KUBENTLY_KEY\n" +
        "  kubently config set-context prod --admin-key-file ~/.config/kubently/prod-admin.key --current",
    )
    .action(
      configAction((name: string, flags: SetContextFlags) => {
        const apiKey = keySource(
          setContext,
          "API key",
          flags.apiKeyEnv,
          flags.apiKeyFile,
          flags.inlineApiKey,
        );
        const adminKey = keySource(
          setContext,
          "admin key",
          flags.adminKeyEnv,
          flags.adminKeyFile,
          flags.inlineAdminKey,
        );
        const loaded = loadConfig();
        const created = !loaded.config.contexts?.[name];
        if (created && flags.url === undefined)
          setContext.error(`error: a new context needs --url`, { exitCode: EXIT.usage });
        const { document } = loaded;
        if (!document.has("contexts")) document.set("contexts", document.createNode({}));
        if (created) document.setIn(["contexts", name], document.createNode({}));
        if (flags.url !== undefined) document.setIn(["contexts", name, "url"], flags.url);
        if (apiKey) document.setIn(["contexts", name, "api-key"], document.createNode(apiKey));
        if (adminKey) document.setIn(["contexts", name, "admin-key"], document.createNode(adminKey));
        if (flags.current) document.set("current-context", name);
        // What was given is checked with the rest of the file: a bad URL is refused, and nothing written.
        saveConfig(parseConfig(loaded.path, String(document)));
        process.stdout.write(`Context "${name}" ${created ? "created" : "modified"}.\n`);
      }),
    );

  config
    .command("delete-context")
    .description("Delete a context; when it was the current one, no context is current any more.")
    .argument("<context>")
    .addHelpText("after", "\nExample:\n  kubently config delete-context staging")
    .action(
      configAction((name: string) => {
        const loaded = loadConfig();
        existing(loaded, name);
        loaded.document.deleteIn(["contexts", name]);
        if (loaded.config["current-context"] === name) loaded.document.delete("current-context");
        saveConfig(loaded);
        process.stdout.write(`deleted context ${name} from ${loaded.path}\n`);
      }),
    );
}
