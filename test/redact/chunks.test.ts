/**
 * Output streamed as it arrives is redacted as the final text is: whatever way the output is cut
 * into pieces, the chunks put together are the whole output redacted at once, so a name and its
 * value on two lines, or a private key's block, leave redacted even when they arrive apart.
 */
import { describe, expect, test } from "bun:test";
import { compileRedaction, redactText } from "../../executor/redact";
import { ChunkRedactor } from "../../executor/redact/chunks";

const redactor = compileRedaction(undefined);
const OUTPUT = [
  "starting\n",
  "  - name: DB_PASSWORD\n",
  "    value: hunter2-correct-horse\n",
  "-----BEGIN RSA PRIVATE KEY-----\n",
  "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n",
  "-----END RSA PRIVATE KEY-----\n",
  "ready\n",
].join("");

/** Pushes `text` cut at `cuts` and returns what left, in order. */
function streamed(text: string, cuts: number[]): string[] {
  const sent: string[] = [];
  const chunks = new ChunkRedactor(redactor, (chunk) => sent.push(chunk));
  let at = 0;
  for (const cut of [...cuts, text.length]) {
    chunks.push(text.slice(at, cut));
    at = cut;
  }
  chunks.finish();
  return sent;
}

describe("streamed output", () => {
  test("cut anywhere, the chunks add up to the whole output redacted, and no chunk holds a credential", () => {
    const whole = redactText(redactor, OUTPUT);
    expect(whole).not.toContain("hunter2");
    for (let cut = 1; cut < OUTPUT.length; cut += 7) {
      const sent = streamed(OUTPUT, [cut, Math.min(OUTPUT.length, cut + 40)]);
      expect(sent.join("")).toBe(whole);
      for (const chunk of sent) {
        expect(chunk).not.toContain("hunter2");
        expect(chunk).not.toContain("MIIEowIBAAKCAQEA");
      }
    }
  });

  test("line by line, lines leave before the output ends", () => {
    const lines = OUTPUT.split(/(?<=\n)/);
    const sent: string[] = [];
    const chunks = new ChunkRedactor(redactor, (chunk) => sent.push(chunk));
    for (const line of lines) chunks.push(line);
    expect(sent.join("")).toStartWith("starting\n");
    chunks.finish();
    expect(sent.join("")).toBe(redactText(redactor, OUTPUT));
  });
});
