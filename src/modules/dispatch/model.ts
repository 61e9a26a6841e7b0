/** Schemas of POST /debug/execute, and what the routes that dispatch commands document. */
import { acceptIntegerStrings } from "../../http/integer-strings";
import { ExecuteRequest } from "../../models";

/** The refusals of the routes that queue commands, added to those every client route documents. */
export const EXECUTE_REFUSALS = {
  403:
    "`SCOPE_DENIED`: the caller's scope does not reach the cluster, a namespace the command names, or the " +
    "command itself (`details.context.scope`: clusters, namespaces or mode). Nothing is queued; it is audited.",
  429:
    "Or the cluster is over its command rate (KUBENTLY_CLUSTER_RATE_LIMIT), whoever asks: " +
    "`details.context.scope` is cluster.",
  503:
    "`DRAINING`: this replica is shutting down; send the command again and another replica takes it. " +
    "Nothing was queued, unless a synchronous wait outlasted the server's drain time.",
};

export const ExecuteBody = acceptIntegerStrings(ExecuteRequest);
