/**
 * Properties of redaction over generated text and JSON: a credential of any default rule's format,
 * planted in random text, never comes out and is counted under its rule; a credential named as
 * one, anywhere in a random JSON document (a field, an env entry, last-applied-configuration),
 * never comes out of the structured pass; a token the output cap cut after its prefix is still
 * redacted; and redacting twice changes nothing and counts nothing more. Run counts are bounded so the file takes about a second.
 */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { policyFrom } from "../../executor/policy";
import {
  compileRedaction,
  countMarkers,
  redactJsonText,
  redactResult,
  redactText,
} from "../../executor/redact";
import { makeResult } from "../support/fixtures";
import { anyPlanted, PLANTED_BY_RULE, type Planted, surrounding } from "./planted";

const RUNS = { numRuns: 300 };
const redactor = compileRedaction(undefined);
const policy = policyFrom({});
const COMMAND = { command_id: crypto.randomUUID(), cluster_id: "c" };

describe("text", () => {
  for (const [rule, planted] of Object.entries(PLANTED_BY_RULE)) {
    test(`${rule}: a planted credential in random text never comes out, and is counted`, () => {
      fc.assert(
        fc.property(surrounding, planted, surrounding, (before, credential, after) => {
          const out = redactText(redactor, `${before} ${credential.text} ${after}`);
          expect(out).not.toContain(credential.secret);
          expect(countMarkers(redactor, out)[rule] ?? 0).toBeGreaterThanOrEqual(1);
        }),
        RUNS,
      );
    });
  }

  for (const rule of ["jwt", "aws-access-key", "github-token", "gitlab-token", "slack-token"]) {
    test(`${rule}: cut by the output cap after its prefix, what is left of it never comes out`, () => {
      const planted = PLANTED_BY_RULE[rule] as fc.Arbitrary<Planted>;
      fc.assert(
        fc.property(surrounding, planted, fc.nat(), (before, credential, at) => {
          const prefix =
            /^(eyJ|A[KS]IA|gh[pousr]_|github_pat_|gl[a-z]+-|xox[a-z]-)/.exec(credential.text)?.[0] ?? "";
          const cut = prefix.length + (at % (credential.text.length - prefix.length));
          const stdout = `${before} ${credential.text.slice(0, cut)}`;
          const result = redactResult(policy, makeResult(COMMAND, { stdout, truncated: true }));
          expect(result.stdout.endsWith(`[REDACTED:${rule}]`)).toBe(true);
          expect(result.redactions?.[rule]).toBeGreaterThanOrEqual(1);
        }),
        RUNS,
      );
    });
  }

  test("redacting twice changes nothing and counts nothing more", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            surrounding,
            anyPlanted.map((p) => p.text),
          ),
          { maxLength: 6 },
        ),
        (parts) => {
          const once = redactText(redactor, parts.join(" "));
          expect(redactText(redactor, once)).toBe(once);
        },
      ),
      RUNS,
    );
  });

  test("text with no credential in it comes out unchanged", () => {
    // Lowercase words and digits only: no name with a credential's word before a separator.
    const plain = fc.string({
      unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789 .,\n"),
      maxLength: 200,
    });
    fc.assert(
      fc.property(plain, (text) => {
        const words = text.split(/[^a-z]+/);
        fc.pre(!words.some((word) => /password|passwd|secret|token|apikey|privatekey/.test(word)));
        expect(redactText(redactor, text)).toBe(text);
      }),
      RUNS,
    );
  });
});

describe("JSON", () => {
  // Ends with a digit, so it is never part of a field name or an env name around it.
  const value = fc
    .string({
      unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789-_"),
      minLength: 8,
      maxLength: 30,
    })
    .map((text) => `${text}7`);
  /** A random document with `credential` planted at a random depth, in one of the shapes it leaks in. */
  const documentWith = (credential: string) =>
    fc
      .tuple(
        fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
        fc.constantFrom("field", "env", "annotation", "list"),
        fc.constantFrom("DB_PASSWORD", "apiKey", "client-secret", "GITHUB_TOKEN"),
        fc.integer({ min: 0, max: 3 }),
      )
      .map(([noise, shape, name, depth]) => {
        const planted =
          shape === "field"
            ? { [name]: credential }
            : shape === "env"
              ? {
                  env: [
                    { name: "LOG_LEVEL", value: "info" },
                    { name, value: credential },
                  ],
                }
              : shape === "list"
                ? { [name]: ["first", credential] }
                : {
                    metadata: {
                      annotations: {
                        "kubectl.kubernetes.io/last-applied-configuration": `${JSON.stringify({ spec: { env: [{ name, value: credential }] } })}\n`,
                      },
                    },
                  };
        let document: Record<string, unknown> = { ...noise, ...planted };
        for (let level = 0; level < depth; level++) document = { ...noise, items: [document] };
        return document;
      });

  test("a credential by its name never comes out, wherever it is planted", () => {
    fc.assert(
      fc.property(
        value.chain((credential) => documentWith(credential).map((document) => ({ credential, document }))),
        ({ credential, document }) => {
          const out = redactJsonText(redactor, JSON.stringify(document));
          expect(out).not.toContain(credential);
          expect(JSON.parse(out)).toBeDefined();
        },
      ),
      RUNS,
    );
  });

  test("redacting a document twice changes nothing", () => {
    fc.assert(
      fc.property(value.chain(documentWith), (document) => {
        const once = redactJsonText(redactor, JSON.stringify(document));
        expect(redactJsonText(redactor, once)).toBe(once);
      }),
      RUNS,
    );
  });

  test("a value once found clean is still replaced where its name says credential", () => {
    fc.assert(
      fc.property(
        value.chain((credential) => documentWith(credential).map((document) => ({ credential, document }))),
        ({ credential, document }) => {
          // The same string as a plain field first: the redactor remembers it as clean text.
          const plain = JSON.stringify({ note: credential });
          expect(redactJsonText(redactor, plain)).toBe(plain);
          expect(redactJsonText(redactor, JSON.stringify(document))).not.toContain(credential);
        },
      ),
      RUNS,
    );
  });

  test("what a redactor remembers changes no answer: it redacts as a fresh one does", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(surrounding, anyPlanted, surrounding, value.chain(documentWith)), {
          minLength: 1,
          maxLength: 4,
        }),
        (cases) => {
          const texts = cases.map(([before, credential, after, document]) =>
            JSON.stringify({ message: `${before} ${credential.text} ${after}`, before, after, document }),
          );
          const fresh = texts.map((text) => redactJsonText(compileRedaction(undefined), text));
          // Twice through one redactor: the second pass meets every clean string remembered.
          for (let pass = 0; pass < 2; pass++) {
            expect(texts.map((text) => redactJsonText(redactor, text))).toEqual(fresh);
          }
          cases.forEach(([, credential], index) => {
            expect(fresh[index]).not.toContain(credential.secret);
          });
        },
      ),
      RUNS,
    );
  });

  test("a document with nothing to redact is passed on as it came, byte for byte", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (document) => {
        const text = JSON.stringify(document, null, 1);
        const out = redactJsonText(redactor, text);
        if (!out.includes("[REDACTED:")) expect(out).toBe(text);
      }),
      RUNS,
    );
  });
});
