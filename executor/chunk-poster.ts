/**
 * Owns sending streamed output by HTTP (POST /executor/chunks), for executors on SSE or long-poll,
 * whose connection carries nothing back: chunks handed over while a post is under way go in the next,
 * in order, one post at a time. A chunk that does not get through is dropped, not retried: it is a
 * foretaste for a waiting caller, and the command's result still carries the whole output.
 */
import type { OutputChunk } from "../src/models";
import { type Endpoint, executorHeaders } from "./transports/types";

/** As the server's MAX_BATCH_CHUNKS. */
const MAX_BATCH = 256;
const POST_TIMEOUT_MS = 10_000;

export class ChunkPoster {
  private readonly waiting: OutputChunk[] = [];
  private posting: Promise<void> | null = null;

  constructor(private readonly endpoint: Endpoint) {}

  push(chunk: OutputChunk): void {
    this.waiting.push(chunk);
    void this.flush();
  }

  /** Resolves once every chunk handed over was posted (or dropped): a result must not overtake them. */
  sent(): Promise<void> {
    return this.posting ?? Promise.resolve();
  }

  private flush(): Promise<void> {
    this.posting ??= this.postAll().finally(() => {
      this.posting = null;
    });
    return this.posting;
  }

  private async postAll(): Promise<void> {
    while (this.waiting.length > 0) {
      const chunks = this.waiting.splice(0, MAX_BATCH);
      await fetch(`${this.endpoint.apiUrl}/executor/chunks`, {
        method: "POST",
        headers: { ...executorHeaders(this.endpoint), "content-type": "application/json" },
        body: JSON.stringify({ chunks }),
        tls: this.endpoint.tls,
        signal: AbortSignal.timeout(POST_TIMEOUT_MS),
      }).catch(() => undefined);
    }
  }
}
