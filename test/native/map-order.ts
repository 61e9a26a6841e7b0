/**
 * kubectl's describe of a ConfigMap or a Secret walks the data in Go's random map order, so two
 * kubectl runs need not agree; native reads print the keys in byte order, one of the orders kubectl
 * prints. `inKeyOrder` puts kubectl's output in that order (each ConfigMap's data blocks and binary
 * lines, each Secret's data lines), changing nothing else, so the oracle can still require native
 * reads to print it byte for byte. A value holding a line that looks like a key's header would be
 * split there, and fail the comparison rather than pass it.
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

export function inKeyOrder(text: string): string {
  return text
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
