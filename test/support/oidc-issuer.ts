/**
 * An OIDC issuer for tests, on 127.0.0.1: its own signing keys, a discovery document and a JWKS
 * endpoint, and tokens signed as an identity provider signs them. Keys rotate on demand, so
 * Kubently's verification is tested against a real issuer, never a mock of the verification.
 */
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

interface SigningKey {
  kid: string;
  pair: KeyPair;
}

export interface TestIssuer {
  url: string;
  /** Signs claims with the issuer's current key (iss, iat and a 5-minute exp unless given). */
  token(claims: JWTPayload, options?: { key?: "current" | "foreign"; kid?: string }): Promise<string>;
  /** A new key replaces the current one in the JWKS; tokens signed with the old key stop verifying. */
  rotate(): Promise<string>;
  /** The key id in use now. */
  currentKid(): string;
  /** How many times the JWKS was fetched. */
  jwksFetches(): number;
  stop(): Promise<void>;
}

const newKey = async (): Promise<SigningKey> => ({
  kid: crypto.randomUUID(),
  pair: await generateKeyPair("ES256", { extractable: true }),
});

export async function startTestIssuer(): Promise<TestIssuer> {
  let current = await newKey();
  // Signs with a key the issuer never published: a forged token.
  const foreign = await newKey();
  let fetches = 0;
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request): Promise<Response> {
      const { pathname } = new URL(request.url);
      if (pathname === "/.well-known/openid-configuration") {
        return Response.json({ issuer: url, jwks_uri: `${url}/keys` });
      }
      if (pathname === "/keys") {
        fetches += 1;
        const jwk = await exportJWK(current.pair.publicKey);
        return Response.json({ keys: [{ ...jwk, kid: current.kid, alg: "ES256", use: "sig" }] });
      }
      return new Response("not found", { status: 404 });
    },
  });
  const url: string = `http://127.0.0.1:${server.port}`;
  return {
    url,
    async token(claims, options = {}) {
      const key = options.key === "foreign" ? foreign : current;
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: url, iat: now, exp: now + 300, ...claims })
        .setProtectedHeader({ alg: "ES256", kid: options.kid ?? key.kid })
        .sign(key.pair.privateKey);
    },
    async rotate() {
      current = await newKey();
      return current.kid;
    },
    currentKid: () => current.kid,
    jwksFetches: () => fetches,
    async stop() {
      await server.stop(true);
    },
  };
}
