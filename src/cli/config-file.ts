/**
 * Owns the CLI's contexts file: ~/.config/kubently/config.yaml, or $KUBENTLY_CONFIG. Named contexts hold
 * a server's URL and where its keys come from (an environment variable or a file; the key itself only
 * when the user said so). The file is parsed and checked whole before anything is used or changed, so a
 * bad file is one clear error and stays as it was; it is written with mode 0600 through a rename, so
 * a reader never sees half of it. Comments in it survive edits (the yaml package's Document).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { type Static, Type as t } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { type Document, parseDocument } from "yaml";

/** A config problem: one line, exit 2, and the file as it was. */
export class ConfigFileError extends Error {}

const KeySource = t.Union(
  [
    t.Object({ env: t.String({ pattern: "^[A-Za-z_][A-Za-z0-9_]*$" }) }, { additionalProperties: false }),
    t.Object({ file: t.String({ minLength: 1 }) }, { additionalProperties: false }),
    t.Object({ inline: t.String({ minLength: 1 }) }, { additionalProperties: false }),
  ],
  { description: "{env: VARIABLE}, {file: PATH} or, only when asked for, {inline: KEY}" },
);
export type KeySource = Static<typeof KeySource>;

const Context = t.Object(
  {
    url: t.Optional(t.String({ pattern: "^https?://" })),
    "api-key": t.Optional(KeySource),
    "admin-key": t.Optional(KeySource),
  },
  { additionalProperties: false },
);
export type Context = Static<typeof Context>;

const ConfigFile = t.Object(
  {
    "current-context": t.Optional(t.String()),
    contexts: t.Optional(t.Record(t.String({ minLength: 1 }), Context)),
  },
  { additionalProperties: false },
);
export type ConfigFile = Static<typeof ConfigFile>;

export const configPath = (env: NodeJS.ProcessEnv = process.env): string =>
  env.KUBENTLY_CONFIG || join(homedir(), ".config", "kubently", "config.yaml");

export interface LoadedConfig {
  path: string;
  config: ConfigFile;
  /** The parsed file, to edit with its comments kept. */
  document: Document;
}

/** The file at `path`, checked whole; a missing file is an empty one. */
export function loadConfig(path = configPath()): LoadedConfig {
  let text = "";
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT")
      throw new ConfigFileError(`cannot read ${path}: ${(error as Error).message}`);
  }
  return parseConfig(path, text);
}

/** `text` as the file at `path` would be read: an edit is checked this way before it is written. */
export function parseConfig(path: string, text: string): LoadedConfig {
  const document = parseDocument(text, { prettyErrors: false });
  const [syntax] = document.errors;
  if (syntax) throw new ConfigFileError(`${path} is not valid YAML: ${syntax.message.split("\n")[0]}`);
  const config = (document.toJS() ?? {}) as unknown;
  const [problem] = Value.Errors(ConfigFile, config);
  if (problem) {
    const where = problem.path.replace(/^\//, "").replaceAll("/", ".") || "the top level";
    throw new ConfigFileError(`${path}: ${where}: ${explain(problem.schema, problem.message)}`);
  }
  return { path, config: config as ConfigFile, document };
}

/** typebox's message, or what a field takes when the message would only say "expected union". */
const explain = (schema: { description?: string; pattern?: string }, message: string): string =>
  schema.description
    ? `give ${schema.description}`
    : schema.pattern === "^https?://"
      ? "give an http:// or https:// URL"
      : message;

/** Writes the edited document: a new file in the same folder, mode 0600, renamed over the old one. */
export function saveConfig({ path, document }: LoadedConfig): void {
  const folder = dirname(path);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    if (!existsSync(folder)) mkdirSync(folder, { recursive: true, mode: 0o700 });
    writeFileSync(temporary, String(document), { mode: 0o600 });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new ConfigFileError(`cannot write ${path}: ${(error as Error).message}`);
  }
}

/** The context's name and settings; `name` undefined means the current context, if any. */
export function findContext(
  { path, config }: LoadedConfig,
  name: string | undefined,
): { name: string; context: Context } | null {
  const chosen = name ?? config["current-context"];
  if (chosen === undefined) return null;
  const context = config.contexts?.[chosen];
  if (!context) {
    const how = name === undefined ? "current-context names" : "--context names";
    throw new ConfigFileError(
      `${how} '${chosen}', which ${path} does not define (kubently config get-contexts)`,
    );
  }
  return { name: chosen, context };
}

/** The key a source holds: the variable's value, the file's first line, or the inline key. */
export function readKey(source: KeySource, env: NodeJS.ProcessEnv, contextName: string): string {
  if ("inline" in source) return source.inline;
  if ("env" in source) {
    const value = env[source.env];
    if (!value)
      throw new ConfigFileError(
        `context '${contextName}' reads its key from $${source.env}, which is not set`,
      );
    return value;
  }
  const file = expandHome(source.file);
  try {
    const key = readFileSync(file, "utf8").split("\n")[0]?.trim() ?? "";
    if (key === "") throw new Error("it is empty");
    return key;
  } catch (error) {
    throw new ConfigFileError(
      `context '${contextName}' reads its key from ${file}, which cannot be used: ${(error as Error).message}`,
    );
  }
}

/** Where a key comes from, said without the key: `env:VAR`, `file:PATH`, `inline`. */
export const describeKeySource = (source: KeySource | undefined): string =>
  source === undefined
    ? "-"
    : "env" in source
      ? `env:${source.env}`
      : "file" in source
        ? `file:${source.file}`
        : "inline";

const expandHome = (path: string) => (path.startsWith("~/") ? join(homedir(), path.slice(2)) : path);
