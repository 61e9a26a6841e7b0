// The default cluster plus a `payments` namespace with credentials planted where they leak in real
// clusters: literal env values in a Deployment (and so its ReplicaSet and Pod), the same values in
// kubectl.kubernetes.io/last-applied-configuration, a ConfigMap with a password key, an embedded
// properties file and a private key, container logs that print tokens, an event whose message
// carries a URL with a password, and Secrets (`PLANTED_IN_SECRETS`). `PLANTED` lists what must never come out of the executor;
// `KEPT` lists look-alikes in the same objects that must come out unchanged.

import { FixtureBuilder } from "./fixture-builders";
import { defaultScenario, NODE_NAMES, type Scenario } from "./scenario";

export const PAYMENTS = "payments";
export const PAYMENTS_POD = "payments-6c8d7f9b4-q7r2t";
export const PAYMENTS_CONFIGMAP = "payments-config";

const JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJwbGFudGVkIn0.c2lnbmF0dXJlLXBsYW50ZWQ";
const PEM_BODY = "UExBTlRFRC1wZW0ta2V5LWJvZHktZm9yLXJlZGFjdGlvbi10ZXN0cw";
const PEM = `-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}\n-----END RSA PRIVATE KEY-----\n`;

/** Each planted credential, as the distinctive text that must never appear in any output. */
export const PLANTED = {
  envPassword: "planted-env-db-pass-7731",
  envToken: "planted-env-api-token-ZX81",
  envUrlPassword: "planted-url-pass-4412",
  envJwtPayload: "eyJzdWIiOiJwbGFudGVkIn0",
  configMapPassword: "planted-cm-pass-9911",
  propertiesPassword: "planted-props-pass-5521",
  pemBody: PEM_BODY,
  logBearer: "planted1bearer2token3value4",
  logGithub: "ghp_PLANTEDgithubTOKEN0123456789abcdefghij",
  logGitlab: "glpat-PLANTEDgitlab0123456",
  logSlack: "xoxb-000000000000-PLANTEDslack0123",
  logAws: "AKIAPLANTED000000000",
  logEnvPassword: "planted-log-pass-3321",
  logJsonEnvPassword: "planted log json pass 6621",
  eventUrlPassword: "planted-event-pass-8812",
} as const;

/**
 * The values of the namespace's Secrets, which only a policy that lets Secrets be read reaches: each
 * must come out neither as it is nor in the base64 the Secret holds it in.
 */
export const PLANTED_IN_SECRETS = {
  dbPassword: "planted-secret-db-pass-6634",
  appliedPassword: "planted-applied-string-data-1187",
  accountToken: "planted-account-token-2290",
} as const;

/** The values of a ConfigMap's binary data, kept in base64 as a Secret's are, which any policy reaches. */
export const PLANTED_IN_BINARY_DATA = {
  keystorePassword: "planted-binary-keystore-pass-5518",
  envFileToken: "planted-binary-env-token-7420",
} as const;

export const PAYMENTS_BINARY_CONFIGMAP = "payments-keystore";

export const PAYMENTS_SECRET = "payments-db-credentials";

/** Look-alikes in the same objects and logs: none is a credential, all must come out as they are. */
export const KEPT = [
  "TOKEN_TTL_SECONDS",
  "KEYBOARD_LAYOUT",
  "DB_PASSWORD_FILE",
  "/etc/payments/db-password",
  "payments-db-credentials",
  "commit 3f9c2e1d8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e",
  "sha256:9b2f5c1e7d3a8f4b6c0e2d1a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e",
  "request 550e8400-e29b-41d4-a716-446655440000",
] as const;

const MIN = 60;
const DAY = 24 * 60 * MIN;

