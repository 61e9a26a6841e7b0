/**
 * Owns laying out rows of cells the way kubectl's printer does: Go's text/tabwriter as kubectl
 * configures it (minimum width 6, padding 3, padded with spaces). Every cell but a row's last is
 * padded to its column's width, the widest cell plus the padding, never less than the minimum;
 * a row's last cell is written as it is. Go's tabwriter counts a cell's width in runes (code
 * points), whatever they look like on a terminal, and so does this.
 */
const MIN_WIDTH = 6;
const PADDING = 3;

/**
 * Text a cell may hold here: no control character (kubectl escapes ESC and CR, and a tab or a line
 * break would end a cell or a line), no lone surrogate, and no U+FFFD, which may stand for bytes
 * Go and JavaScript decoded differently.
 */
export const CELL_TEXT = /^[^\p{Cc}\p{Cs}\uFFFD]*$/u;
/** The same, with the tabs and line breaks a describer writes itself. */
export const LAID_OUT_TEXT = /^(?:[\t\n]|[^\p{Cc}\p{Cs}\uFFFD])*$/u;

/** Go's utf8.RuneCountInString: a cell's width to the tabwriter. */
const runes = (text: string) => [...text].length;

/**
 * `remembered`: the widths of earlier flushes of the same writer, which kubectl's (cli-runtime's,
 * with liggitt/tabwriter's RememberWidths) keeps as each column's least width and widens as rows
 * come: `get -w` prints each change aligned with what it printed before.
 */
export function tabulate(rows: readonly (readonly string[])[], remembered?: number[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (let c = 0; c < row.length - 1; c++) {
      widths[c] = Math.max(widths[c] ?? MIN_WIDTH, runes(row[c] as string) + PADDING);
    }
  }
  if (remembered !== undefined) {
    widths.forEach((width, c) => {
      widths[c] = Math.max(width, remembered[c] ?? 0);
      remembered[c] = widths[c] as number;
    });
  }
  let out = "";
  for (const row of rows) {
    for (let c = 0; c < row.length - 1; c++) {
      const cell = row[c] as string;
      out += cell + " ".repeat((widths[c] as number) - runes(cell));
    }
    out += `${row.at(-1) ?? ""}\n`;
  }
  return out;
}

/**
 * Go's text/tabwriter over whole text, for printers whose lines do not share one set of columns
 * (kubectl describe's, set up with minimum width 0 and padding 2). A cell is text ended by a tab;
 * what follows a line's last tab is not in any column. A column's width is set per block: the run of
 * adjacent lines that have a cell in it, each block laid out on its own, so a line with fewer cells
 * starts new blocks for the columns it lacks. Widths count code points, as Go counts runes.
 */
export function tabwrite(text: string, { minWidth, padding }: { minWidth: number; padding: number }): string {
  const lines = text.split("\n").map((line) => line.split("\t"));
  const widthOf = runes;
  const widths: number[] = [];
  const out: string[] = [];
  const write = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const cells = lines[i] as string[];
      let line = "";
      cells.forEach((cell, j) => {
        line += cell;
        if (j < widths.length) line += " ".repeat((widths[j] as number) - widthOf(cell));
      });
      out.push(line);
    }
  };
  const format = (from: number, to: number) => {
    const column = widths.length;
    let start = from;
    for (let i = from; i < to; i++) {
      if (column >= (lines[i] as string[]).length - 1) continue;
      write(start, i);
      start = i;
      let width = minWidth;
      for (; i < to && column < (lines[i] as string[]).length - 1; i++) {
        width = Math.max(width, widthOf((lines[i] as string[])[column] as string) + padding);
      }
      widths.push(width);
      format(start, i);
      widths.pop();
      // The line that ended the block (if any) has no cell in this column: the loop steps past it.
      start = i;
    }
    write(start, to);
  };
  format(0, lines.length);
  return out.join("\n");
}
