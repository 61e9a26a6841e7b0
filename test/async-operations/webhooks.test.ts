/**
 * Webhooks of async operations: the allowlist (SSRF guard), signed deliveries to a real receiver that
 * verifies them, the retry policy, refusals that leave nothing queued, and a secret that never shows.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { setLogLevel } from "../../src/log";
import type { ErrorBody, Session } from "../../src/models";
import type { Operation } from "../../src/modules/operations/model";
import {
  AllowlistError,
  checkCallback,
  DEFAULT_WEBHOOK_OPTIONS,
  parseAllowedHosts,
} from "../../src/modules/operations/webhooks";
import { connectSse, type ProtocolExecutor } from "../support/protocol-executor";
import { json, type TestServer } from "../support/server";
import { useStores } from "../support/stores";
import {
  type Receiver,
  startOperationsServer,
  startReceiver,
  verifySignature,
  WEBHOOK_SECRET,
} from "./harness";

const stores = useStores("webhooks");

describe("the callback allowlist", () => {
  const options = {
    ...DEFAULT_WEBHOOK_OPTIONS,
    secret: WEBHOOK_SECRET,
    allowedHosts: parseAllowedHosts(" HOOKS.example.com, *.example.org:8443,127.1:9000, [::1]:8080 ,"),
  };
  const refusal = (url: string) => {
    try {
      checkCallback(url, options);
      return "allowed";
    } catch (error) {
      return (error as { code: string }).code;
    }
  };

  test("entries are normalised like URLs; a bare host means the scheme's default port", () => {
    expect(options.allowedHosts).toEqual([
      { host: "hooks.example.com", wildcard: false, port: null },
      { host: "example.org", wildcard: true, port: 8443 },
      { host: "127.0.0.1", wildcard: false, port: 9000 },
      { host: "[::1]", wildcard: false, port: 8080 },
    ]);
    expect(refusal("https://hooks.example.com/k?token=abc")).toBe("allowed");
    expect(refusal("http://Hooks.Example.COM/k")).toBe("allowed");
    expect(refusal("https://hooks.example.com:443/k")).toBe("allowed");
    expect(refusal("https://hooks.example.com:8443/k")).toBe("CALLBACK_NOT_ALLOWED");
    expect(refusal("http://127.0.0.1:9000/")).toBe("allowed");
    expect(refusal("http://0x7f.1:9000/")).toBe("allowed");
    expect(refusal("http://127.0.0.1:9001/")).toBe("CALLBACK_NOT_ALLOWED");
    expect(refusal("http://[0:0::1]:8080/")).toBe("allowed");
  });

  test("a wildcard covers names under its domain, not the domain itself or look-alikes", () => {
    expect(refusal("https://a.example.org:8443/")).toBe("allowed");
    expect(refusal("https://a.b.example.org:8443/")).toBe("allowed");
    expect(refusal("https://example.org:8443/")).toBe("CALLBACK_NOT_ALLOWED");
    expect(refusal("https://badexample.org:8443/")).toBe("CALLBACK_NOT_ALLOWED");
    expect(refusal("https://a.example.org.evil.net:8443/")).toBe("CALLBACK_NOT_ALLOWED");
    expect(refusal("https://a.example.org/")).toBe("CALLBACK_NOT_ALLOWED");
  });

  test("only http(s), never credentials, never unparsable", () => {
    expect(refusal("ftp://hooks.example.com/")).toBe("INVALID_CALLBACK_URL");
    expect(refusal("file:///etc/passwd")).toBe("INVALID_CALLBACK_URL");
    expect(refusal("javascript:alert(1)")).toBe("INVALID_CALLBACK_URL");
    expect(refusal("https://user:pw@hooks.example.com/")).toBe("INVALID_CALLBACK_URL");
    expect(refusal("https://token@hooks.example.com/")).toBe("INVALID_CALLBACK_URL");
    expect(refusal("hooks.example.com/k")).toBe("INVALID_CALLBACK_URL");
  });

  test.each(["https://hooks.example.com", "*", "*.com", "host:0", "host:70000", "a b", "host/path"])(
    "'%s' is not an allowlist entry",
    (entry) => {
      expect(() => parseAllowedHosts(entry)).toThrow(AllowlistError);
    },
  );
});

const backends: [string, () => string][] = [
  ["memory", () => "memory://"],
  ["redis", () => stores.redis().url],
];

describe.each(backends)("webhooks on the %s store", (_, storeUrl) => {
  let receiver: Receiver;
  let server: TestServer;
  let executor: ProtocolExecutor;

  /** A server whose allowlist has the receiver, a registered cluster and an executor that answers at once. */
  async function setUp(script: number[], webhooks: Parameters<typeof testServer>[1] = {}) {
    receiver = startReceiver(script);
    server = await testServer(receiver, webhooks);
    executor = await connectSse(server.url, "prod", await server.registerCluster("prod"));
  }
  const testServer = (target: Receiver, webhooks: { maxAttempts?: number; attemptTimeoutMs?: number } = {}) =>
    startOperationsServer({
      storeUrl: storeUrl(),
      webhooks: { allowedHosts: parseAllowedHosts(target.host), ...webhooks },
    });
  const startWithCallback = async (callbackUrl: string, headers: Record<string, string> = {}) => {
    const response = await server.client("/debug/execute/async", {
      ...json({ cluster_id: "prod", command_type: "get", args: ["pods"], callback_url: callbackUrl }),
      headers,
    });
    expect(response.status).toBe(202);
    return (await response.json()) as Operation;
  };
  /** Stops the server, which lets deliveries under way run to their end: after it, counts are final. */
  const tearDown = async () => {
    executor.close();
    await server.stop();
    receiver.stop();
  };

  test("the finished operation is POSTed, signed, with its ids, and equals what GET answers", async () => {
    await setUp([]);
    try {
      const operation = await startWithCallback(receiver.url("/hook?token=receiver-own"), {
        "x-correlation-id": "trace-webhook-1",
      });
      const delivery = await receiver.next();
      expect(delivery.verified).toBe(true);
      expect(verifySignature("some-other-secret-0123456789", delivery.headers, delivery.body)).toBe(false);
      expect(delivery.path).toBe("/hook");
      expect(delivery.headers.get("x-kubently-operation-id")).toBe(operation.operation_id);
      expect(delivery.headers.get("x-correlation-id")).toBe("trace-webhook-1");
      expect(delivery.headers.get("content-type")).toBe("application/json");
      expect(delivery.headers.get("x-kubently-signature")).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(delivery.operation).toMatchObject({
        operation_id: operation.operation_id,
        status: "succeeded",
        correlation_id: "trace-webhook-1",
        result: { stdout: "ran get pods" },
      });
      const read = await server.client(`/debug/operations/${operation.operation_id}`);
      expect(await read.json()).toEqual(delivery.operation);
    } finally {
      await tearDown();
    }
    expect(receiver.deliveries).toHaveLength(1);
  });

  test("5xx and 429 are retried with backoff until a 2xx; every attempt is signed afresh", async () => {
    await setUp([500, 429, 500]);
    try {
      const operation = await startWithCallback(receiver.url());
      const attempts = [
        await receiver.next(),
        await receiver.next(),
        await receiver.next(),
        await receiver.next(),
      ];
      expect(attempts.map((d) => d.answeredWith)).toEqual([500, 429, 500, 200]);
      expect(attempts.every((d) => d.verified)).toBe(true);
      expect(new Set(attempts.map((d) => d.operation.operation_id))).toEqual(
        new Set([operation.operation_id]),
      );
    } finally {
      await tearDown();
    }
    expect(receiver.deliveries).toHaveLength(4);
  });

  test("an attempt that gets no answer in time is abandoned and retried", async () => {
    await setUp([0], { attemptTimeoutMs: 300 });
    try {
      await startWithCallback(receiver.url());
      const [hung, retried] = [await receiver.next(), await receiver.next()];
      expect(hung.answeredWith).toBe(0);
      expect(retried.answeredWith).toBe(200);
      expect(retried.verified).toBe(true);
    } finally {
      await tearDown();
    }
    expect(receiver.deliveries).toHaveLength(2);
  });

  test("attempts are bounded by the configured maximum", async () => {
    await setUp([503, 503, 503, 503, 503], { maxAttempts: 3 });
    try {
      await startWithCallback(receiver.url());
      await receiver.next();
    } finally {
      await tearDown();
    }
    expect(receiver.deliveries.map((d) => d.answeredWith)).toEqual([503, 503, 503]);
  });

  test.each([400, 404, 410, 302])(
    "a %i answer is final: no retry, and no redirect followed",
    async (status) => {
      await setUp([status]);
      try {
        await startWithCallback(receiver.url());
        await receiver.next();
      } finally {
        await tearDown();
      }
      expect(receiver.deliveries.map((d) => [d.path, d.answeredWith])).toEqual([["/hook", status]]);
    },
  );
});

