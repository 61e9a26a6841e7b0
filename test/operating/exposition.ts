/**
 * Reading GET /metrics in tests: the Prometheus text format parsed strictly (a line that is neither
 * a comment nor a well-formed sample fails the test), and one sample looked up by name and labels.
 */
import { expect } from "bun:test";

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Scrape {
  body: string;
  samples: Sample[];
  /** The sample with exactly these labels, or undefined. */
  value(name: string, labels?: Record<string, string>): number | undefined;
}

const SAMPLE_RE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL_RE = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export async function scrape(baseUrl: string): Promise<Scrape> {
  const response = await fetch(`${baseUrl}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
  const body = await response.text();
  const samples: Sample[] = [];
  for (const line of body.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = SAMPLE_RE.exec(line);
    expect({ line, wellFormed: match !== null }).toEqual({ line, wellFormed: true });
    const [, name = "", labelText = "", value = ""] = match ?? [];
    const labels = Object.fromEntries([...labelText.matchAll(LABEL_RE)].map(([, key, text]) => [key, text]));
    samples.push({ name, labels, value: Number(value) });
  }
  return {
    body,
    samples,
    value: (name, labels = {}) =>
      samples.find((s) => s.name === name && Bun.deepEquals(s.labels, labels))?.value,
  };
}
