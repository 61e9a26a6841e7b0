/** The value after `name` on the bench's command line (`--rounds 3`), or undefined when not given. */
export function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}
