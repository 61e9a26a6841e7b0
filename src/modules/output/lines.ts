/**
 * A command output as lines: how many there are, the preview an answer carries instead of a large
 * stream, and the pages GET /debug/results/{id}/output serves. Pure functions over text; who may
 * read which output is the service's business.
 */
import type { OutputStreamSummary } from "../../models";

/** The stream's lines, without their newlines; a final newline ends the last line, adds none. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

export function countLines(text: string): number {
  if (text === "") return 0;
  let count = 0;
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) count++;
  return text.endsWith("\n") ? count : count + 1;
}

/** The first `count` lines, found without splitting the rest. */
function firstLines(text: string, count: number): string[] {
  const lines: string[] = [];
  let at = 0;
  while (lines.length < count && at < text.length) {
    const end = text.indexOf("\n", at);
    lines.push(text.slice(at, end === -1 ? text.length : end));
    at = end === -1 ? text.length : end + 1;
  }
  return lines;
}

/** The last `count` lines (a final newline ends the last one), found from the end. */
function lastLines(text: string, count: number): string[] {
  let end = text.endsWith("\n") ? text.length - 1 : text.length;
  const lines: string[] = [];
  while (lines.length < count && end >= 0) {
    const start = text.lastIndexOf("\n", end - 1) + 1;
    lines.unshift(text.slice(start, end));
    end = start - 1;
  }
  return lines;
}

/** Lines each end of a preview shows. */
export const PREVIEW_LINES = 20;
/** A preview line longer than this is cut, so one huge line cannot fill the answer. */
export const PREVIEW_LINE_CHARS = 400;

const utf8Length = (text: string): number => Buffer.byteLength(text);

const previewLine = (line: string): string =>
  line.length > PREVIEW_LINE_CHARS
    ? `${line.slice(0, PREVIEW_LINE_CHARS)}… (${line.length} characters)`
    : line;

/**
 * The stream as an answer carries it: whole while it is at most `inlineBytes`, else its first and last
 * PREVIEW_LINES lines around one line saying what is left out and how to read it.
 */
export function summarize(
  text: string,
  inlineBytes: number,
  handle: string,
): { text: string; summary: OutputStreamSummary } {
  const bytes = utf8Length(text);
  const lines = countLines(text);
  if (bytes <= inlineBytes) return { text, summary: { bytes, lines, preview: false } };
  const head = firstLines(text, PREVIEW_LINES);
  const tail =
    lines > 2 * PREVIEW_LINES ? lastLines(text, PREVIEW_LINES) : splitLines(text).slice(head.length);
  const omitted = lines - head.length - tail.length;
  const note =
    `[kubently: ${omitted > 0 ? `${omitted} of ${lines} lines` : "long lines"} (${bytes} bytes in all) ` +
    `not shown; page or grep them with output handle ${handle}]`;
  const preview = [...head.map(previewLine), note, ...tail.map(previewLine)].join("\n");
  return { text: `${preview}\n`, summary: { bytes, lines, preview: true } };
}
