/**
 * Each default rule on the example the README gives for it, names judged on their words, the
 * structured pass on the shapes Kubernetes objects have, the policy's own rules and the errors for
 * bad ones, and the look-alike corpus, none of which may be changed.
 */
import { describe, expect, test } from "bun:test";
import { PolicyError, parsePolicy } from "../../executor/policy";
import {
  compileRedaction,
  type DEFAULT_RULE_NAMES,
  isCredentialName,
  redactJsonText,
  redactResult,
  redactText,
} from "../../executor/redact";
import { makeResult } from "../support/fixtures";
import { LOOKALIKES } from "./lookalikes";

const redactor = compileRedaction(undefined);
const COMMAND = { command_id: crypto.randomUUID(), cluster_id: "c" };

/** The README's example for each default rule on text (secret-data's is a Secret: see "structured"). */
const EXAMPLES: Record<Exclude<(typeof DEFAULT_RULE_NAMES)[number], "secret-data">, [string, string]> = {
  "secret-name": ["DB_PASSWORD=hunter2 LOG_LEVEL=info", "DB_PASSWORD=[REDACTED:secret-name] LOG_LEVEL=info"],
  "private-key": [
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn\n-----END RSA PRIVATE KEY-----\n",
    "[REDACTED:private-key]\n",
  ],
  jwt: [
    "id_hint eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk",
    "id_hint [REDACTED:jwt]",
  ],
  "aws-access-key": ["using key AKIAIOSFODNN7EXAMPLE", "using key [REDACTED:aws-access-key]"],
  "github-token": ["GH=ghp_16C7e42F292c6912E7710c838347Ae178B4a x", "GH=[REDACTED:github-token] x"],
  "gitlab-token": ["token glpat-xK3vR9mN2pQ7wL5tY8zA", "token [REDACTED:gitlab-token]"],
  "slack-token": [
    "slack xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy",
    "slack [REDACTED:slack-token]",
  ],
  "bearer-token": [
    "Authorization: Bearer 4f8d2c1a9e7b6d5c3f1e",
    "Authorization: Bearer [REDACTED:bearer-token]",
  ],
  "url-password": [
    "postgres://orders:s3cr3t-db-pass@orders-db:5432/orders",
    "postgres://orders:[REDACTED:url-password]@orders-db:5432/orders",
  ],
};

describe("default rules", () => {
  for (const [rule, [printed, shown]] of Object.entries(EXAMPLES)) {
    test(`${rule}: the README's example`, () => {
      expect(redactText(redactor, printed)).toBe(shown);
      // Only that rule fires on its example: no credential is counted twice.
      expect(redactResult(parsePolicy(""), makeResult(COMMAND, { stdout: printed })).redactions).toEqual({
        [rule]: 1,
      });
    });
  }

  test("a private key cut off by the output cap is redacted to the end", () => {
    expect(redactText(redactor, "key:\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC")).toBe(
      "key:\n[REDACTED:private-key]",
    );
  });

  test("an output the cap cut mid-token: the token's start is redacted to the end, only when cut", () => {
    const stdout = "release bot uses ghp_16C7e42F292c";
    const cut = redactResult(parsePolicy(""), makeResult(COMMAND, { stdout, truncated: true }));
    expect(cut.stdout).toBe("release bot uses [REDACTED:github-token]");
    expect(cut.redactions).toEqual({ "github-token": 1 });
    expect(redactResult(parsePolicy(""), makeResult(COMMAND, { stdout })).stdout).toBe(stdout);
  });

  test("describe's env lines: values go, references stay", () => {
    const described = [
      "    Environment:",
      "      DB_PASSWORD:        hunter2",
      "      PAYMENT_API_KEY:    <set to the key 'PAYMENT_API_KEY' in secret 'checkout-secrets'>  Optional: false",
      "      TOKEN_TTL_SECONDS:  300",
    ].join("\n");
    expect(redactText(redactor, described)).toBe(described.replace("hunter2", "[REDACTED:secret-name]"));
  });
});