describe("refused callbacks change nothing", () => {
  let receiver: Receiver;
  let server: TestServer;
  let session: Session;
  beforeAll(async () => {
    receiver = startReceiver();
    server = await startOperationsServer({
      storeUrl: stores.redis().url,
      webhooks: { allowedHosts: parseAllowedHosts(`${receiver.host},*.example.com`) },
    });
    await server.registerCluster("prod");
    const created = await server.client("/debug/session", json({ cluster_id: "prod", ttl_seconds: 60 }));
    session = (await created.json()) as Session;
  });
  afterAll(async () => {
    await server.stop();
    receiver.stop();
  });

  const refused = async (target: TestServer, callbackUrl: string) => {
    const response = await target.client("/debug/execute/async", {
      ...json({
        session_id: session.session_id,
        command_type: "get",
        args: ["pods"],
        callback_url: callbackUrl,
      }),
    });
    expect(response.status).toBe(400);
    return ((await response.json()) as ErrorBody).details;
  };

  test.each([
    ["another host", "http://127.0.0.2:9/hook", "CALLBACK_NOT_ALLOWED"],
    ["another port of the allowed host", "http://127.0.0.1:9/hook", "CALLBACK_NOT_ALLOWED"],
    ["the wildcard's own domain", "https://example.com/hook", "CALLBACK_NOT_ALLOWED"],
    ["a look-alike of the wildcard", "https://hooks.example.com.evil.net/hook", "CALLBACK_NOT_ALLOWED"],
    ["credentials in the URL", "https://user:secret@hooks.example.com/hook", "INVALID_CALLBACK_URL"],
    ["a non-http scheme", "ftp://hooks.example.com/hook", "INVALID_CALLBACK_URL"],
    ["a file URL", "file:///etc/passwd", "INVALID_CALLBACK_URL"],
  ])("%s → 400, nothing queued, the session untouched", async (_, callbackUrl, code) => {
    const before = await server.store.getSession(session.session_id);
    expect((await refused(server, callbackUrl)).code).toBe(code);
    expect(await server.store.queueDepth("prod")).toBe(0);
    expect(await server.store.getSession(session.session_id)).toEqual(before);
  });

  test("a name under the wildcard is accepted", async () => {
    const own = await startOperationsServer({
      storeUrl: "memory://",
      webhooks: { allowedHosts: parseAllowedHosts("*.example.com") },
    });
    try {
      await own.registerCluster("prod");
      // Stopped before its deadline, so nothing is ever sent to example.com.
      const accepted = await own.client("/debug/execute/async", {
        ...json({
          cluster_id: "prod",
          command_type: "get",
          args: [],
          timeout_seconds: 30,
          callback_url: "https://hooks.example.com/k",
        }),
      });
      expect(accepted.status).toBe(202);
      expect(await own.store.queueDepth("prod")).toBe(1);
    } finally {
      await own.stop();
    }
  });

  test("with no allowlist every callback_url is refused; with no secret too, as it cannot be signed", async () => {
    const unlisted = await startOperationsServer({ storeUrl: "memory://", webhooks: { allowedHosts: [] } });
    const unsigned = await startOperationsServer({
      storeUrl: "memory://",
      webhooks: { secret: null, allowedHosts: parseAllowedHosts(receiver.host) },
    });
    try {
      for (const [target, code] of [
        [unlisted, "CALLBACK_NOT_ALLOWED"],
        [unsigned, "WEBHOOK_SECRET_NOT_CONFIGURED"],
      ] as const) {
        await target.registerCluster("prod");
        const response = await target.client("/debug/execute/async", {
          ...json({ cluster_id: "prod", command_type: "get", args: [], callback_url: receiver.url() }),
        });
        expect(response.status).toBe(400);
        expect(((await response.json()) as ErrorBody).details.code).toBe(code);
        expect(await target.store.queueDepth("prod")).toBe(0);
        // Without a callback the same server takes async operations as usual.
        const plain = await target.client("/debug/execute/async", {
          ...json({ cluster_id: "prod", command_type: "get", args: [] }),
        });
        expect(plain.status).toBe(202);
      }
    } finally {
      await Promise.all([unlisted.stop(), unsigned.stop()]);
    }
  });
});

