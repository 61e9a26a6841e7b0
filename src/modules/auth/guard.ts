/**
 * The auth guard every feature module uses: route options `client`, `admin` and `executor` resolve
 * the caller's identity (or answer 401) so handlers receive a plain identity, never a credential.
 */
import { Elysia } from "elysia";
import { badRequest, unauthorized } from "../../http/errors";
import { isClusterId } from "../../models";
import { type AuthService, bearerToken, presentedCredential } from "./service";

export const authGuard = (auth: AuthService) =>
  new Elysia({ name: "kubently.auth-guard", seed: auth }).macro({
    client: {
      resolve({ headers }) {
        const identity = auth.identifyClient(presentedCredential(headers));
        if (!identity) throw unauthorized("a valid API key is required (X-API-Key or Authorization: Bearer)");
        return { identity };
      },
    },
    admin: {
      resolve({ headers }) {
        const identity = auth.identifyAdmin(presentedCredential(headers));
        if (!identity)
          throw unauthorized("a valid admin key is required (X-API-Key or Authorization: Bearer)");
        return { identity };
      },
    },
    executor: {
      async resolve({ headers }) {
        const clusterId = headers["x-cluster-id"];
        if (!clusterId)
          throw unauthorized("executor requests carry X-Cluster-ID and Authorization: Bearer <token>");
        if (!isClusterId(clusterId))
          throw badRequest("INVALID_CLUSTER_ID", "X-Cluster-ID is not a valid cluster id");
        if (!(await auth.verifyExecutor(clusterId, bearerToken(headers.authorization)))) {
          throw unauthorized("the executor token is not valid for this cluster");
        }
        return { clusterId };
      },
    },
  });