describe("names are judged on their words", () => {
  const credentials = [
    "DB_PASSWORD",
    "password",
    "apiKey",
    "X-Api-Key",
    "client_secret",
    "clientSecret",
    "GITHUB_TOKEN",
    "AWS_SECRET_ACCESS_KEY",
    "SECRET_KEY_BASE",
    "spring.datasource.password",
    "DB_PWD",
    "SMTP_PASS",
    "private_key",
    "BASIC_AUTH",
    "credentials",
    "accesstoken",
    "TOKEN_2",
    "example.com/api-token",
  ];
  const notCredentials = [
    "TOKEN_TTL_SECONDS",
    "KEYBOARD_LAYOUT",
    "SECRET_NAME",
    "secretKeyRef",
    "DB_PASSWORD_FILE",
    "key",
    "PWD",
    "pass",
    "PRIMARY_KEY",
    "sortKey",
    "topologyKey",
    "PUBLIC_KEY",
    "AWS_ACCESS_KEY_ID",
    "max_tokens",
    "secrets",
    "tokenExpirationSeconds",
    "reconcile.external-secrets.io/data-hash",
    "MONKEY",
    "",
  ];
  for (const name of credentials)
    test(`${name} is a credential's name`, () => expect(isCredentialName(name)).toBe(true));
  for (const name of notCredentials)
    test(`"${name}" is not`, () => expect(isCredentialName(name)).toBe(false));
});