describe("the webhook secret", () => {
  test("appears in no log line, response or delivery, only in the signature it keys", async () => {
    const printed: string[] = [];
    const [out, err] = [process.stdout.write, process.stderr.write];
    const capture = (chunk: unknown) => {
      printed.push(String(chunk));
      return true;
    };
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    setLogLevel("debug");
    const seen: string[] = [];
    const receiver = startReceiver([500, 400]);
    const server = await startOperationsServer({
      storeUrl: "memory://",
      webhooks: { allowedHosts: parseAllowedHosts(receiver.host) },
    });
    try {
      const executor = await connectSse(server.url, "prod", await server.registerCluster("prod"));
      try {
        const accepted = await server.client("/debug/execute/async", {
          ...json({ cluster_id: "prod", command_type: "get", args: [], callback_url: receiver.url() }),
        });
        seen.push(JSON.stringify([...accepted.headers]), await accepted.text());
        const delivery = await receiver.next();
        await receiver.next();
        seen.push(JSON.stringify([...delivery.headers]), delivery.body);
        const read = await server.client(`/debug/operations/${delivery.operation.operation_id}`);
        seen.push(JSON.stringify([...read.headers]), await read.text());
      } finally {
        executor.close();
      }
    } finally {
      await server.stop();
      receiver.stop();
      setLogLevel("error");
      process.stdout.write = out;
      process.stderr.write = err;
    }
    const logs = printed.join("");
    expect(logs).toContain("webhook not delivered");
    expect(logs).toContain('"http_status":400');
    expect(logs).not.toContain(WEBHOOK_SECRET);
    expect(seen.join("\n")).not.toContain(WEBHOOK_SECRET);
  });
});
