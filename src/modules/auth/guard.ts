/**
 * The auth guard every feature module uses: route options `client`, `admin` and `executor` resolve
 * the caller's identity (or answer 401) so handlers receive a plain identity, never a credential.
 * A client over its rate limit is refused (429) here too, before its request does any work.
 *
 * The caller is known before anything of the request is read: on a route that takes a body, in the
 * first parse hook, before the body parser (which the guard runs, so no byte of an unknown caller's
 * body is read); on any route, in a transform hook, before params, query and headers are validated.
 * So a request with a wrong credential learns nothing of the route's schema, only 401.
 *
 * Headers are read from `request` rather than Elysia's parsed `headers`: Elysia decides what to
 * parse by reading handler source, which fails for macros in `bun build` output (elysia#1280),
 * while `request` is always there.
 */
import { Elysia } from "elysia";
import { parseBody } from "../../http/core";
import { badRequest, unauthorized } from "../../http/errors";
import { isClusterId } from "../../models";
import { type AuthService, bearerToken, presentedCredential } from "./service";

/**
 * Names JSON as the body's media type for the OpenAPI document, which lists a route's media types
 * from its named parsers (none, for a route whose parsers are all functions). Never run: parseBody,
 * before it, answers every request. Elysia runs a named parser from a macro as from a route, but
 * types a macro's parsers as functions only, hence the cast.
 */
const DOCUMENTED_AS_JSON = "application/json" as unknown as typeof parseBody;

/**
 * The hooks of a route that needs a caller `identify` accepts. Whichever hook runs first identifies
 * the caller; the others, and `resolve` (which hands the identity to the handler), reuse its answer.
 */
function guarded<T extends Record<string, unknown>>(identify: (request: Request) => Promise<T>) {
  const admitted = new WeakMap<Request, Promise<T>>();
  // Async functions all: Elysia awaits a hook only if it is one, whatever it returns.
  const admit = async ({ request }: { request: Request }): Promise<T> => {
    let admission = admitted.get(request);
    if (!admission) {
      admission = identify(request);
      admitted.set(request, admission);
    }
    return admission;
  };
  // Takes only `request`: Elysia reads each hook's source, and a hook handed the whole context
  // makes it parse cookies and the query string of every request, whether anything reads them or not.
  const check = async ({ request }: { request: Request }): Promise<void> => {
    await admit({ request });
  };
  return { parse: [check, parseBody, DOCUMENTED_AS_JSON], transform: check, resolve: admit };
}

export const authGuard = (auth: AuthService) =>
  new Elysia({ name: "kubently.auth-guard", seed: auth }).macro({
    client: guarded(async (request) => {
      const client = await auth.identifyClient(presentedCredential(request.headers));
      if (!client) throw unauthorized("a valid API key is required (X-API-Key or Authorization: Bearer)");
      await auth.admitClient(client.identity, client.scope);
      return { identity: client.identity, scope: client.scope };
    }),
    admin: guarded(async (request) => {
      const identity = auth.identifyAdmin(presentedCredential(request.headers));
      if (!identity) throw unauthorized("a valid admin key is required (X-API-Key or Authorization: Bearer)");
      return { identity };
    }),
    executor: guarded(async (request) => {
      const clusterId = request.headers.get("x-cluster-id");
      if (!clusterId)
        throw unauthorized("executor requests carry X-Cluster-ID and Authorization: Bearer <token>");
      if (!isClusterId(clusterId))
        throw badRequest("INVALID_CLUSTER_ID", "X-Cluster-ID is not a valid cluster id");
      if (!(await auth.verifyExecutor(clusterId, bearerToken(request.headers.get("authorization"))))) {
        throw unauthorized("the executor token is not valid for this cluster");
      }
      return { clusterId };
    }),
  });