describe("structured", () => {
  const redact = (value: unknown) => JSON.parse(redactJsonText(redactor, JSON.stringify(value)));

  test("env entries, ConfigMap keys and lists: values go, names stay, empty values stay empty", () => {
    expect(
      redact({
        env: [
          { name: "DB_PASSWORD", value: "hunter2" },
          { name: "API_TOKEN", value: "" },
          { name: "DB_USER", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
        ],
        data: { DB_PASSWORD: "hunter2", TOKEN_TTL_SECONDS: "300", apiKeys: ["a1", "b2"] },
      }),
    ).toEqual({
      env: [
        { name: "DB_PASSWORD", value: "[REDACTED:secret-name]" },
        { name: "API_TOKEN", value: "" },
        { name: "DB_USER", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
      ],
      data: {
        DB_PASSWORD: "[REDACTED:secret-name]",
        TOKEN_TTL_SECONDS: "300",
        apiKeys: ["[REDACTED:secret-name]", "[REDACTED:secret-name]"],
      },
    });
  });

  test("last-applied-configuration is parsed, redacted and written back with its newline", () => {
    const applied = `${JSON.stringify({ spec: { env: [{ name: "DB_PASSWORD", value: "hunter2" }] } })}\n`;
    const out = redact({
      metadata: { annotations: { "kubectl.kubernetes.io/last-applied-configuration": applied } },
    });
    expect(out.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]).toBe(
      `${JSON.stringify({ spec: { env: [{ name: "DB_PASSWORD", value: "[REDACTED:secret-name]" }] } })}\n`,
    );
  });

  test("an embedded properties or YAML file and a Table cell under a credential's column", () => {
    expect(redact({ data: { "app.properties": "db.password=hunter2\nport=8080\n" } })).toEqual({
      data: { "app.properties": "db.password=[REDACTED:secret-name]\nport=8080\n" },
    });
    const table = {
      kind: "Table",
      columnDefinitions: [{ name: "Name" }, { name: "Token" }],
      rows: [{ cells: ["robot", "abc123"] }],
    };
    expect(redact(table).rows).toEqual([{ cells: ["robot", "[REDACTED:secret-name]"] }]);
  });

  test("what kubectl builds its next requests from is kept: metadata but annotations, references, selectors", () => {
    const own = compileRedaction({ rules: [{ name: "team-id", valuePattern: "q7r2t" }] });
    const pod = {
      metadata: {
        name: "payments-q7r2t",
        labels: { app: "q7r2t" },
        ownerReferences: [{ name: "rs-q7r2t" }],
        annotations: { note: "q7r2t" },
      },
      spec: { selector: { matchLabels: { app: "q7r2t" } }, hostname: "q7r2t" },
      involvedObject: { name: "q7r2t" },
    };
    expect(JSON.parse(redactJsonText(own, JSON.stringify(pod)))).toEqual({
      metadata: { ...pod.metadata, annotations: { note: "[REDACTED:team-id]" } },
      spec: { selector: pod.spec.selector, hostname: "[REDACTED:team-id]" },
      involvedObject: pod.involvedObject,
    });
  });

  const b64 = (text: string) => Buffer.from(text).toString("base64");
  const secret = (data: Record<string, string>, extra: object = {}) => ({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "db", namespace: "shop" },
    type: "Opaque",
    data,
    ...extra,
  });

  test("a Secret's data: every value goes whatever its key, as base64 of the marker; empty values stay", () => {
    const marked = b64("[REDACTED:secret-data]");
    expect(
      redact(secret({ "ca.crt": b64("-----BEGIN CERTIFICATE-----"), username: b64("shop"), empty: "" })),
    ).toEqual(secret({ "ca.crt": marked, username: marked, empty: "" }));
    // The items of a list carry no kind; a watch event's object and a Table row's object do.
    const list = {
      kind: "SecretList",
      apiVersion: "v1",
      items: [{ metadata: { name: "a" }, data: { x: b64("1") } }],
    };
    expect(redact(list).items[0].data).toEqual({ x: marked });
    expect(redact({ type: "ADDED", object: secret({ x: b64("1") }) }).object.data).toEqual({ x: marked });
    // A kubectl-applied Secret's manifest, stringData in plain text, sits in its annotation.
    const applied = JSON.stringify(secret({}, { stringData: { password: "hunter2", note: "plain" } }));
    const annotated = secret(
      {},
      { metadata: { annotations: { "kubectl.kubernetes.io/last-applied-configuration": applied } } },
    );
    const shown = redact(annotated).metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"];
    expect(JSON.parse(shown).stringData).toEqual({
      password: "[REDACTED:secret-data]",
      note: "[REDACTED:secret-data]",
    });
  });

  test("with secret-data off: a value judged by its key's name and by the text it decodes to, binary kept", () => {
    const off = compileRedaction({ disable: ["secret-data"] });
    const redactOff = (value: unknown) => JSON.parse(redactJsonText(off, JSON.stringify(value)));
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x80]).toString("base64");
    const docker = b64(JSON.stringify({ auths: { "registry.example.com": { auth: "dXNlcjpodW50ZXIy" } } }));
    const out = redactOff(
      secret({
        password: b64("hunter2"),
        "config.env": b64("DB_PASSWORD=hunter2\nPORT=8080\n"),
        ".dockerconfigjson": docker,
        "ca.crt": b64("-----BEGIN CERTIFICATE-----"),
        blob: binary,
      }),
    );
    expect(out.data.password).toBe(b64("[REDACTED:secret-name]"));
    expect(Buffer.from(out.data["config.env"], "base64").toString()).toBe(
      "DB_PASSWORD=[REDACTED:secret-name]\nPORT=8080\n",
    );
    expect(JSON.parse(Buffer.from(out.data[".dockerconfigjson"], "base64").toString())).toEqual({
      auths: { "registry.example.com": { auth: "[REDACTED:secret-name]" } },
    });
    expect(out.data["ca.crt"]).toBe(b64("-----BEGIN CERTIFICATE-----"));
    expect(out.data.blob).toBe(binary);
  });

  test("encoded markers are counted where the output shows them whole, and only those", () => {
    const stdout = [
      "data:",
      `  password: ${b64("[REDACTED:secret-data]")}`,
      `  user: ${b64("[REDACTED:secret-name]")}`,
      // Base64 that starts as a marker's does but decodes to more, or to a rule not in force.
      `  other: ${b64("[REDACTED:secret-data] and more")}`,
      `  unknown: ${b64("[REDACTED:no-such-rule]")}`,
    ].join("\n");
    const result = redactResult(parsePolicy(""), makeResult(COMMAND, { stdout }));
    expect(result.stdout).toBe(stdout);
    expect(result.redactions).toEqual({ "secret-data": 1, "secret-name": 1 });
  });

  test("a body that is not JSON, or nests too deep to walk, is still redacted as text", () => {
    expect(redactJsonText(redactor, "DB_PASSWORD=hunter2 {")).toBe("DB_PASSWORD=[REDACTED:secret-name] {");
    const deep = `${"[".repeat(20_000)}"DB_PASSWORD=hunter2"${"]".repeat(20_000)}`;
    expect(redactJsonText(redactor, deep)).not.toContain("hunter2");
  });
});

