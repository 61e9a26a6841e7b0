/**
 * Delivers results to the API: over the live WebSocket when there is one, else by HTTP in batches.
 * A result the server refuses on the socket as too large goes by HTTP, and from then on so does any
 * with as much output, rather than costing the socket each time.
 *
 * HTTP results wait in one queue. At most MAX_IN_FLIGHT posts are under way, and each takes what is
 * queued (up to MAX_BATCH results and about MAX_BATCH_OUTPUT of output): idle, a result goes out at
 * once and alone; under load, results gather while posts are in flight and one request carries many,
 * so the server checks the token and validates once for all of them. Nothing waits on a timer.
 *
 * Each result keeps its own fate: retried with backoff until its command's deadline, or refused by
 * the server (an unknown command, another cluster's) for good. Posting is idempotent by command id
 * on the server, so a retry after a lost response is harmless.
 */
import { Type as t } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { type CommandResult, type OutputChunk, ResultOutcome } from "../src/models";
import type { ChunkSink, ResultSink } from "./agent";
import { Backoff } from "./backoff";
import { ChunkPoster } from "./chunk-poster";
import type { ExecutorLog } from "./log";
import { needsParts, sendParts } from "./output-parts";
import { type Endpoint, executorHeaders, type ResultChannel } from "./transports/types";

/** One post being answered while the next one fills up. */
const MAX_IN_FLIGHT = 2;
const MAX_BATCH = 64;
/** stdout + stderr of one post: with JSON escaping, well under the server's 4 MiB result limit. */
const MAX_BATCH_OUTPUT = 1024 * 1024;
const POST_TIMEOUT_MS = 10_000;

interface Pending {
  /** What is posted: after output parts were sent, the result that names them. */
  result: CommandResult;
  /** The result with its whole output, kept while its parts may have to be sent again. */
  whole?: CommandResult;
  deadlineMs: number;
  /** Made at the first retry. */
  backoff?: Backoff;
  settle(delivered: boolean): void;
}

