/**
 * Long-poll transport, for networks where streams do not survive: repeated GET /executor/commands
 * with a 30 s wait. Each poll also renews the leases of commands still running under this executor id.
 */
import type { Command } from "../../src/models";
import { executorHeaders, refusal, type TransportContext } from "./types";

export const POLL_WAIT_SECONDS = 30;

export async function pollTransport({
  endpoint,
  accept,
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
        headers: executorHeaders(endpoint),
        tls: endpoint.tls,
        signal: AbortSignal.any([signal, AbortSignal.timeout((POLL_WAIT_SECONDS + 15) * 1000)]),
      });
    } catch (error) {
      if (signal.aborted) return;
      throw error;
    }
    if (response.status !== 200) throw await refusal(response);
    if (first) {
      connected();
      first = false;
    }
    const { commands } = (await response.json()) as { commands: Command[] };
    for (const command of commands) accept(command);
  }
}