describe("the policy's rules", () => {
  const policy = parsePolicy(`
redaction:
  disable: [bearer-token]
  rules:
    - name: corp-key
      valuePattern: "ck_[A-Za-z0-9]{16}"
    - name: vault-field
      namePattern: "^vault_"
`);

  test("add value and name rules, and switch default rules off", () => {
    const result = redactResult(
      policy,
      makeResult(COMMAND, {
        stdout: "ck_abcdefgh12345678 VAULT_ROLE=admin Authorization: Bearer 4f8d2c1a9e7b6d5c3f1e",
      }),
    );
    expect(result.stdout).toBe(
      "[REDACTED:corp-key] VAULT_ROLE=[REDACTED:vault-field] Authorization: Bearer [REDACTED:secret-name]",
    );
    expect(result.redactions).toEqual({ "corp-key": 1, "vault-field": 1, "secret-name": 1 });
    expect(JSON.parse(redactJsonText(compileRedaction(policy.redaction), '{"vault_role":"admin"}'))).toEqual({
      vault_role: "[REDACTED:vault-field]",
    });
  });

  const refusals: [string, string, string][] = [
    [
      "a pattern that does not compile",
      'rules: [{name: x, valuePattern: "("}]',
      "redaction/rules/0/valuePattern: not a valid regular expression",
    ],
    [
      "a pattern that could backtrack exponentially",
      'rules: [{name: x, valuePattern: "(a+)+b"}]',
      "redaction/rules/0/valuePattern: could take exponential time",
    ],
    [
      "a value pattern matching the empty string",
      'rules: [{name: x, valuePattern: "a{0,3}"}]',
      "redaction/rules/0/valuePattern: matches the empty string",
    ],
    [
      "a value pattern that repeats without a bound",
      'rules: [{name: x, valuePattern: "ck_.*x"}]',
      "redaction/rules/0/valuePattern: repeats without a bound of at most 256 (*)",
    ],
    [
      "a value pattern whose bound is over 256",
      'rules: [{name: x, valuePattern: "[a-z]{8,1000}"}]',
      "redaction/rules/0/valuePattern: repeats without a bound of at most 256 ({8,1000})",
    ],
    [
      "both patterns",
      "rules: [{name: x, valuePattern: a, namePattern: b}]",
      "redaction/rules/0: give exactly one of namePattern and valuePattern",
    ],
    [
      "neither pattern",
      "rules: [{name: x}]",
      "redaction/rules/0: give exactly one of namePattern and valuePattern",
    ],
    [
      "a default rule's name",
      "rules: [{name: jwt, valuePattern: a}]",
      "redaction/rules/0/name: jwt is a default rule's name",
    ],
    [
      "a name given twice",
      "rules: [{name: x, valuePattern: a}, {name: x, valuePattern: b}]",
      "redaction/rules/1/name: x is given twice",
    ],
    [
      "a name that cannot be a marker's",
      "rules: [{name: My Rule, valuePattern: a}]",
      "redaction/rules/0/name: must be a rule name",
    ],
    [
      "switching off a rule that does not exist",
      "disable: [passwords]",
      "redaction/disable/0: must be one of the default rule names",
    ],
    [
      "an unknown field",
      "rules: [{name: x, valuePattern: a, flags: i}]",
      "redaction/rules/0/flags: unknown field",
    ],
  ];
  for (const [what, yaml, message] of refusals) {
    test(`refused at load: ${what}`, () => {
      let error: unknown;
      try {
        parsePolicy(`redaction:\n  ${yaml}\n`, "policy.yaml");
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(PolicyError);
      expect((error as PolicyError).code).toBe("POLICY_INVALID");
      expect((error as PolicyError).message).toStartWith(`policy.yaml: ${message}`);
    });
  }
});

describe("look-alikes", () => {
  for (const line of LOOKALIKES) {
    test(`kept: ${line.slice(0, 60)}`, () => expect(redactText(redactor, line)).toBe(line));
  }
});
