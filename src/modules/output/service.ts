/**
 * Output handles: the whole output of a command stays in the store with its result, for the result's
 * TTL; answers carry it inline while it is small and a preview with a handle beyond that (`present`),
 * and `page` reads it by lines, or by the lines a pattern matches, for the caller that ran the command
 * only: for anyone else it does not exist. Patterns run on RE2 (re2js), whose time is linear in the
 * text whatever the pattern, so no pattern can run away.
 */
import { RE2JS } from "re2js";
import { badRequest, notFound } from "../../http/errors";
import {
  type CommandResult,
  DEFAULT_OUTPUT_PAGE_LINES,
  type OutputPage,
  type OutputPageQuery,
  type OutputStreamName,
} from "../../models";
import type { Store } from "../../store";
import { splitLines, summarize } from "./lines";

export interface OutputOptions {
  /** Largest stream, in UTF-8 bytes, an answer carries whole (KUBENTLY_INLINE_OUTPUT_BYTES). */
  inlineBytes: number;
}

export const DEFAULT_OUTPUT_OPTIONS: OutputOptions = { inlineBytes: 64 * 1024 };

/** A page stops early rather than grow past this many characters of text. */
const MAX_PAGE_CHARS = 1024 * 1024;

export interface OutputService {
  /** The result as answered to its caller: a stream over the inline size becomes a preview and a handle. */
  present(result: CommandResult): CommandResult;
  /** A page of the output of `commandId`, if `identity` ran it; 404 OUTPUT_NOT_FOUND otherwise. */
  page(identity: string, commandId: string, query: OutputPageQuery): Promise<OutputPage>;
}

/** The lines kept of one stream, for the few outputs being paged right now: paging re-reads nothing. */
const CACHED_STREAMS = 4;

export function createOutputService(
  store: Pick<Store, "getResult" | "commandInfo">,
  { inlineBytes }: OutputOptions,
): OutputService {
  const cache = new Map<string, string[]>();
  const linesOf = (commandId: string, stream: OutputStreamName, text: string): string[] => {
    const key = `${commandId}/${stream}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const lines = splitLines(text);
    cache.set(key, lines);
    if (cache.size > CACHED_STREAMS) cache.delete(cache.keys().next().value as string);
    return lines;
  };

  return {
    present(result) {
      // Most answers are small: a UTF-16 unit is at most 3 UTF-8 bytes, so these fit without measuring.
      const fits = (text: string) => text.length * 3 <= inlineBytes;
      if (fits(result.stdout) && fits(result.stderr)) return result;
      const { command_id } = result;
      const stdout = summarize(result.stdout, inlineBytes, command_id);
      const stderr = summarize(result.stderr, inlineBytes, command_id);
      if (!stdout.summary.preview && !stderr.summary.preview) return result;
      return {
        ...result,
        stdout: stdout.text,
        stderr: stderr.text,
        output: {
          handle: command_id,
          url: `/debug/results/${command_id}/output`,
          stdout: stdout.summary,
          stderr: stderr.summary,
        },
      };
    },

    async page(identity, commandId, query) {
      const missing = () =>
        notFound("OUTPUT_NOT_FOUND", "no output for this command id: unknown, expired, or another caller's", {
          command_id: commandId,
        });
      const [result, info] = await Promise.all([store.getResult(commandId), store.commandInfo(commandId)]);
      if (!result || !info || info.command.service_identity !== identity) throw missing();
      const stream = query.stream ?? "stdout";
      const pattern = query.grep === undefined ? null : compile(query.grep);
      const text = result[stream];
      const all = linesOf(commandId, stream, text);
      // Line numbers from 1; with a pattern, only the lines it matches.
      const numbered: number[] = [];
      if (pattern) {
        for (let index = 0; index < all.length; index++)
          if (pattern.test(all[index] as string)) numbered.push(index);
      }
      const count = pattern ? numbered.length : all.length;
      const start = startOf(query, count);
      const limit = query.tail ?? query.limit ?? DEFAULT_OUTPUT_PAGE_LINES;
      const lines: OutputPage["lines"] = [];
      let chars = 0;
      let at = start;
      for (; at < Math.min(count, start + limit); at++) {
        const index = pattern ? (numbered[at] as number) : at;
        const line = all[index] as string;
        if (lines.length > 0 && chars + line.length > MAX_PAGE_CHARS) break;
        chars += line.length;
        lines.push({ n: index + 1, text: line });
      }
      return {
        command_id: commandId,
        stream,
        total_lines: all.length,
        total_bytes: Buffer.byteLength(text),
        ...(pattern ? { grep: query.grep, matched_lines: count } : {}),
        offset: start,
        lines,
        next_offset: at < count ? at : null,
      };
    },
  };
}

/** Where a page starts among `count` lines (or matches); a start past the end is refused. */
function startOf({ offset, tail }: OutputPageQuery, count: number): number {
  if (tail !== undefined) {
    if (offset !== undefined) throw badRequest("INVALID_QUERY", "give offset or tail, not both");
    return Math.max(0, count - tail);
  }
  const from = offset ?? 0;
  const start = from < 0 ? Math.max(0, count + from) : from;
  if (start > 0 && start >= count) {
    throw badRequest("OFFSET_OUT_OF_RANGE", `offset ${from} is past the end: there are ${count} lines`, {
      offset: from,
      lines: count,
    });
  }
  return start;
}

function compile(pattern: string): RE2JS {
  try {
    return RE2JS.compile(pattern);
  } catch (error) {
    throw badRequest(
      "INVALID_PATTERN",
      `grep is not a valid RE2 regular expression: ${(error as Error).message}`,
    );
  }
}
