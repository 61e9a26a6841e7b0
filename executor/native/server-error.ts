/**
 * Owns kubectl's words for a Status the API server answered with: `Error from server (REASON):
 * MESSAGE`, and on a list the resource builder's rewording (EnhanceListError) that names what was
 * listed. A reason kubectl does not know is undefined: it would judge such a Status by its code,
 * which this does not model, so the command runs kubectl.
 */
import type { Resource } from "./discovery";
import { checkStatus } from "./kube-types";

const KNOWN_REASONS = new Set([
  "BadRequest",
  "NotFound",
  "Forbidden",
  "Unauthorized",
  "Invalid",
  "MethodNotAllowed",
  "NotAcceptable",
  "InternalError",
  "ServiceUnavailable",
  "Timeout",
  "TooManyRequests",
]);
// The builder rewords these two on a list, naming the group/version/resource as Go prints it
// ("/v1, Resource=pods").
const REWORDED = new Set(["BadRequest", "NotFound"]);

/** A Status's reason and message, for a reason kubectl knows; undefined for anything else. */
export async function statusOf(response: Response): Promise<{ reason: string; message: string } | undefined> {
  const body: unknown = await response.json().catch(() => undefined);
  if (
    !checkStatus.Check(body) ||
    !body.reason ||
    !KNOWN_REASONS.has(body.reason) ||
    body.message === undefined
  )
    return undefined;
  return { reason: body.reason, message: body.message };
}

/** `Error from server (NotFound): pods "x" not found` and its line end, from a Status. */
export async function serverError(
  response: Response,
  reword?: (message: string) => string,
): Promise<string | undefined> {
  const status = await statusOf(response);
  if (status === undefined) return undefined;
  const message = reword && REWORDED.has(status.reason) ? reword(status.message) : status.message;
  return `Error from server (${status.reason}): ${message}\n`;
}

/**
 * What a follow ends with when a stream it opens after printing fails with a body that is no
 * Status (the API server always sends one; kubectl's words for anything else are not modelled):
 * it can no longer be left to kubectl, which would print everything again.
 */
export const plainError = (status: number, what: string) =>
  `error: the server answered ${status} to ${what}\n`;

/** How the builder rewords an error listing `r`, with these selectors or none. */
export function listContext(
  r: Pick<Resource, "group" | "version" | "resource">,
  labelSelector: string | undefined,
  fieldSelector: string | undefined,
): (message: string) => string {
  const gvr = `${r.group}/${r.version}, Resource=${r.resource}`;
  if (labelSelector === undefined && fieldSelector === undefined) {
    return (message) => `Unable to list "${gvr}": ${message}`;
  }
  return (message) =>
    `Unable to find "${gvr}" that match label selector "${labelSelector ?? ""}", field selector "${fieldSelector ?? ""}": ${message}`;
}