export class ResultPoster implements ResultSink, ChunkSink {
  private channel: ResultChannel | null = null;
  /** The server takes chunks at POST /executor/chunks (its SSE `connected` said so). */
  private httpChunks = false;
  private readonly chunks: ChunkPoster;
  /** Output (stdout + stderr characters) from which results skip the socket: the server refused one as large. */
  private socketOutputLimit = Number.POSITIVE_INFINITY;
  private readonly queue: Pending[] = [];
  private inFlight = 0;
  /** Cleared when the API has no route for output parts: large outputs are then halved to fit, as before. */
  private partsRoute = true;
  /**
   * Cleared when the API answers 404 for the batch route: a server older than batches, as during an
   * upgrade of the executors first. Results then go one per POST /executor/results.
   */
  private batchRoute = true;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly log: ExecutorLog,
  ) {
    this.chunks = new ChunkPoster(endpoint);
  }

  /**
   * Results go over `channel` while the connection loop holds one open (the WebSocket's), else by HTTP;
   * chunks too, where the server said it takes them (`httpChunks`).
   */
  useChannel(channel: ResultChannel | null, httpChunks = false): void {
    this.channel = channel;
    this.httpChunks = httpChunks;
  }

  /**
   * A streamed command's output as it arrives, over the live channel when the server takes chunks
   * there; else dropped: chunks are a foretaste, the result still carries the whole output.
   */
  chunk(chunk: OutputChunk): void {
    if (this.channel?.sendChunk) this.channel.sendChunk(chunk);
    else if (this.httpChunks) this.chunks.push(chunk);
  }

  /** On the WebSocket chunks and results keep their order; by HTTP the result waits for the chunks. */
  chunksSent(): Promise<void> {
    return this.chunks.sent();
  }

  post(result: CommandResult, deadlineMs: number): Promise<boolean> {
    return new Promise((settle) => void this.deliver({ result, deadlineMs, settle }));
  }

  private async deliver(item: Pending): Promise<void> {
    if (this.partsRoute && needsParts(item.result) && !(await this.sendParts(item))) return;
    const output = outputOf(item.result);
    if (this.channel && output < this.socketOutputLimit) {
      const delivery = await this.channel.sendResult(item.result);
      if (delivery === "acked") return item.settle(true);
      if (delivery === "too-large") {
        this.socketOutputLimit = Math.min(this.socketOutputLimit, output);
        this.log("warn", "result too large for the WebSocket; posting it, and any as large, by HTTP", {
          command_id: item.result.command_id,
          output_chars: output,
        });
      }
    }
    this.queue.push(item);
    this.pump();
  }

  /**
   * Sends the large streams of the item's result ahead of it, and makes the item the result to post
   * after them. False when the item is settled or retried instead.
   */
  private async sendParts(item: Pending): Promise<boolean> {
    let sent: Awaited<ReturnType<typeof sendParts>>;
    try {
      sent = await sendParts(this.endpoint, item.result);
    } catch {
      this.retryLater([item]);
      return false;
    }
    if (sent.kind === "unsupported") {
      this.log("warn", "the API takes no output parts; large outputs are cut to fit one post");
      this.partsRoute = false;
      return true;
    }
    if (sent.kind === "refused") {
      this.refused(item, sent.code ? { code: sent.code } : { status: sent.status });
      return false;
    }
    item.whole = item.result;
    item.result = sent.result;
    return true;
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      this.inFlight++;
      void this.send(this.takeBatch()).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  /** The head of the queue, as much as one post carries: always at least one result, however large. */
  private takeBatch(): Pending[] {
    const most = Math.min(this.batchRoute ? MAX_BATCH : 1, this.queue.length);
    let count = 0;
    let output = 0;
    for (; count < most; count++) {
      output += outputOf((this.queue[count] as Pending).result);
      if (count > 0 && output > MAX_BATCH_OUTPUT) break;
    }
    return this.queue.splice(0, count);
  }

  /** One POST, and what its answer means for each result it carried. Holds its in-flight slot throughout. */
  private async send(batch: Pending[]): Promise<void> {
    // After a 404 a lone result takes the old route; a batch made before then still goes to the batch
    // route, is answered 404 too, and comes back to the queue to go one at a time.
    const batched = this.batchRoute || batch.length > 1;
    let response: Response;
    let outcomes: ResultOutcome[] | null = null;
    try {
      response = await fetch(`${this.endpoint.apiUrl}/executor/results${batched ? "/batch" : ""}`, {
        method: "POST",
        headers: { ...executorHeaders(this.endpoint), "content-type": "application/json" },
        body: JSON.stringify(batched ? { results: batch.map((item) => item.result) } : batch[0]?.result),
        tls: this.endpoint.tls,
        signal: AbortSignal.timeout(POST_TIMEOUT_MS),
      });
      if (response.ok && batched) outcomes = await outcomesOf(response, batch.length);
    } catch {
      // unreachable, too slow, or an answer that is not the API's (a proxy's page): try again
      return this.retryLater(batch);
    }
    if (response.ok) {
      batch.forEach((item, index) => {
        const outcome = outcomes?.[index];
        if (outcome && "code" in outcome && outcome.code === OUTPUT_INCOMPLETE && item.whole) {
          this.partsAgain(item);
        } else if (outcome && "code" in outcome) this.refused(item, { code: outcome.code });
        else item.settle(true);
      });
    } else if (response.status === 404 && batched) {
      if (this.batchRoute) this.log("warn", "the API has no batch route; posting results one at a time");
      this.batchRoute = false;
      this.queue.unshift(...batch);
    } else if (response.status === 409 && !batched && batch[0]?.whole) {
      this.partsAgain(batch[0]);
    } else if (response.status === 413) {
      await this.shrink(batch);
    } else if (response.status >= 500 || response.status === 408 || response.status === 429) {
      this.retryLater(batch);
    } else {
      // Any other 4xx will not change on retry (an unknown command, another cluster's, a bad token).
      for (const item of batch) this.refused(item, { status: response.status });
    }
  }

  /**
   * Too large for the server's result limit: a batch goes again as two halves, one after the other in
   * this slot; a lone result with its output halved, since less is better than nothing.
   */
  private async shrink(batch: Pending[]): Promise<void> {
    const [item] = batch;
    if (batch.length > 1) {
      const half = Math.ceil(batch.length / 2);
      await this.send(batch.slice(0, half));
      await this.send(batch.slice(half));
    } else if (item && (item.result.stdout || item.result.stderr)) {
      item.result = halved(item.result);
      await this.send(batch);
    } else if (item) {
      this.refused(item, { status: 413 });
    }
  }

  /** Each result back to the queue after its own backoff, unless that would pass its deadline. */
  private retryLater(batch: Pending[]): void {
    for (const item of batch) {
      item.backoff ??= new Backoff(200, 5_000);
      const wait = item.backoff.next();
      if (Date.now() + wait >= item.deadlineMs) item.settle(false);
      // Not cut short on shutdown: a stopping executor still hands over what it finished.
      else setTimeout(() => void this.deliver(item), wait);
    }
  }

  /** The server lost a part (expired before the result came): the whole result goes again, parts first. */
  private partsAgain(item: Pending): void {
    item.result = item.whole as CommandResult;
    item.whole = undefined;
    this.retryLater([item]);
  }

  private refused(item: Pending, why: { status: number } | { code: string }): void {
    this.log("warn", "result refused by the API", { command_id: item.result.command_id, ...why });
    item.settle(false);
  }
}

/** A result's outcome when a part of its output is missing on the server. */
const OUTPUT_INCOMPLETE = "OUTPUT_INCOMPLETE";

const batchAnswer = TypeCompiler.Compile(t.Object({ outcomes: t.Array(ResultOutcome) }));

/** The batch route's answer: one outcome per result posted, each checked, or a throw for anything else. */
async function outcomesOf(response: Response, count: number): Promise<ResultOutcome[]> {
  const answer: unknown = await response.json();
  if (!batchAnswer.Check(answer) || answer.outcomes.length !== count) throw new Error("not a batch answer");
  return answer.outcomes;
}

const outputOf = ({ stdout, stderr }: CommandResult): number => stdout.length + stderr.length;

/** The result with each output cut to half its length, marked truncated. */
function halved(result: CommandResult): CommandResult {
  return {
    ...result,
    stdout: result.stdout.slice(0, Math.floor(result.stdout.length / 2)),
    stderr: result.stderr.slice(0, Math.floor(result.stderr.length / 2)),
    truncated: true,
  };
}
