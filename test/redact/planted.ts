/**
 * Credentials in each default rule's format, generated (fast-check arbitraries), for the property
 * tests: whatever surrounds one, it never comes out. Built here apart from executor/redact's own
 * expressions, from the formats' public descriptions.
 */
import fc from "fast-check";

const chars = (alphabet: string, min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength: min, maxLength: max });

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ALNUM = `${UPPER}abcdefghijklmnopqrstuvwxyz0123456789`;
const B64URL = `${ALNUM}_-`;

/** A planted credential: the text to put in output, and the part that must not come out. */
export interface Planted {
  rule: string;
  text: string;
  secret: string;
}

const plant = (rule: string, text: (secret: string) => string) => (secret: string) => ({
  rule,
  text: text(secret),
  secret,
});

export const PLANTED_BY_RULE: Record<string, fc.Arbitrary<Planted>> = {
  "secret-name": fc.oneof(
    fc
      .tuple(
        fc.constantFrom(
          "DB_PASSWORD",
          "apiKey",
          "GITHUB_TOKEN",
          "client_secret",
          "spring.datasource.password",
        ),
        fc.constantFrom("=", ": ", '":"'),
        chars(`${ALNUM}!#$%*+-./:=?@^_~`, 6, 40).filter((value) => /[0-9]/.test(value)),
      )
      .map(([name, separator, value]) => ({
        rule: "secret-name",
        text: `${name}${separator}${value}`,
        secret: value,
      })),
    // An env entry printed whole, as JSON or as YAML.
    fc
      .tuple(
        fc.constantFrom("DB_PASSWORD", "apiKey", "GITHUB_TOKEN"),
        chars(`${ALNUM}!#$%*+-./:=?@^_~`, 6, 30),
        fc.boolean(),
      )
      .map(([name, value, yaml]) => ({
        rule: "secret-name",
        text: yaml ? `- name: ${name}\n  value: ${value}7` : `{"name":"${name}","value":"${value}7"}`,
        secret: `${value}7`,
      })),
    // A quoted passphrase, spaces and all.
    fc
      .tuple(
        fc.constantFrom("DB_PASSWORD", "passphrase", "SMTP_PASS"),
        fc.constantFrom('="', ': "', '":"', "='", ": '"),
        chars(`${ALNUM} `, 4, 12),
        chars(`${ALNUM} !#$%*+-./:=?@^_~`, 4, 30),
      )
      .map(([name, separator, first, rest]) => {
        const value = `${first} ${rest}7`;
        const quote = separator.endsWith("'") ? "'" : '"';
        return { rule: "secret-name", text: `${name}${separator}${value}${quote}`, secret: value };
      }),
  ),
  "private-key": fc
    .array(chars(`${ALNUM}+/`, 64, 64), { minLength: 1, maxLength: 4 })
    .map((lines) => lines.join("\n"))
    .map(
      plant(
        "private-key",
        (body) => `-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----`,
      ),
    ),
  jwt: fc
    .tuple(chars(B64URL, 10, 40), chars(B64URL, 10, 40), chars(B64URL, 10, 43))
    .map(([header, payload, signature]) => `eyJ${header}.eyJ${payload}.${signature}`)
    .map(plant("jwt", (token) => token)),
  "aws-access-key": fc
    .tuple(fc.constantFrom("AKIA", "ASIA"), chars(`${UPPER}234567`, 16, 16))
    .map(([prefix, id]) => `${prefix}${id}`)
    .map(plant("aws-access-key", (key) => key)),
  "github-token": fc
    .oneof(
      fc.tuple(fc.constantFrom("ghp_", "gho_", "ghu_", "ghs_", "ghr_"), chars(ALNUM, 36, 40)),
      fc.tuple(fc.constant("github_pat_"), chars(`${ALNUM}_`, 82, 82)),
    )
    .map(([prefix, body]) => `${prefix}${body}`)
    .map(plant("github-token", (token) => token)),
  "gitlab-token": chars(`${ALNUM}_-`, 20, 30)
    .map((body) => `glpat-${body}`)
    .map(plant("gitlab-token", (token) => token)),
  "slack-token": fc
    .tuple(fc.constantFrom("xoxb-", "xoxp-", "xoxa-"), chars(`${ALNUM}-`, 20, 50))
    .map(([prefix, body]) => `${prefix}${body}`)
    .map(plant("slack-token", (token) => token)),
  "bearer-token": chars(`${ALNUM}._~+/-`, 20, 60)
    .map((token) => `${token}7`)
    .chain((token) =>
      fc
        .constantFrom(`Authorization: Bearer ${token}`, `authorization=Basic ${token}`, `bearer ${token}`)
        .map((text) => ({ rule: "bearer-token", text, secret: token })),
    ),
  "url-password": fc
    .tuple(
      fc.constantFrom("postgres", "redis", "https", "amqp"),
      chars("abcdefghijklmnopqrstuvwxyz", 1, 12),
      chars(`${ALNUM}!$*+-._~%`, 6, 30),
    )
    // An uppercase letter, so the password is never part of the lowercase user or host around it.
    .map(([scheme, user, password]) => ({
      rule: "url-password",
      text: `${scheme}://${user}:${password}Q@db.internal:5432/app`,
      secret: `${password}Q`,
    })),
};

/** Any planted credential. */
export const anyPlanted: fc.Arbitrary<Planted> = fc.oneof(...Object.values(PLANTED_BY_RULE));

/** Text around a credential: printable ASCII and line breaks, kept apart from it by a space. */
export const surrounding = fc.string({
  unit: fc.oneof(fc.constantFrom("\n", " ", "\t"), fc.string({ minLength: 1, maxLength: 1 })),
  maxLength: 80,
});
