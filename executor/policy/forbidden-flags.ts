/**
 * Owns the flags refused in every mode, fullAccess included, each with the reason it is refused.
 * They change who kubectl is or which server it talks to (so an agent could send the executor's
 * credentials elsewhere or act as someone else), make kubectl read or write files on the
 * executor's own disk, or bypass the verbosity cap. Matching is on the canonical flag name the
 * parser resolved, so `-s`, `--server=x`, `--server x` and `--client_key` all land here, while
 * `logs -f` (--follow) does not.
 */

const CREDENTIALS = "it would change the identity, credentials or API server kubectl uses";
const TLS = "it would turn off TLS verification";
const EXECUTOR_FILES = "it would make kubectl read or write files on the executor";
const RAW = "it bypasses resource checks (raw API paths, unredacted kubeconfig)";
const OVERRIDES = "it injects arbitrary JSON into the object kubectl sends";
const VMODULE = "it raises log verbosity per source file, around the -v cap";

const FORBIDDEN_FLAGS: ReadonlyMap<string, string> = new Map([
  ["as", CREDENTIALS],
  ["as-group", CREDENTIALS],
  ["as-uid", CREDENTIALS],
  ["cache-dir", CREDENTIALS],
  ["certificate-authority", CREDENTIALS],
  ["client-certificate", CREDENTIALS],
  ["client-key", CREDENTIALS],
  ["cluster", CREDENTIALS],
  ["context", CREDENTIALS],
  ["kubeconfig", CREDENTIALS],
  ["kuberc", CREDENTIALS],
  ["password", CREDENTIALS],
  ["server", CREDENTIALS],
  ["tls-server-name", CREDENTIALS],
  ["token", CREDENTIALS],
  ["user", CREDENTIALS],
  ["username", CREDENTIALS],
  ["insecure-skip-tls-verify", TLS],
  ["insecure-skip-tls-verify-backend", TLS],
  ["cert", EXECUTOR_FILES],
  ["custom", EXECUTOR_FILES],
  ["filename", EXECUTOR_FILES],
  ["from-env-file", EXECUTOR_FILES],
  ["from-file", EXECUTOR_FILES],
  ["key", EXECUTOR_FILES],
  ["kustomize", EXECUTOR_FILES],
  ["log-dir", EXECUTOR_FILES],
  ["log-file", EXECUTOR_FILES],
  ["output-directory", EXECUTOR_FILES],
  ["profile", EXECUTOR_FILES],
  ["profile-output", EXECUTOR_FILES],
  ["www", EXECUTOR_FILES],
  ["raw", RAW],
  ["overrides", OVERRIDES],
  ["vmodule", VMODULE],
]);

// A command's own flag shadows a global one of the same name: `debug --profile=general` picks a
// debugging profile, not the profiler that writes a file.
const SHADOWED_BY_COMMAND: ReadonlyMap<string, string> = new Map([["debug", "profile"]]);

/** Why a flag (by canonical name) is refused on the command at `path` in every mode, if it is. */
export function forbiddenFlagReason(path: string, name: string): string | undefined {
  return SHADOWED_BY_COMMAND.get(path) === name ? undefined : FORBIDDEN_FLAGS.get(name);
}

/** The canonical names of every always-forbidden flag (for tests and documentation). */
export const FORBIDDEN_FLAG_NAMES: readonly string[] = [...FORBIDDEN_FLAGS.keys()];
