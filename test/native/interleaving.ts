/**
 * Whether a followed output is one kubectl could print: kubectl follows several reads at once and
 * writes each one's lines as they arrive, so its output is some interleaving of the reads' lines,
 * each read's in order. Native reads print one such interleaving; the oracle checks both outputs
 * are interleavings of the same reads, and byte for byte equal where there is one read.
 */

/** A read's lines, each with its newline (the last may lack one). */
export const linesOf = (text: string): string[] => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];

/** Whether `output` is the reads' lines interleaved, each read's in its order, and nothing else. */
export function isInterleaving(output: string, reads: readonly string[][]): boolean {
  const failed = new Set<string>();
  const at = reads.map(() => 0);
  const walk = (position: number): boolean => {
    if (position === output.length) return reads.every((lines, i) => at[i] === lines.length);
    const key = at.join(",");
    if (failed.has(key)) return false;
    for (const [i, lines] of reads.entries()) {
      const next = lines[at[i] as number];
      if (next === undefined || !output.startsWith(next, position)) continue;
      at[i] = (at[i] as number) + 1;
      const found = walk(position + next.length);
      at[i] = (at[i] as number) - 1;
      if (found) return true;
    }
    failed.add(key);
    return false;
  };
  return walk(0);
}
