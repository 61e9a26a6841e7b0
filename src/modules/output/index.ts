/**
 * Output controller: GET /debug/results/{command_id}/output pages a command's whole output by lines,
 * or by the lines a pattern matches, for the API key that ran it.
 */
import { Elysia } from "elysia";
import { ErrorBody, OutputPage } from "../../models";
import { authGuard } from "../auth/guard";
import type { AuthService } from "../auth/service";
import { OutputParams, OutputQuery } from "./model";
import type { OutputService } from "./service";

export const outputModule = (auth: AuthService, output: OutputService) =>
  new Elysia({ prefix: "/debug", tags: ["Commands"], detail: { security: [{ apiKey: [] }] } })
    .use(authGuard(auth))
    .get(
      "/results/:command_id/output",
      ({ identity, params: { command_id }, query }) => output.page(identity, command_id, query),
      {
        client: true,
        params: OutputParams,
        query: OutputQuery,
        response: { 200: OutputPage, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
        detail: {
          operationId: "readOutput",
          summary: "Page or search a command's whole output",
          description:
            "When a stream is larger than the server answers inline (KUBENTLY_INLINE_OUTPUT_BYTES, default " +
            "64 KiB), the command's answer carries a preview of it and `output.handle`, its command id. This " +
            "reads the whole stream by lines: `offset` and `limit`, a negative offset or `tail` from the end, " +
            "and `grep` for the matching lines only (numbered as in the whole stream). The output is kept as " +
            "long as the result (KUBENTLY_RESULT_TTL_SECONDS) and only for the API key that ran the command. " +
            "It was redacted in the cluster before it left. Any command's output can be read this way, " +
            "small ones too.",
          responses: {
            200: { description: "One page; `next_offset` continues it, null at the end." },
            400: {
              description:
                "`OFFSET_OUT_OF_RANGE`: the page starts past the end. `INVALID_PATTERN`: grep does not " +
                "compile. `INVALID_QUERY`: offset and tail together. `VALIDATION_ERROR`: a bad value " +
                "(a limit under 1, an unknown stream).",
            },
            404: {
              description:
                "`OUTPUT_NOT_FOUND`: no such command, its result has expired, or another API key ran it.",
            },
          },
        },
      },
    );
