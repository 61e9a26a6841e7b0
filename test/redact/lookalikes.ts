/**
 * Output that holds no credential but looks as if it might: names with the words of credentials
 * that describe one (TOKEN_TTL_SECONDS), words that contain them (KEYBOARD_LAYOUT), hashes, digests,
 * UUIDs, base64 that is not a secret, URLs without passwords, certificates and public keys. The
 * false-positive figure (bench/scenarios/redaction.ts) is how many of these the default rules
 * change; test/redact/rules.test.ts requires that none is changed.
 */
export const LOOKALIKES: readonly string[] = [
  // Names that describe a credential, or only contain a credential's word.
  "TOKEN_TTL_SECONDS=300",
  "TOKEN_EXPIRY=3600",
  "KEYBOARD_LAYOUT=us",
  "SECRET_NAME=payments-db-credentials",
  "DB_PASSWORD_FILE=/run/secrets/db-password",
  "PASSWORD_MIN_LENGTH=12",
  "PASSWORD_POLICY=strong",
  "TOKEN_URL=https://auth.example.com/oauth/token",
  "API_KEY_HEADER=X-Api-Key",
  "KEY_PREFIX=payments:",
  "PRIMARY_KEY=id",
  "SORT_KEY=created_at",
  "SSH_PUBLIC_KEY_PATH=/home/app/.ssh/id_ed25519.pub",
  "SECRET_PROVIDER=vault",
  "AUTH_MODE=oidc",
  "PWD=/app",
  "OLDPWD=/",
  "MONKEY=banana",
  "max_tokens=4096 prompt_tokens=1523",
  "tests: pass=312 fail=0",
  "TokenExpirationSeconds:  3607",
  // describe secret's sizes of values.
  "password:  22 bytes\nclient-secret:      1024 bytes",
  "  secretName: payments-tls",
  "  - key: ca.crt",
  '{"key":"shop/checkout/payment-api-key","version":"3"}',
  "Mountable secrets:   default-token-7xk2p",
  "Tokens:              <none>",
  "      DB_USER:  <set to the key 'username' in secret 'payments-db-credentials'>  Optional: false",
  "secret: true",
  "password: null",
  // Hashes, digests, ids.
  "deployed commit 3f9c2e1d8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e to production",
  "Pulled image registry.example.com/payments@sha256:9b2f5c1e7d3a8f4b6c0e2d1a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e",
  "containerID: containerd://d68aa81fed984d973172109f6cf7af35b93b3a9d172c87fd55df38e6230337ae",
  "request 550e8400-e29b-41d4-a716-446655440000 finished in 12ms",
  "uid: b0dedf71-9a60-4ae6-a648-4b47df5f74f6",
  'resourceVersion: "48281"',
  "pod-template-hash: 6c8d7f9b4",
  'etag W/"5a1f0e6b3c2d4e8f9a7b6c5d4e3f2a1b"',
  // Base64 that is not a secret.
  "payload=aGVsbG8gd29ybGQ= size=11",
  "  ca.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=",
  "checksum/config: 7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730",
  "trace_id=AAAAAAAAAAAAAAAAAAAAAA== span=Zm9vYmFy",
  // URLs and addresses without a password.
  "connecting to postgres://orders-db.shop.svc.cluster.local:5432/orders",
  "GET http://10.0.1.57:8080/healthz?ready=1 200",
  "git clone git@github.com:example/payments.git",
  "mail from ops@example.com via smtp://mail.example.com:587",
  "redirect to https://example.com/@payments/settings",
  "listening on [::]:8080",
  // Certificates and public keys; prose about tokens.
  "-----BEGIN CERTIFICATE-----",
  "-----BEGIN PUBLIC KEY-----",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ops@example.com",
  "Bearer token expired, refreshing",
  "Authorization header missing",
  "401 Unauthorized: invalid bearer token",
  "github_pat is not set; ghp_ tokens are read from GITHUB_TOKEN_FILE",
  "use an AKIA key id, not a root key",
  "eyJ is how a JWT starts",
  "glpat- tokens expire after 365 days",
  "xoxb tokens belong to bots",
  // Times, versions, sizes.
  "2026-12-06T01:24:31.123456789Z",
  "12:30:45 up 3 days, load average: 0.42",
  "kubectl v1.32.4 (go1.23.6) linux/amd64",
  "memory: 256Mi cpu: 100m",
];

/**
 * Names the rules judge as credentials though they often are not: a `key` or `token` that is an
 * identifier, a publishable key. Measured by the bench (each one changed is a false positive), not
 * required by any test: these are the price of redacting DB_KEY, STRIPE_SECRET_KEY and the like.
 */
export const AMBIGUOUS: readonly string[] = [
  "REDIS_KEY=sessions",
  "I18N_KEY=checkout.title",
  "FEATURE_FLAG_KEY=checkout-v2",
  "STRIPE_PUBLISHABLE_KEY=pk_test_51H8x",
  "NEXT_PAGE_TOKEN=c2Vzc2lvbg",
  "PAGINATION_TOKEN=42",
  "LAST_PASS=3",
  "ROUTE_KEY=orders",
  "auth: required",
  "LICENSE_KEY=ABCD-1234",
  "CSRF_TOKEN=f9a1",
  "UPLOAD_KEY=avatars/42.png",
];
