/**
 * Owns the default rules that recognise credentials by their format, in any output: each is a
 * list of global regular expressions. A match is replaced whole, or, when the expression has a
 * group named `secret`, only that group (the `pre` group before it is kept: `Authorization:
 * Bearer ` stays, the token goes). README's "Redaction inside the cluster" shows each with an
 * example; test/redact/ plants each in random text.
 */
import type { DefaultRuleName } from "./rule-names";

export interface ValueRule {
  name: string;
  patterns: readonly RegExp[];
  /** What every match contains: text without it is skipped at the cost of one quick test. */
  trigger?: RegExp;
  /**
   * The start of a credential at the very end of a text, for output the cap cut off: a token
   * whose end was cut no longer matches its pattern, but its start still says what it is.
   */
  cutStart?: RegExp;
}

/** Characters of a token in a header, base64 and base64url alike. */
const TOKEN_CHARS = "[A-Za-z0-9._~+/-]";

export const FORMAT_RULES: readonly (ValueRule & {
  name: Exclude<DefaultRuleName, "secret-name" | "secret-data">;
})[] = [
  {
    // The whole block; a block cut off by an output cap (no END line) to the end of the text.
    name: "private-key",
    trigger: /PRIVATE KEY/,
    patterns: [
      /-----BEGIN[A-Z0-9 ]{0,40} PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[A-Z0-9 ]{0,40} PRIVATE KEY(?: BLOCK)?-----|$)/g,
    ],
  },
  {
    // Header and payload are base64url JSON objects, so both start with eyJ ({").
    name: "jwt",
    cutStart: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{0,4096}(?:\.[A-Za-z0-9_-]{0,4096}){0,2}$/,
    trigger: /eyJ/,
    patterns: [/\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g],
  },
  {
    // Long-term (AKIA) and temporary (ASIA) access key ids: the half of a key pair with a format.
    name: "aws-access-key",
    cutStart: /(?<![A-Za-z0-9])A[KS]IA[A-Z0-9]{0,15}$/,
    trigger: /A[KS]IA/,
    patterns: [/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g],
  },
  {
    name: "github-token",
    cutStart: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{0,254}|github_pat_[A-Za-z0-9_]{0,254})$/,
    trigger: /gh[pousr]_|github_pat_/,
    patterns: [/\bgh[pousr]_[A-Za-z0-9]{36,255}\b/g, /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/g],
  },
  {
    name: "gitlab-token",
    cutStart: /(?<![A-Za-z0-9_])gl(?:pat|dt|rt|ptt|ft|soat|oas|cbt|imt|agent)-[A-Za-z0-9_-]{0,254}$/,
    trigger: /gl[a-z]{2,5}-|GR1348941/,
    patterns: [
      /\bgl(?:pat|dt|rt|ptt|ft|soat|oas|cbt|imt|agent)-[A-Za-z0-9_-]{20,}/g,
      /\bGR1348941[A-Za-z0-9_-]{20,}/g,
    ],
  },
  {
    name: "slack-token",
    cutStart: /(?<![A-Za-z0-9_])(?:xox[abposre]|xapp)-[A-Za-z0-9-]{0,254}$/,
    trigger: /xox|xapp-|hooks\.slack\.com/,
    patterns: [
      /\bxox[abposre]-[A-Za-z0-9-]{10,}/g,
      /\bxapp-[0-9]-[A-Za-z0-9-]{10,}/g,
      /https:\/\/hooks\.slack\.com\/(?:services|workflows)\/[A-Za-z0-9/_-]{10,}/g,
    ],
  },
  {
    // After an Authorization header name, any scheme's credential; a bare "Bearer X" only when X
    // is long and has a digit, so prose ("Bearer token expired") is left alone.
    name: "bearer-token",
    trigger: /[Bb]earer|BEARER|[Aa]uthorization/,
    patterns: [
      new RegExp(
        `(?<pre>\\b[Aa]uthorization["']?\\s{0,4}[:=]\\s{0,4}["']?(?:[Bb]earer|BEARER|[Bb]asic|BASIC|[Tt]oken)\\s{1,4})(?<secret>${TOKEN_CHARS}{8,}=*)`,
        "g",
      ),
      new RegExp(
        `(?<pre>\\b(?:[Bb]earer|BEARER)\\s{1,4})(?<secret>(?=${TOKEN_CHARS}{0,200}[0-9])${TOKEN_CHARS}{16,}=*)`,
        "g",
      ),
    ],
  },
  {
    // scheme://user:password@host: the password only (percent-encoded passwords have no @ or /).
    name: "url-password",
    trigger: /:\/\//,
    patterns: [
      /(?<pre>\b[A-Za-z][A-Za-z0-9+.-]{0,20}:\/\/[^\s:/?#@"'<>[\]]{0,256}:)(?<secret>[^\s@/?#"'<>[\]]{1,256})(?=@)/g,
    ],
  },
];
