/**
 * Long-poll transport, for networks where streams do not survive: repeated GET /executor/commands
 * with a 30 s wait. Each poll also renews the leases of commands still running under this executor id.
 * An answer that is not a list of commands ends the connection, so the next poll waits out a backoff
 * rather than following a broken server at full speed; each command in a list is checked on its own.
 * An answer may also name commands to cancel (their streaming caller went away).
 */
import { Type as t } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { readJson } from "./inbound";
import { connectionHeaders, refusal, type TransportContext } from "./types";

export const POLL_WAIT_SECONDS = 30;

const pollAnswer = TypeCompiler.Compile(
  t.Object({ commands: t.Array(t.Unknown()), cancels: t.Optional(t.Array(t.String())) }),
);

export async function pollTransport({
  endpoint,
  receive,
  cancel,
  connected,
  signal,
}: TransportContext): Promise<void> {
  let first = true;
  while (!signal.aborted) {
    // The first poll returns at once, so the connection counts as established without a 30 s wait.
    const wait = first ? 0 : POLL_WAIT_SECONDS;
    let response: Response;
    try {
      response = await fetch(`${endpoint.apiUrl}/executor/commands?wait=${wait}&max=16`, {
        headers: connectionHeaders(endpoint),
        tls: endpoint.tls,
        signal: AbortSignal.any([signal, AbortSignal.timeout((POLL_WAIT_SECONDS + 15) * 1000)]),
      });
    } catch (error) {
      if (signal.aborted) return;
      throw error;
    }
    if (response.status !== 200) throw await refusal(response);
    if (first) {
      // Posting chunks: only a server with POST /executor/chunks marks a command `stream_output`.
      connected(undefined, true);
      first = false;
    }
    const json = readJson(await response.text());
    if (!json || !pollAnswer.Check(json.value)) {
      throw new Error("the API answered a poll with something other than a list of commands");
    }
    for (const command of json.value.commands) receive(command);
    for (const commandId of json.value.cancels ?? []) cancel(commandId);
  }
}
