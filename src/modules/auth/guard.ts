/**
 * The auth guard every feature module uses: route options `client`, `admin` and `executor` resolve
 * the caller's identity (or answer 401) so handlers receive a plain identity, never a credential.
 * A client over its rate limit is refused (429) here too, before its request does any work.
 *
 * Headers are read from `request` rather than Elysia's parsed `headers`: Elysia decides what to
 * parse by reading handler source, which fails for macros in `bun build` output (elysia#1280),
 * while `request` is always there.
 */
import { Elysia } from "elysia";
import { badRequest, unauthorized } from "../../http/errors";
import { isClusterId } from "../../models";
import { type AuthService, bearerToken, presentedCredential } from "./service";

export const authGuard = (auth: AuthService) =>
  new Elysia({ name: "kubently.auth-guard", seed: auth }).macro({
    client: {
      async resolve({ request }) {
        const identity = auth.identifyClient(presentedCredential(request.headers));
        if (!identity) throw unauthorized("a valid API key is required (X-API-Key or Authorization: Bearer)");
        await auth.admitClient(identity);
        return { identity };
      },
    },
    admin: {
      resolve({ request }) {
        const identity = auth.identifyAdmin(presentedCredential(request.headers));
        if (!identity)
          throw unauthorized("a valid admin key is required (X-API-Key or Authorization: Bearer)");
        return { identity };
      },
    },
    executor: {
      async resolve({ request }) {
        const clusterId = request.headers.get("x-cluster-id");
        if (!clusterId)
          throw unauthorized("executor requests carry X-Cluster-ID and Authorization: Bearer <token>");
        if (!isClusterId(clusterId))
          throw badRequest("INVALID_CLUSTER_ID", "X-Cluster-ID is not a valid cluster id");
        if (!(await auth.verifyExecutor(clusterId, bearerToken(request.headers.get("authorization"))))) {
          throw unauthorized("the executor token is not valid for this cluster");
        }
        return { clusterId };
      },
    },
  });
