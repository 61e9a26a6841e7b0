/**
 * Where kubectl prints in Go's random map order, so that two kubectl runs need not agree, native
 * reads print one of the orders kubectl prints; these put kubectl's output in that order, changing
 * nothing else, so the oracle can still require native reads to print it byte for byte. `inKeyOrder`:
 * describe of a ConfigMap or a Secret, keys in byte order (each ConfigMap's data blocks and binary
 * lines, each Secret's data lines; a value holding a line that looks like a key's header would be
 * split there, and fail the comparison rather than pass it), and a limit range's rows of each limit
 * in byte order of resource (rows of one type next to each other are sorted together: a false
 * failure where two limits of one type sit side by side unsorted, never a false pass). `inReadOrder`: logs of several reads.
 */

/** A key's header: the API allows only `-._a-zA-Z0-9` in keys; the lab's fixtures use `+` too. */
const KEY_HEADER = /^[^\s:]+:\n----\n/gm;
const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const keyOf = (text: string) => text.slice(0, text.indexOf(":"));

/** `key:\n----\nvalue\n\n` blocks, in byte order of key. */
function sortBlocks(data: string): string {
  const starts = [...data.matchAll(KEY_HEADER)].map((found) => found.index);
  if (starts[0] !== 0) return data;
  const blocks = starts.map((start, i) => data.slice(start, starts[i + 1]));
  return blocks.sort((a, b) => byteOrder(keyOf(a), keyOf(b))).join("");
}

/** Lines `key: …`, in byte order of key. */
function sortLines(lines: string): string {
  return lines
    .split(/(?<=\n)/)
    .sort((a, b) => byteOrder(keyOf(a), keyOf(b)))
    .join("");
}

/** A limit range's row: its type, then its resource (`Container   memory  …`, maybe led by a space). */
const LIMIT_ROW = /^ ?(Pod|Container|PersistentVolumeClaim|[A-Z][A-Za-z]*) +([^\s]+) +[^\n]*\n/;

/** Each run of a limit range's rows of one type, in byte order of resource. */
function sortLimitRows(table: string): string {
  const runs: string[][] = [];
  let type: string | undefined;
  for (const row of table.split(/(?<=\n)/)) {
    const found = LIMIT_ROW.exec(row);
    if (found?.[1] !== type || runs.length === 0) runs.push([]);
    type = found?.[1];
    runs.at(-1)?.push(row);
  }
  const resourceOf = (row: string) => LIMIT_ROW.exec(row)?.[2] ?? "";
  return runs.map((run) => run.sort((a, b) => byteOrder(resourceOf(a), resourceOf(b))).join("")).join("");
}

export function inKeyOrder(text: string): string {
  return text
    .replace(
      /(Type +Resource +Min +Max +Default Request +Default Limit +Max Limit\/Request Ratio\n *----[^\n]*\n)((?:[^\n]+\n)*)/g,
      (_, head: string, rows: string) => `${head}${sortLimitRows(rows)}`,
    )
    .replace(
      /\nData\n====\n([\s\S]*?)\nBinaryData\n====\n((?:[^\n]+\n)*)\n/g,
      (_, data: string, binary: string) =>
        `\nData\n====\n${sortBlocks(data)}\nBinaryData\n====\n${sortLines(binary)}\n`,
    )
    .replace(
      /(\nType:[^\n]*\n\nData\n====\n)((?:[^\n]+\n)*)/g,
      (_, head: string, lines: string) => `${head}${sortLines(lines)}`,
    );
}

/**
 * `kubectl logs` of several pods or containers reads each into a map it walks in Go's random order,
 * and prints each read whole; native reads print them in the order they gathered them. The reads'
 * texts come from native reads' own `--prefix` output (each line led by `[pod/NAME/CONTAINER] `),
 * cut where the source changes and, for output without `--prefix`, with the sources taken off.
 */
export function readBlocks(prefixedOutput: string, keepPrefix: boolean): string[] {
  const blocks: { source: string; text: string }[] = [];
  for (const line of prefixedOutput.split(/(?<=\n)/)) {
    if (line === "") continue;
    const source = /^\[pod\/[^\]\s]+\] /.exec(line)?.[0] ?? "";
    const text = keepPrefix ? line : line.slice(source.length);
    const last = blocks.at(-1);
    if (last?.source === source) last.text += text;
    else blocks.push({ source, text });
  }
  return blocks.map(({ text }) => text);
}

/**
 * kubectl's logs output as native reads order the same reads: when it is the blocks in some order,
 * the blocks in their order; otherwise the output as it is, so the comparison fails.
 */
export function inReadOrder(text: string, blocks: string[]): string {
  const matches = (rest: string, left: string[]): boolean =>
    left.length === 0
      ? rest === ""
      : left.some(
          (block, i) => rest.startsWith(block) && matches(rest.slice(block.length), left.toSpliced(i, 1)),
        );
  return blocks.length > 1 && matches(text, blocks) ? blocks.join("") : text;
}
