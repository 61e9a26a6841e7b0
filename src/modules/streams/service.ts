/**
 * Output streams of commands a caller streams, within this replica: chunks an executor's WebSocket
 * sent, passed to the caller waiting for them, and cancels passed back to the cluster's WebSockets
 * when that caller went away. Nothing is stored: a chunk nobody listens to is dropped (the result
 * still carries the whole output). Chunks are keyed by the sending connection's own cluster, so an
 * executor can only ever speak for its own cluster's commands.
 */
import type { OutputChunk } from "../../models";
import { Signals } from "../queue/signals";

export interface OutputStreams {
  /** An executor of `clusterId` sent a chunk. */
  chunk(clusterId: string, chunk: OutputChunk): void;
  /** Hears a command's chunks until the function returned is called. */
  listen(clusterId: string, commandId: string, listener: (chunk: OutputChunk) => void): () => void;
  /** A connection of `clusterId` that carries cancels (a WebSocket); the function returned removes it. */
  cancellable(clusterId: string, send: (commandId: string) => void): () => void;
  /** The caller of a streamed command went away: every such connection of its cluster is told. */
  cancel(clusterId: string, commandId: string): void;
}

export function createOutputStreams(): OutputStreams {
  const chunks = new Signals<OutputChunk>();
  const senders = new Map<string, Set<(commandId: string) => void>>();
  const key = (clusterId: string, commandId: string) => `${clusterId}/${commandId}`;
  return {
    chunk: (clusterId, chunk) => chunks.emit(key(clusterId, chunk.command_id), chunk),
    listen: (clusterId, commandId, listener) => chunks.on(key(clusterId, commandId), listener),
    cancellable(clusterId, send) {
      let set = senders.get(clusterId);
      if (!set) {
        set = new Set();
        senders.set(clusterId, set);
      }
      set.add(send);
      return () => {
        set.delete(send);
        if (set.size === 0 && senders.get(clusterId) === set) senders.delete(clusterId);
      };
    },
    cancel(clusterId, commandId) {
      for (const send of senders.get(clusterId) ?? []) send(commandId);
    },
  };
}