export function redactionScenario(now: Date = new Date()): Scenario {
  const base = defaultScenario(now);
  const b = new FixtureBuilder(now);
  const [node] = NODE_NAMES;
  b.namespace(PAYMENTS, 12 * DAY);
  const env = [
    { name: "DB_PASSWORD", value: PLANTED.envPassword },
    { name: "PAYMENTS_API_TOKEN", value: PLANTED.envToken },
    { name: "DATABASE_URL", value: `postgres://payments:${PLANTED.envUrlPassword}@orders-db:5432/payments` },
    { name: "SESSION_HINT", value: JWT },
    { name: "TOKEN_TTL_SECONDS", value: "300" },
    { name: "KEYBOARD_LAYOUT", value: "us" },
    { name: "DB_PASSWORD_FILE", value: "/etc/payments/db-password" },
    { name: "DB_USER", valueFrom: { secretKeyRef: { name: "payments-db-credentials", key: "username" } } },
  ];
  b.deployment(
    {
      namespace: PAYMENTS,
      name: "payments",
      replicas: 1,
      labels: { app: "payments" },
      containers: [{ name: "payments", image: "registry.example.com/payments:3.2.1", port: 8080, env }],
      createdAgo: 12 * DAY,
    },
    [{ hash: "6c8d7f9b4", revision: 1, createdAgo: 12 * DAY, replicas: 1 }],
    [{ suffix: "q7r2t", node, ip: "10.0.1.77", createdAgo: 2 * DAY, state: { kind: "running" } }],
  );
  // What `kubectl apply` leaves: the applied manifest, credentials and all, as a JSON string.
  const applied = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "payments", namespace: PAYMENTS },
    spec: { template: { spec: { containers: [{ name: "payments", env: env.slice(0, 4) }] } } },
  };
  const lastApplied = { "kubectl.kubernetes.io/last-applied-configuration": `${JSON.stringify(applied)}\n` };
  for (const object of b.objects) {
    if (object.metadata.namespace === PAYMENTS) {
      object.metadata.annotations = { ...object.metadata.annotations, ...lastApplied };
    }
  }
  const pod = b.objects.find((object) => object.kind === "Pod" && object.metadata.name === PAYMENTS_POD);
  if (!pod) throw new Error(`the scenario has no pod ${PAYMENTS_POD}`);

  const configMap = b.configMap(
    PAYMENTS,
    PAYMENTS_CONFIGMAP,
    {
      DB_PASSWORD: PLANTED.configMapPassword,
      "application.properties": `spring.datasource.password=${PLANTED.propertiesPassword}\nserver.port=8080\n`,
      "tls.key": PEM,
      TOKEN_TTL_SECONDS: "300",
      KEYBOARD_LAYOUT: "us",
    },
    12 * DAY,
  );
  configMap.metadata.annotations = {
    "kubectl.kubernetes.io/last-applied-configuration": `${JSON.stringify({
      apiVersion: "v1",
      kind: "ConfigMap",
      data: { DB_PASSWORD: PLANTED.configMapPassword },
      metadata: { name: PAYMENTS_CONFIGMAP, namespace: PAYMENTS },
    })}\n`,
  };

  b.containerLogs(PAYMENTS, PAYMENTS_POD, "payments", [
    [3600, "payments 3.2.1 starting, commit 3f9c2e1d8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e"],
    [3599, `config: DB_PASSWORD=${PLANTED.logEnvPassword} TOKEN_TTL_SECONDS=300`],
    [3598, `calling ledger with Authorization: Bearer ${PLANTED.logBearer}`],
    [3597, `release bot uses ${PLANTED.logGithub} and ${PLANTED.logGitlab}`],
    [3596, `alerts go to Slack with ${PLANTED.logSlack}`],
    [3595, `s3 upload as ${PLANTED.logAws}`],
    [
      3594,
      `reconciling {"env":[{"name":"DB_PASSWORD","value":"${PLANTED.logJsonEnvPassword}"},{"name":"TOKEN_TTL_SECONDS","value":"300"}]}`,
    ],
    [3593, "image sha256:9b2f5c1e7d3a8f4b6c0e2d1a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e pulled"],
    [3592, "request 550e8400-e29b-41d4-a716-446655440000 done in 12ms"],
  ]);
  b.event({
    namespace: PAYMENTS,
    involved: pod,
    reason: "BackOff",
    message: `Back-off pulling image "registry.example.com/payments:3.2.1": https://robot:${PLANTED.eventUrlPassword}@registry.example.com/v2/ unauthorized`,
    type: "Warning",
    component: "kubelet",
    host: node,
    firstAgo: 10 * MIN,
  });
  // A ConfigMap with binary data: a password under a credential's name, an env file as a file.
  const binary = b.configMap(PAYMENTS, PAYMENTS_BINARY_CONFIGMAP, {}, DAY);
  const base64 = (text: string) => Buffer.from(text).toString("base64");
  binary.binaryData = {
    "keystore.password": base64(PLANTED_IN_BINARY_DATA.keystorePassword),
    "payments.env": base64(`API_TOKEN=${PLANTED_IN_BINARY_DATA.envFileToken}\nREGION=eu-west-1\n`),
    "logo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe]).toString("base64"),
  };
  delete binary.data;
  // A Secret applied with stringData (kubectl keeps the manifest, in plain text, in an annotation),
  // and a legacy token Secret of the namespace's ServiceAccount.
  b.secret(
    PAYMENTS,
    PAYMENTS_SECRET,
    "Opaque",
    { username: "payments", password: PLANTED_IN_SECRETS.dbPassword },
    DAY,
    {
      annotations: {
        "kubectl.kubernetes.io/last-applied-configuration": `${JSON.stringify({
          apiVersion: "v1",
          kind: "Secret",
          metadata: { name: PAYMENTS_SECRET, namespace: PAYMENTS },
          stringData: { username: "payments", password: PLANTED_IN_SECRETS.appliedPassword },
        })}\n`,
      },
    },
  );
  const account = b.serviceAccount(PAYMENTS, "payments", 12 * DAY);
  b.secret(
    PAYMENTS,
    "payments-token-k4m2z",
    "kubernetes.io/service-account-token",
    { token: PLANTED_IN_SECRETS.accountToken, namespace: PAYMENTS },
    12 * DAY,
    {
      annotations: {
        "kubernetes.io/service-account.name": "payments",
        "kubernetes.io/service-account.uid": account.metadata.uid ?? "",
      },
    },
  );
  return { ...base, objects: [...base.objects, ...b.objects], logs: [...base.logs, ...b.logs] };
}
