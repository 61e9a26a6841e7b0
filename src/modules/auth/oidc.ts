/**
 * People through OIDC: a bearer JWT from the configured issuer, verified with jose against the
 * issuer's JWKS (found through its discovery document unless configured; keys cached, and fetched
 * again for a key id not in the cache, so the issuer's key rotation is honoured). The issuer, the
 * audience, expiry and not-before are checked, with a bounded clock skew. The verified token gives
 * the user (a claim, `sub` by default: the caller's identity, `oidc:USER`) and their groups (a claim,
 * `groups` by default), which the keys file maps to a principal's scope.
 *
 * A token that fails is 401 UNAUTHORIZED with `details.context.reason` saying why, and never
 * repeated; an issuer that cannot be reached is 503 IDENTITY_PROVIDER_UNAVAILABLE.
 */
import { createRemoteJWKSet, decodeProtectedHeader, errors, type JWTPayload, jwtVerify } from "jose";
import { ApiError } from "../../http/errors";
import { log } from "../../log";

export interface OidcOptions {
  issuer: string;
  audience: string;
  /** Where the issuer's keys are; default: `jwks_uri` of its discovery document. */
  jwksUrl?: string;
  userClaim: string;
  groupsClaim: string;
  /** How far the clocks of the issuer and this server may disagree, in seconds. */
  clockSkewSeconds: number;
  /** After fetching the keys, how long a token with an unknown key id waits before they are fetched again. */
  jwksCooldownMs?: number;
}

export interface Person {
  /** The caller's identity: `oidc:` and the user claim. */
  identity: string;
  groups: string[];
}

export interface OidcVerifier {
  verify(token: string): Promise<Person>;
}

/** Whether a credential is a compact JWS (three parts, a header that parses): decided on parsing, not shape. */
export function looksLikeJwt(credential: string): boolean {
  if (credential.split(".").length !== 3) return false;
  try {
    decodeProtectedHeader(credential);
    return true;
  } catch {
    return false;
  }
}

const USER_RE = /^[\x21-\x7e]{1,120}$/;

type Reason = "expired" | "not_yet_valid" | "wrong_issuer" | "wrong_audience" | "bad_signature" | "invalid";

function refusal(reason: Reason, message: string): ApiError {
  return new ApiError(
    401,
    "UNAUTHORIZED",
    message,
    { reason },
    { "WWW-Authenticate": 'Bearer realm="kubently"' },
  );
}

function asRefusal(error: unknown): ApiError | null {
  if (error instanceof errors.JWTExpired) return refusal("expired", "the token has expired");
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "nbf") return refusal("not_yet_valid", "the token is not valid yet (nbf)");
    if (error.claim === "iss") return refusal("wrong_issuer", "the token is from another issuer");
    if (error.claim === "aud") return refusal("wrong_audience", "the token is for another audience");
    return refusal("invalid", `the token's ${error.claim} claim is not valid`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
    return refusal("bad_signature", "the token is not signed by a key of the issuer");
  }
  if (
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JOSEAlgNotAllowed ||
    error instanceof errors.JOSENotSupported
  ) {
    return refusal("invalid", "the token is not a valid JWT");
  }
  return null;
}

function unavailable(): ApiError {
  return new ApiError(
    503,
    "IDENTITY_PROVIDER_UNAVAILABLE",
    "the identity provider's keys cannot be read now; try again shortly",
  );
}

export function createOidcVerifier(options: OidcOptions): OidcVerifier {
  let keys: ReturnType<typeof createRemoteJWKSet> | undefined;

  /** The key set, its URL found once; a failed discovery is tried again on the next token. */
  async function keySet() {
    if (keys) return keys;
    const url = options.jwksUrl ?? (await discoverJwksUrl(options.issuer));
    keys = createRemoteJWKSet(new URL(url), {
      timeoutDuration: 5_000,
      ...(options.jwksCooldownMs === undefined ? {} : { cooldownDuration: options.jwksCooldownMs }),
    });
    return keys;
  }

  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        payload = (
          await jwtVerify(token, await keySet(), {
            issuer: options.issuer,
            audience: options.audience,
            clockTolerance: options.clockSkewSeconds,
            requiredClaims: ["exp"],
          })
        ).payload;
      } catch (error) {
        const refused = asRefusal(error);
        if (refused) throw refused;
        log.warn("OIDC: cannot verify tokens", { issuer: options.issuer, error: (error as Error).message });
        throw unavailable();
      }
      const user = payload[options.userClaim];
      if (typeof user !== "string" || !USER_RE.test(user)) {
        throw refusal(
          "invalid",
          `the token's ${options.userClaim} claim is not a printable string of 1-120 characters`,
        );
      }
      const groups = payload[options.groupsClaim];
      return {
        identity: `oidc:${user}`,
        groups: Array.isArray(groups)
          ? groups.filter((group): group is string => typeof group === "string")
          : [],
      };
    },
  };
}

async function discoverJwksUrl(issuer: string): Promise<string> {
  const url = `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
  try {
    const response = await fetch(url, { redirect: "error", signal: AbortSignal.timeout(5_000) });
    const document = (await response.json()) as { jwks_uri?: unknown; issuer?: unknown };
    if (!response.ok || typeof document.jwks_uri !== "string") throw new Error(`no jwks_uri at ${url}`);
    return document.jwks_uri;
  } catch (error) {
    log.warn("OIDC: discovery failed", { url, error: (error as Error).message });
    throw unavailable();
  }
}
