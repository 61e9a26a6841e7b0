/**
 * Output streams of commands a caller streams: chunks an executor's WebSocket sent, passed to the
 * caller waiting for them, and cancels passed to the cluster's WebSockets when that caller went
 * away (a command no executor took yet is withdrawn from its queue instead, so it never runs). Both travel as the store's passing events, so the caller's replica need not be the
 * executor's (on Redis); nothing is stored: a chunk nobody listens to is dropped (the result still
 * carries the whole output). Chunks are keyed by the sending connection's own cluster, so an
 * executor can only ever speak for its own cluster's commands.
 */
import { log } from "../../log";
import type { OutputChunk } from "../../models";
import type { PassingEvent, Store } from "../../store";
import { Signals } from "../queue/signals";

export interface OutputStreams {
  /** An executor of `clusterId` sent a chunk. */
  chunk(clusterId: string, chunk: OutputChunk): void;
  /** Hears a command's chunks until the function returned is called. */
  listen(clusterId: string, commandId: string, listener: (chunk: OutputChunk) => void): () => void;
  /** A connection of `clusterId` that carries cancels (a WebSocket); the function returned removes it. */
  cancellable(clusterId: string, send: (commandId: string) => void): () => void;
  /**
   * The caller of a streamed command went away: a command still queued is withdrawn; one already
   * taken is cancelled by telling every such connection of its cluster.
   */
  cancel(clusterId: string, commandId: string): void;
}

export function createOutputStreams(store: Pick<Store, "announce" | "subscribe" | "cancel">): OutputStreams {
  const chunks = new Signals<OutputChunk>();
  const cancels = new Signals<string>();
  const key = (clusterId: string, commandId: string) => `${clusterId}/${commandId}`;
  store.subscribe((event) => {
    if (event.type === "chunk") chunks.emit(key(event.cluster_id, event.chunk.command_id), event.chunk);
    else if (event.type === "cancel") cancels.emit(event.cluster_id, event.command_id);
  });
  const announce = (event: PassingEvent) =>
    void store.announce(event).catch((error: unknown) => {
      // A lost chunk is still in the result; a lost cancel leaves the command to its window.
      log.warn("could not pass an event on", { event: event.type, error: (error as Error).message });
    });
  return {
    chunk: (clusterId, chunk) => announce({ type: "chunk", cluster_id: clusterId, chunk }),
    listen: (clusterId, commandId, listener) => chunks.on(key(clusterId, commandId), listener),
    cancellable: (clusterId, send) => cancels.on(clusterId, send),
    cancel: (clusterId, commandId) =>
      void store.cancel(commandId).then(
        (was) => {
          if (was !== "pending") announce({ type: "cancel", cluster_id: clusterId, command_id: commandId });
        },
        // The store is down: the cancel may still reach a connection that holds the command.
        () => announce({ type: "cancel", cluster_id: clusterId, command_id: commandId }),
      ),
  };
}
