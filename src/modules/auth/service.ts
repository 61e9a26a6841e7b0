/**
 * Auth: who is calling. Client and admin identities from API keys, executor identity from a
 * per-cluster token; and whether a client may call now (its rate limit). Executor tokens are
 * random, shown once, stored as SHA-256 digests and compared in constant time.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { forbidden } from "../../http/errors";
import { nowMs, type Store } from "../../store";
import type { RateLimiter } from "../limits/service";
import type { Scope } from "../scopes/model";
import { type KeyRing, sha256 } from "./keys";
import { looksLikeJwt, type OidcVerifier } from "./oidc";

export type IssueOutcome = { token: string; rotated: boolean } | { exists: true };

/** Who a client is: its principal id (a key's service, or `oidc:USER` for a person) and its scope. */
export interface ClientIdentity {
  identity: string;
  /** null: unscoped (a `service:key` entry, or insecure mode). */
  scope: Scope | null;
}

export interface AuthService {
  /**
   * The client, or null when the credential is no known API key (nor, with OIDC on, a JWT). A JWT
   * that fails verification is 401 with the reason; a person whose groups map to no principal, 403.
   */
  identifyClient(credential: string | null): Promise<ClientIdentity | null>;
  identifyAdmin(credential: string | null): string | null;
  /** Resolves when the client is within its request rate (its scope's own, if it has one); 429 otherwise. */
  admitClient(identity: string, scope: Scope | null): Promise<void>;
  /** True when `token` is the current executor token of `clusterId`. */
  verifyExecutor(clusterId: string, token: string | null): Promise<boolean>;
  issueExecutorToken(clusterId: string, rotate: boolean): Promise<IssueOutcome>;
  revokeExecutorToken(clusterId: string): Promise<boolean>;
}

export interface KeySource {
  clients(): KeyRing;
  admins(): KeyRing;
  /** The insecure development mode: every caller is this identity, admin included. */
  insecureIdentity: string | null;
}

const TOKEN_PREFIX = "kbt_";

export function createAuthService(
  store: Pick<Store, "getCluster" | "createCluster" | "deleteCluster">,
  keys: KeySource,
  limiter: Pick<RateLimiter, "admitClient">,
  oidc?: OidcVerifier,
): AuthService {
  return {
    admitClient: (identity, scope) => limiter.admitClient(identity, scope?.rateLimit),
    async identifyClient(credential) {
      if (keys.insecureIdentity) return { identity: keys.insecureIdentity, scope: null };
      if (!credential) return null;
      // One key ring for the whole request, so a reload in between cannot mix two files.
      const ring = keys.clients();
      const service = ring.identify(credential);
      if (service) return { identity: service, scope: ring.scopeOf(service) };
      if (!oidc || !looksLikeJwt(credential)) return null;
      const person = await oidc.verify(credential);
      const mapping = ring.mappingFor(person.groups);
      if (!mapping) {
        throw forbidden(
          "NO_PRINCIPAL",
          "signed in, but none of your groups is given a principal in the keys file",
          {
            identity: person.identity,
          },
        );
      }
      return { identity: person.identity, scope: mapping.scope };
    },
    identifyAdmin(credential) {
      if (keys.insecureIdentity) return keys.insecureIdentity;
      return credential ? keys.admins().identify(credential) : null;
    },
    async verifyExecutor(clusterId, token) {
      if (!token) return false;
      const cluster = await store.getCluster(clusterId);
      if (!cluster) return false;
      const expected = Buffer.from(cluster.token_hash, "hex");
      const presented = Buffer.from(sha256(token), "hex");
      return expected.length === presented.length && timingSafeEqual(expected, presented);
    },
    async issueExecutorToken(clusterId, rotate) {
      const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
      const outcome = await store.createCluster(clusterId, sha256(token), {
        replace: rotate,
        nowMs: nowMs(),
      });
      if (outcome === "exists") return { exists: true };
      return { token, rotated: outcome === "replaced" };
    },
    revokeExecutorToken(clusterId) {
      return store.deleteCluster(clusterId);
    },
  };
}

/** The credential a request presents: `X-API-Key`, else `Authorization: Bearer …`. */
export function presentedCredential(headers: Headers): string | null {
  const apiKey = headers.get("x-api-key");
  if (apiKey) return apiKey;
  return bearerToken(headers.get("authorization"));
}

export function bearerToken(authorization: string | null | undefined): string | null {
  if (!authorization) return null;
  const [scheme, value, ...rest] = authorization.trim().split(/\s+/);
  if (rest.length > 0 || !value || scheme?.toLowerCase() !== "bearer") return null;
  return value;
}
