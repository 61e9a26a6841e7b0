/**
 * Reading a request body: at most `limit` bytes, counted as they arrive whatever the framing
 * (Content-Length or chunked), so a body over it is refused (413) without being buffered whole; and,
 * for JSON, nested at most MAX_JSON_DEPTH deep, checked on the text before it is parsed, so neither
 * parsing nor validating a hostile body can recurse until the stack overflows (400).
 */
import { badRequest, payloadTooLarge } from "./errors";

/**
 * Deepest nesting of arrays and objects a JSON body may have; the API's own bodies need under ten.
 * Executors' WebSocket messages are held to it too (executors/socket-message.ts).
 */
export const MAX_JSON_DEPTH = 64;

const notJson = () => badRequest("INVALID_BODY", "the request body is not valid JSON");

/** Stateless between calls: fatal decoding keeps no state across decode() without `stream`. */
const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * The body's bytes, at most `limit`. A body with a declared length (within the limit: the edge
 * refused a larger one before anything was read) is read whole, as the server never reads past the
 * length it declared; a chunked one is counted as it arrives, and leaving the loop early (the throw)
 * cancels the stream, so the rest of it is never read. Reading whole skips a stream read per chunk,
 * which is most of what a small body costs.
 */
async function bodyBytes(
  request: Request,
  body: ReadableStream<Uint8Array>,
  limit: number,
): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && !request.headers.has("transfer-encoding")) {
    const length = Number(declared);
    if (length > limit) throw payloadTooLarge(limit);
    const bytes = await request.bytes();
    if (bytes.byteLength > limit) throw payloadTooLarge(limit);
    return bytes;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) throw payloadTooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/**
 * The body as the route's validation sees it: parsed JSON for `application/json`, else the text
 * (which a route's schema then refuses, as any body of the wrong shape); null when there is none, so
 * no parser after this one reads the request again.
 */
export async function readBody(request: Request, contentType: string, limit: number): Promise<unknown> {
  if (!request.body) return null;
  const bytes = await bodyBytes(request, request.body, limit);
  if (bytes.byteLength === 0) return null;
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw notJson();
  }
  if (contentType !== "application/json") return text;
  if (nestingExceeds(text, MAX_JSON_DEPTH)) {
    throw badRequest("INVALID_BODY", `the request body nests deeper than ${MAX_JSON_DEPTH} levels`, {
      max_depth: MAX_JSON_DEPTH,
    });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw notJson();
  }
}

const STRUCTURAL = /["[\]{}]/g;
const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_ARRAY = 91;
const OPEN_OBJECT = 123;

/**
 * Whether arrays and objects in `text` nest deeper than `max`, brackets inside strings not counting.
 * Text with at most `max` opening brackets anywhere cannot, and most bodies have a few: counting them
 * takes a few indexOf calls, where the walk below costs a regex match per structural character.
 * Otherwise the walk jumps from one structural character to the next and over whole strings, so a
 * long string costs one indexOf, not a step per character. Text that is not JSON is left for
 * JSON.parse to refuse.
 */
function nestingExceeds(text: string, max: number): boolean {
  if (openings(text, max) <= max) return false;
  // Shared and reset: the scan never yields, so no other scan can run in between.
  STRUCTURAL.lastIndex = 0;
  let depth = 0;
  for (let match = STRUCTURAL.exec(text); match; match = STRUCTURAL.exec(text)) {
    const at = match.index;
    const char = text.charCodeAt(at);
    if (char === QUOTE) {
      const end = closingQuote(text, at);
      if (end === -1) return false;
      STRUCTURAL.lastIndex = end + 1;
    } else if (char === OPEN_ARRAY || char === OPEN_OBJECT) {
      depth += 1;
      if (depth > max) return true;
    } else {
      depth -= 1;
    }
  }
  return false;
}

/** How many `[` and `{` there are in `text`, counted up to one more than `max`. */
function openings(text: string, max: number): number {
  let count = 0;
  for (const bracket of ["{", "["]) {
    for (let at = text.indexOf(bracket); at !== -1 && count <= max; at = text.indexOf(bracket, at + 1)) {
      count += 1;
    }
  }
  return count;
}

/** The index of the quote that closes the string opened at `open`: one not escaped by a backslash. */
function closingQuote(text: string, open: number): number {
  let end = open;
  for (;;) {
    end = text.indexOf('"', end + 1);
    if (end === -1) return -1;
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return end;
  }
}
