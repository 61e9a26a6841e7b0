/**
 * Owns deciding, on a parsed name, whether a name says its value is a credential: the name of an
 * environment variable, a ConfigMap key, an annotation or any JSON field. Names are split into
 * words (at `_ - . /` and other separators, lower→upper case changes, and digits: DB_PASSWORD,
 * apiKey, spring.datasource.password), and the LAST meaningful word decides, so a name that
 * describes a credential (TOKEN_TTL_SECONDS, SECRET_NAME, PASSWORD_FILE) is not one. Substrings
 * never decide: KEYBOARD_LAYOUT has the word "keyboard", not "key".
 */

/**
 * Words that, as the last word, say the value is a credential. Not `tokens` (max_tokens=4096
 * counts them) nor `secrets` (describe's "Mountable secrets:" lists Secret names).
 */
const CREDENTIAL_WORDS = new Set([
  "password",
  "passwd",
  "passphrase",
  "secret",
  "token",
  "credential",
  "credentials",
  "creds",
  "cred",
  "auth",
  "authorization",
  "apikey",
  "privatekey",
]);

/** One-word names that end with these are credentials too (dbpassword, accesstoken, clientsecret). */
const CREDENTIAL_SUFFIXES = ["password", "passwd", "secret", "token", "apikey", "privatekey"];

/** Credential words only after another word: PWD alone is the working directory, pass=3 a count. */
const QUALIFIED_WORDS = new Set(["pwd", "pass", "key", "keys"]);

/** Words after the credential word that still name the value itself (SECRET_KEY_BASE, TOKEN_B64). */
const TRAILING_QUALIFIERS = new Set([
  "value",
  "data",
  "b64",
  "base64",
  "base",
  "enc",
  "encrypted",
  "plain",
  "raw",
  "str",
  "string",
]);

/** `key` is a credential only with a word before it, and not one of these (PRIMARY_KEY, sortKey). */
const NOT_CREDENTIAL_KEYS = new Set([
  "public",
  "sort",
  "partition",
  "cache",
  "primary",
  "foreign",
  "routing",
  "lookup",
  "shard",
  "idempotency",
  "dedup",
  "index",
  "map",
  "object",
  "hash",
  "label",
  "annotation",
  "config",
  "configmap",
  // A pod's topology spread constraints and affinity terms name a node label: topologyKey.
  "topology",
]);

/**
 * Every name isCredentialName accepts contains one of these (case aside): text redaction looks
 * only at names that do, when secret-name is the only name rule.
 */
export const CREDENTIAL_NAME_HINT = "pass|pwd|secret|token|cred|auth|key";

/** Splits a name into lowercase words. The part after the last `/` is the name (annotation keys). */
function nameWords(name: string): string[] {
  const local = name.slice(name.lastIndexOf("/") + 1);
  return local
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/([A-Za-z])([0-9])/g, "$1 $2")
    .replace(/([0-9])([A-Za-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== "")
    .map((word) => word.toLowerCase());
}

/** True when `name` says its value is a credential. */
export function isCredentialName(name: string): boolean {
  const words = nameWords(name);
  while (words.length > 1) {
    const last = words[words.length - 1] as string;
    if (!/^[0-9]+$/.test(last) && !TRAILING_QUALIFIERS.has(last)) break;
    words.pop();
  }
  const last = words[words.length - 1];
  if (last === undefined) return false;
  if (CREDENTIAL_WORDS.has(last)) return true;
  if (QUALIFIED_WORDS.has(last)) {
    const before = words[words.length - 2];
    if (before === undefined) return false;
    return !(last.startsWith("key") && NOT_CREDENTIAL_KEYS.has(before));
  }
  return words.length === 1 && CREDENTIAL_SUFFIXES.some((suffix) => last.endsWith(suffix));
}
