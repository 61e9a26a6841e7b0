/**
 * Storing what executors post, one result at a time through the queue. A refusal (an unknown command,
 * another cluster's) becomes that result's outcome rather than an error, so one bad result never
 * refuses the others of its batch. Anything else (the store down) still throws: the whole post fails
 * and the executor sends it again, which is harmless since the first stored result stands.
 */
import { ApiError } from "../../http/errors";
import type { CommandResult, ResultOutcome } from "../../models";
import type { QueueService } from "../queue/service";

export async function storeOutcome(
  queue: QueueService,
  clusterId: string,
  result: CommandResult,
): Promise<ResultOutcome> {
  const { command_id } = result;
  try {
    return { command_id, stored: await queue.storeResult(clusterId, result) };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { command_id, code: error.code, error: error.message };
  }
}

/** All at once, so a Redis store pipelines the batch's reads and writes; outcomes in the results' order. */
export const storeOutcomes = (
  queue: QueueService,
  clusterId: string,
  results: CommandResult[],
): Promise<ResultOutcome[]> => Promise.all(results.map((result) => storeOutcome(queue, clusterId, result)));
