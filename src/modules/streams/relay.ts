/**
 * The chunks of the commands one caller streams, relayed to it: each command is heard from before it
 * is queued (so no chunk can come before the listener), chunks are held until the caller's stream
 * starts, and a caller that goes away has every command it still waits for cancelled in its cluster.
 */
import type { Command, OutputChunk } from "../../models";
import type { OutputStreams } from "./service";

type Commanded = Pick<Command, "cluster_id" | "command_id">;

export interface ChunkRelay {
  /** Hears the command's chunks from now on (call before it is queued). */
  listen(command: Commanded): void;
  /** Passes on the chunks held so far, then each as it arrives. */
  start(deliver: (command: Commanded, chunk: OutputChunk) => void): void;
  /** The command ended: hear nothing more of it, and never cancel it. */
  ended(commandId: string): void;
  /** The caller went away: cancel every command not yet ended, and hear nothing more. */
  cancelRunning(): void;
}

export function createChunkRelay(streams: OutputStreams): ChunkRelay {
  const held: [Commanded, OutputChunk][] = [];
  let deliver = (command: Commanded, chunk: OutputChunk) => {
    held.push([command, chunk]);
  };
  const running = new Map<string, { command: Commanded; unlisten: () => void }>();
  return {
    listen(command) {
      const unlisten = streams.listen(command.cluster_id, command.command_id, (chunk) =>
        deliver(command, chunk),
      );
      running.set(command.command_id, { command, unlisten });
    },
    start(to) {
      deliver = to;
      for (const [command, chunk] of held.splice(0)) to(command, chunk);
    },
    ended(commandId) {
      running.get(commandId)?.unlisten();
      running.delete(commandId);
    },
    cancelRunning() {
      for (const [commandId, { command, unlisten }] of running) {
        unlisten();
        streams.cancel(command.cluster_id, commandId);
      }
      running.clear();
    },
  };
}
