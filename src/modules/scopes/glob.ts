/**
 * Globs of cluster ids and namespace names (both DNS labels: lowercase letters, digits and '-',
 * starting and ending with a letter or digit): '*' any run of characters, '?' one. A glob that no
 * label could match (another character, or a '-' where a label cannot have one) is refused when the
 * keys file is read, rather than silently matching nothing.
 */
const GLOB = /^[a-z0-9*?-]{1,63}$/;

/** Why no label could match `glob`, or undefined when some can. */
export function globProblem(glob: string): string | undefined {
  if (!GLOB.test(glob)) return "may hold only lowercase letters, digits, '-', '*' and '?' (at most 63)";
  if (glob.startsWith("-") || glob.endsWith("-"))
    return "can never match: a name neither starts nor ends with '-'";
  return undefined;
}

export function globMatches(glob: string, name: string): boolean {
  // Globs are checked to [a-z0-9*?-] when loaded, so only the two wildcards need translating.
  return new RegExp(`^${glob.replaceAll("*", ".*").replaceAll("?", ".")}$`).test(name);
}
