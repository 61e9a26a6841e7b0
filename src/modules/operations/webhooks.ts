/**
 * Webhooks for finished operations: which callback URLs the server will call (the SSRF guard), how a
 * delivery is signed, and how it is retried. Nothing here knows about operations beyond a body to send.
 */
import { createHmac } from "node:crypto";
import { badRequest } from "../../http/errors";
import { nowMs } from "../../store";
import { VERSION } from "../../version";

/** One allowlist entry: `host`, `host:port`, `*.domain` or `*.domain:port`. */
export interface AllowedHost {
  /** Normalised as URL parsing normalises a callback's host (lowercase, punycode, IPv6 in brackets). */
  host: string;
  /** `*.domain`: any name under the domain, not the domain itself. */
  wildcard: boolean;
  /** Null: the scheme's default port only (80 or 443), so a bare name never opens other ports. */
  port: number | null;
}

export interface WebhookOptions {
  /** The HMAC key; without one no callback_url is accepted, since it could not be signed. */
  secret: string | null;
  /** Empty: no callback_url is accepted. */
  allowedHosts: AllowedHost[];
  maxAttempts: number;
  attemptTimeoutMs: number;
  /** Pause before the second attempt; it doubles for each later one, up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** At shutdown, how long deliveries already under way may still run before they are abandoned. */
  drainMs: number;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = {
  secret: null,
  allowedHosts: [],
  maxAttempts: 5,
  attemptTimeoutMs: 10_000,
  backoffMs: 1_000,
  maxBackoffMs: 60_000,
  drainMs: 5_000,
};

export const MIN_WEBHOOK_SECRET_LENGTH = 16;

export class AllowlistError extends Error {}

const ENTRY_RE = /^(\*\.)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/;

/** Parses KUBENTLY_WEBHOOK_ALLOWED_HOSTS: comma-separated entries, blanks ignored. */
export function parseAllowedHosts(text: string): AllowedHost[] {
  return text
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map((entry) => {
      const match = ENTRY_RE.exec(entry);
      const port = match?.[3] === undefined ? null : Number(match[3]);
      let host: string | undefined;
      try {
        host = match?.[2] === undefined ? undefined : new URL(`http://${match[2]}`).hostname;
      } catch {
        host = undefined;
      }
      const wildcard = match?.[1] !== undefined;
      if (!host || (port !== null && (port < 1 || port > 65535)) || (wildcard && !host.includes("."))) {
        throw new AllowlistError(
          `'${entry}' is not a webhook host entry: use host, host:port or *.domain[:port], comma-separated`,
        );
      }
      return { host, wildcard, port };
    });
}

const defaultPort = (url: URL) => (url.protocol === "https:" ? 443 : 80);

/**
 * The callback URL if the server may call it; a 400 otherwise. Checked before anything is queued, so
 * a refused callback changes nothing. The check is on the name in the URL: an allowlisted name that
 * resolves to an internal address is the operator's decision, not the caller's.
 */
export function checkCallback(raw: string, options: WebhookOptions): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badRequest("INVALID_CALLBACK_URL", "callback_url is not an absolute URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw badRequest("INVALID_CALLBACK_URL", "callback_url must be an http or https URL", {
      scheme: url.protocol.slice(0, -1),
    });
  }
  if (url.username !== "" || url.password !== "") {
    throw badRequest("INVALID_CALLBACK_URL", "callback_url must not carry credentials");
  }
  const port = url.port === "" ? defaultPort(url) : Number(url.port);
  const target = `${url.hostname}:${port}`;
  if (options.allowedHosts.length === 0) {
    throw badRequest(
      "CALLBACK_NOT_ALLOWED",
      "this server accepts no callback_url: no webhook allowlist is configured",
      { host: target },
    );
  }
  const allowed = options.allowedHosts.some(
    (entry) =>
      (entry.port ?? defaultPort(url)) === port &&
      (entry.wildcard ? url.hostname.endsWith(`.${entry.host}`) : url.hostname === entry.host),
  );
  if (!allowed) {
    throw badRequest("CALLBACK_NOT_ALLOWED", `${target} is not on the webhook allowlist`, { host: target });
  }
  if (!options.secret) {
    throw badRequest(
      "WEBHOOK_SECRET_NOT_CONFIGURED",
      "this server has no webhook secret, so it cannot sign callbacks",
    );
  }
  return url;
}

/** The X-Kubently-Signature value: HMAC-SHA256 of `${timestamp}.${body}`, hex. */
function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export interface Delivery {
  url: string;
  body: string;
  operationId: string;
  correlationId: string;
}

export interface DeliveryReport {
  delivered: boolean;
  attempts: number;
  /** The last HTTP status, null when the last attempt got no answer. */
  status: number | null;
  /** Why the last attempt got no answer. */
  error?: string;
}

/**
 * POSTs the body, signed afresh for each attempt (so its timestamp is current), until a 2xx. Network
 * errors, timeouts, 5xx and 429 are retried with exponential backoff up to maxAttempts; any other
 * status is the receiver's final word. Redirects are not followed: they would lead off the allowlist.
 * Aborting `signal` ends the delivery at once.
 */
export async function deliver(
  delivery: Delivery,
  secret: string,
  options: WebhookOptions,
  signal: AbortSignal,
): Promise<DeliveryReport> {
  let report: DeliveryReport = { delivered: false, attempts: 0, status: null };
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    if (attempt > 1 && !(await pause(backoff(attempt - 1, options), signal))) break;
    const timestamp = String(Math.floor(nowMs() / 1000));
    try {
      const response = await fetch(delivery.url, {
        method: "POST",
        redirect: "manual",
        body: delivery.body,
        headers: {
          "content-type": "application/json",
          "user-agent": `kubently-webhook/${VERSION}`,
          "x-kubently-signature": signature(secret, timestamp, delivery.body),
          "x-kubently-timestamp": timestamp,
          "x-kubently-operation-id": delivery.operationId,
          "x-correlation-id": delivery.correlationId,
        },
        signal: AbortSignal.any([signal, AbortSignal.timeout(options.attemptTimeoutMs)]),
      });
      // The receiver's answer body means nothing to us; release the connection.
      await response.body?.cancel();
      report = { delivered: response.ok, attempts: attempt, status: response.status };
      if (response.ok || !(response.status === 429 || response.status >= 500)) return report;
    } catch (error) {
      report = { delivered: false, attempts: attempt, status: null, error: describe(error, signal, options) };
      if (signal.aborted) return report;
    }
  }
  return signal.aborted ? { ...report, error: "abandoned at shutdown" } : report;
}

/** Delay before retry `n` (n ≥ 1): exponential, capped, randomised over its upper half to spread retries. */
function backoff(n: number, options: WebhookOptions): number {
  const ceiling = Math.min(options.maxBackoffMs, options.backoffMs * 2 ** (n - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const done = (value: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      resolve(value);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** A failed attempt in a few words: never the URL, whose query may hold the receiver's own token. */
function describe(error: unknown, signal: AbortSignal, options: WebhookOptions): string {
  if (signal.aborted) return "abandoned at shutdown";
  if (error instanceof Error && error.name === "TimeoutError") {
    return `no answer within ${options.attemptTimeoutMs} ms`;
  }
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : error instanceof Error ? error.name : "unknown error";
}
