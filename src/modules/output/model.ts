/** Schemas of GET /debug/results/{command_id}/output: the shared query, as a query string carries it. */
import { t } from "elysia";
import { acceptIntegerStrings } from "../../http/integer-strings";
import { OutputPageQuery, Uuid } from "../../models";

export const OutputParams = t.Object({ command_id: Uuid });

export const OutputQuery = acceptIntegerStrings(OutputPageQuery);
