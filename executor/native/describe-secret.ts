/**
 * Owns what `kubectl describe secret` prints for one Secret, as kubectl v1.32's SecretDescriber
 * writes it: labels and annotations, its type, then each data key with its length in bytes, and a
 * service account token Secret's token as it is. No events: kubectl reads none for a Secret. The
 * values are as the gate left them: with the secret-data rule on, each a marker (its length the
 * marker's, a token the marker itself). kubectl walks the data in Go's random map order; this prints
 * it in byte order of key, one of the orders kubectl prints (the lines are one tabwriter block, whose
 * widths do not depend on their order).
 */
import { byKey, laidOutBy, nameAndLabels, unmodeled, Writer } from "./describe-parts";
import type { DescribedSecret } from "./describe-types";
import { decodesAsBytes } from "./go-json";

const TOKEN_TYPE = "kubernetes.io/service-account-token";
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** A token as Go prints its bytes; what would not print as one plain line is not modelled. */
function tokenText(bytes: Buffer): string {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return unmodeled();
  }
  return /^[\x20-\x7e]*$/.test(text) ? text : unmodeled();
}

function describe(secret: DescribedSecret) {
  const w = new Writer();
  nameAndLabels(w, secret.metadata);
  w.write(0, `\nType:\t${secret.type ?? ""}\n`);
  w.write(0, "\nData\n====\n");
  for (const [key, value] of byKey(secret.data)) {
    if (decodesAsBytes(value) !== true) unmodeled();
    const bytes = Buffer.from(value, "base64");
    const shown = key === "token" && secret.type === TOKEN_TYPE ? tokenText(bytes) : `${bytes.length} bytes`;
    w.write(0, `${key}:\t${shown}\n`);
  }
  return w.text;
}

/** What kubectl describe prints for `secret`, laid out; undefined where a value is not base64. */
export const describeSecret = laidOutBy(describe);
