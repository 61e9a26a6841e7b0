/**
 * Owns sending a large output ahead of its result: each stream over PARTS_FROM_CHARS goes in parts
 * (PUT /executor/results/{id}/output/{stream}/{index}), and the result that follows carries that
 * stream empty with `output_parts` saying how many parts it has, so no request carries more than a
 * part and the server keeps the whole output. Parts are at most PART_CHARS characters: under 4 MiB
 * even as JSON's longest escapes, the server's limit for executor posts.
 */
import { Type as t } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { type CommandResult, ErrorBody, type OutputParts } from "../src/models";
import { type Endpoint, executorHeaders } from "./transports/types";

/** A stream longer than this (characters) travels in parts; the results batch carries about 1 MiB. */
export const PARTS_FROM_CHARS = 768 * 1024;
const PART_CHARS = 512 * 1024;
const PART_TIMEOUT_MS = 30_000;
/** Parts under way at once: the server stores one while the next is on the wire. */
const PARTS_AT_ONCE = 3;

/** How sending the parts went: the result to post now, a server without the route, or a refusal. */
export type PartsSent =
  | { kind: "sent"; result: CommandResult }
  | { kind: "unsupported" }
  | { kind: "refused"; status: number; code: string | null };

/** The text in parts of at most PART_CHARS characters, never splitting a surrogate pair. */
export function splitParts(text: string): string[] {
  const parts: string[] = [];
  for (let at = 0; at < text.length; ) {
    let end = Math.min(text.length, at + PART_CHARS);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    parts.push(text.slice(at, end));
    at = end;
  }
  return parts;
}

export const needsParts = ({ stdout, stderr }: CommandResult): boolean =>
  stdout.length > PARTS_FROM_CHARS || stderr.length > PARTS_FROM_CHARS;

/**
 * Sends every stream of `result` over PARTS_FROM_CHARS in parts, PARTS_AT_ONCE at a time, and answers
 * the result to post after them. Throws when the API could not be reached or failed (5xx): try again.
 */
export async function sendParts(endpoint: Endpoint, result: CommandResult): Promise<PartsSent> {
  const counts: OutputParts = {};
  const parts: Part[] = [];
  for (const stream of ["stdout", "stderr"] as const) {
    if (result[stream].length <= PARTS_FROM_CHARS) continue;
    const texts = splitParts(result[stream]);
    texts.forEach((text, index) => {
      parts.push({ stream, index, text });
    });
    counts[stream] = texts.length;
  }
  let next = 0;
  let problem: PartsSent | undefined;
  const lane = async () => {
    while (next < parts.length && problem === undefined) {
      problem ??= await putPart(endpoint, result.command_id, parts[next++] as Part);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARTS_AT_ONCE, parts.length) }, lane));
  if (problem) return problem;
  const sent: CommandResult = { ...result, output_parts: counts };
  for (const stream of Object.keys(counts) as (keyof OutputParts)[]) sent[stream] = "";
  return { kind: "sent", result: sent };
}

interface Part {
  stream: keyof OutputParts;
  index: number;
  text: string;
}

/** One part: undefined when kept, else why the parts cannot go; throws when worth trying again. */
async function putPart(endpoint: Endpoint, commandId: string, { stream, index, text }: Part) {
  const url = `${endpoint.apiUrl}/executor/results/${commandId}/output/${stream}/${index}`;
  const response = await fetch(url, {
    method: "PUT",
    headers: { ...executorHeaders(endpoint), "content-type": "application/json" },
    body: JSON.stringify({ text }),
    tls: endpoint.tls,
    signal: AbortSignal.timeout(PART_TIMEOUT_MS),
  });
  if (response.ok) return undefined;
  const code = await errorCode(response);
  // A server without the route, or one whose limit is below a part: the output is cut to fit instead.
  if ((response.status === 404 && code === "ROUTE_NOT_FOUND") || response.status === 413) {
    return { kind: "unsupported" } as const;
  }
  if (response.status >= 500 || response.status === 408 || response.status === 429) {
    throw new Error(`output part answered ${response.status}`);
  }
  return { kind: "refused", status: response.status, code } as const;
}

const errorDetails = TypeCompiler.Compile(t.Pick(ErrorBody, ["details"]));

/** The error code of an answer in Kubently's error format; null for anything else (a proxy's page). */
async function errorCode(response: Response): Promise<string | null> {
  try {
    const body: unknown = await response.json();
    return errorDetails.Check(body) ? body.details.code : null;
  } catch {
    return null;
  }
}
