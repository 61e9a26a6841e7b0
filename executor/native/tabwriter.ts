/**
 * Owns laying out rows of cells the way kubectl's printer does: Go's text/tabwriter as kubectl
 * configures it (minimum width 6, padding 3, padded with spaces). Every cell but a row's last is
 * padded to its column's width, the widest cell plus the padding, never less than the minimum;
 * a row's last cell is written as it is. Callers pass ASCII only, so a byte is a column.
 */
const MIN_WIDTH = 6;
const PADDING = 3;

export function tabulate(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (let c = 0; c < row.length - 1; c++) {
      widths[c] = Math.max(widths[c] ?? MIN_WIDTH, (row[c] as string).length + PADDING);
    }
  }
  let out = "";
  for (const row of rows) {
    for (let c = 0; c < row.length - 1; c++) out += (row[c] as string).padEnd(widths[c] as number);
    out += `${row.at(-1) ?? ""}\n`;
  }
  return out;
}
