/**
 * Owns the cluster gate: an HTTPS listener on loopback that is the only API server kubectl can
 * reach. Each command gets a grant: a credential valid for that command only, written into the
 * kubeconfig its kubectl runs with (only if kubectl runs: a native read never needs the file). Every request is parsed (request.ts), decided (rules.ts) and
 * either refused with a Kubernetes `Status` that names the rule, or forwarded to the real API
 * server with the executor's credentials (cluster-access.ts) and the caller's identity
 * (identity.ts); responses stream back as they arrive, filtered where the policy needs it
 * (filter.ts), and JSON responses about resources are redacted (redact/structured.ts) so that
 * kubectl and native reads print `[REDACTED:<rule>]` where a credential was. The grant counts requests, refusals and bytes read; closing it revokes the
 * credential and cuts whatever of its requests is still streaming.
 */
import type { ExecutorLog } from "../log";
import type { Policy } from "../policy";
import { namespaceAllowed } from "../policy/namespaces";
import { redactJson, redactJsonText, redactorFor } from "../redact";
import { selfSignedCert } from "./certificate";
import type { ClusterAccess } from "./cluster-access";
import { filterListBody, filterWatchStream, jsonAccept, keeper } from "./filter";
import { auditId, type Caller, type Impersonation, impersonationFor, userAgent } from "./identity";
import { type CommandKubeconfig, writeCommandKubeconfig } from "./kubeconfig";
import { mapLines } from "./lines";
import { type ApiRequest, parseApiRequest } from "./request";
import { decideRequest, type Filter, type GateRule } from "./rules";

export interface RefusedRequest {
  method: string;
  path: string;
  rule: GateRule | "IMPERSONATION_UNMAPPED" | "BODY_TOO_LARGE";
}

/** What one command did through the gate; never the bodies. */
export interface GateReport {
  requests: number;
  refused: number;
  bytes_read: number;
  /** The first request refused, if any: what the result and the audit trail name. */
  first_refusal?: RefusedRequest;
}

export interface CommandGrant {
  /**
   * The kubeconfig for this command's kubectl: the gate, its CA, this command's credential. Written
   * on the first call (a command answered natively never makes one) and removed by close; throws
   * once the grant is closed, so no file outlives its grant.
   */
  kubeconfigPath(): string;
  /**
   * A GET through the gate in process, as this command: what native reads use instead of kubectl;
   * with a JSON `review`, its POST (decided by the same rules as kubectl's requests).
   */
  fetch(path: string, accept: string, review?: string): Promise<Response>;
  /** Revokes the credential, cuts the command's open requests, and says what it did. */
  close(): GateReport;
}

export interface ClusterGate {
  url: string;
  /**
   * A grant for one command. `policy` is what its requests are decided under: the cluster's, or
   * its intersection with the command's principal scope (policy/scope.ts); default the cluster's.
   */
  open(caller: Caller, policy?: Policy): CommandGrant;
  stop(): Promise<void>;
}

export interface GateOptions {
  policy: Policy;
  access: ClusterAccess;
  version: string;
  /** A private folder for the per-command kubeconfigs. */
  runtimeDir: string;
  log: ExecutorLog;
}

interface Grant {
  caller: Caller;
  policy: Policy;
  impersonation: Impersonation | null | undefined;
  report: GateReport;
  abort: AbortController;
}

/**
 * Why a grant's requests are cut: one reason for all, since abort() without one makes a DOMException
 * (with its stack) per command, which cost more than the rest of closing the grant.
 */
const GRANT_CLOSED = new Error("kubently cluster gate: the command's grant is closed");

/** Review bodies are a few hundred bytes; anything this large is not one. */
const MAX_BODY_BYTES = 64 * 1024;
const PATH_SHOWN = 200;
// Response headers kubectl uses; the rest of the API server's are of no use to it.
const PASSED_BACK = ["content-type", "warning", "audit-id", "cache-control"];

function status(code: number, reason: string, message: string): Response {
  const body = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code };
  return Response.json(body, { status: code });
}

/**
 * A response to a read in process, with the JSON value its text was parsed into for redaction:
 * its `json()` hands that over instead of parsing the text again (the text is still its body).
 */
function parsedResponse(text: string, init: ResponseInit, value: unknown): Response {
  return Object.assign(new Response(text, init), { json: () => Promise.resolve(value) });
}

function bearer(header: string | null): string | undefined {
  return header?.startsWith("Bearer ") ? header.slice(7) : undefined;
}

/**
 * The upstream body as kubectl's response, counted as it passes. When the command ends or kubectl
 * goes away the upstream read is aborted; the relay then just ends, it is nobody's error.
 */
function relay(body: ReadableStream<Uint8Array>, report: GateReport): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) return controller.close();
        report.bytes_read += value.byteLength;
        controller.enqueue(value);
      } catch {
        controller.close();
      }
    },
    cancel(reason) {
      return reader.cancel(reason).catch(() => {});
    },
  });
}

/**
 * A watch's body, begun with a newline (JSON stream readers skip it). The API server sends a watch's
 * headers at once, but Bun sends a response's headers with its first body bytes, and kubectl waits
 * for them: an informer stopped while its watch has no headers yet never returns, so `rollout status`
 * would print its answer and then hang until it was killed.
 */
function headersAtOnce(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode("\n"));
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason).catch(() => {});
    },
  });
}

export async function startGate({
  policy,
  access,
  version,
  runtimeDir,
  log,
}: GateOptions): Promise<ClusterGate> {
  const cert = await selfSignedCert("kubently-cluster-gate");
  const grants = new Map<string, Grant>();
  const redactor = redactorFor(policy);
  /** Resource responses are asked for as JSON and redacted; logs are text, redacted by the agent. */
  const redacts = (request: ApiRequest) =>
    redactor.ruleNames.length > 0 && request.kind === "resource" && request.subresource !== "log";

  function refuse(
    grant: Grant,
    request: ApiRequest,
    rule: RefusedRequest["rule"],
    message: string,
  ): Response {
    const path = request.path.split("?")[0]?.slice(0, PATH_SHOWN) ?? "";
    grant.report.refused += 1;
    grant.report.first_refusal ??= { method: request.method, path, rule };
    log("warn", "cluster gate refused a request", {
      command_id: grant.caller.commandId,
      method: request.method,
      path,
      rule,
    });
    return status(
      403,
      "Forbidden",
      `kubently cluster gate refused ${request.method} ${path}: ${message} (${rule})`,
    );
  }

  /** `inProcess`: a native read's request, whose own signal never aborts and which reads JSON in process. */
  async function forward(
    req: Request,
    grant: Grant,
    request: ApiRequest,
    filter: Filter,
    inProcess: boolean,
  ): Promise<Response> {
    const headers = new Headers({
      accept:
        filter === "none" && !redacts(request)
          ? (req.headers.get("accept") ?? "application/json")
          : jsonAccept(req.headers.get("accept")),
      "accept-encoding": "identity",
      "user-agent": userAgent(version, grant.caller, req.headers.get("user-agent")),
      "audit-id": auditId(grant.caller),
    });
    const contentType = req.headers.get("content-type");
    if (contentType) headers.set("content-type", contentType);
    const authorization = access.authorization();
    if (authorization) headers.set("authorization", authorization);
    if (grant.impersonation) {
      headers.set("impersonate-user", grant.impersonation.user);
      for (const group of grant.impersonation.groups) headers.append("impersonate-group", group);
    }
    let body: ArrayBuffer | undefined;
    if (req.method !== "GET") {
      body = await req.arrayBuffer();
      if (body.byteLength > MAX_BODY_BYTES) {
        return refuse(grant, request, "BODY_TOO_LARGE", `the body is over ${MAX_BODY_BYTES} bytes`);
      }
    }
    const send = () =>
      fetch(access.server + request.path, {
        method: req.method,
        headers,
        body,
        tls: access.tls,
        redirect: "manual",
        signal: inProcess ? grant.abort.signal : AbortSignal.any([req.signal, grant.abort.signal]),
      });
    let upstream: Response;
    try {
      upstream = await send();
      if (upstream.status === 401 && access.refresh()) {
        // The token was rotated under us: the new one is read; ask once more.
        await upstream.body?.cancel();
        const retried = access.authorization();
        if (retried) headers.set("authorization", retried);
        upstream = await send();
      }
    } catch (error) {
      return unreachable(grant, req, error);
    }
    const out = new Headers();
    for (const name of PASSED_BACK) {
      const value = upstream.headers.get(name);
      if (value !== null) out.set(name, value);
    }
    const init = { status: upstream.status, headers: out };
    if (upstream.body === null) return new Response(null, init);
    const filtering = filter !== "none" && upstream.ok && request.kind === "resource";
    const redacting =
      redacts(request) && /^application\/json/i.test(upstream.headers.get("content-type") ?? "");
    const watching = request.kind === "resource" && request.watch && upstream.ok;
    if ((!filtering && !redacting) || request.kind !== "resource") {
      const stream = relay(upstream.body, grant.report);
      return new Response(watching ? headersAtOnce(stream) : stream, init);
    }
    const keep = filtering
      ? keeper(filter, (namespace) => namespaceAllowed(grant.policy, namespace))
      : undefined;
    if (request.watch) {
      const stream = relay(upstream.body, grant.report);
      const filtered = keep ? stream.pipeThrough(filterWatchStream(keep)) : stream;
      const redacted = redacting
        ? filtered.pipeThrough(mapLines((line) => redactJsonText(redactor, line)))
        : filtered;
      return new Response(watching ? headersAtOnce(redacted) : redacted, init);
    }
    // Filtered or redacted whole: read at once, rather than through a relay stream chunk by chunk.
    let bytes: ArrayBuffer;
    try {
      bytes = await upstream.arrayBuffer();
    } catch (error) {
      return unreachable(grant, req, error);
    }
    grant.report.bytes_read += bytes.byteLength;
    const text = new TextDecoder().decode(bytes);
    const filteredText = keep ? filterListBody(text, keep) : text;
    if (!redacting) return new Response(filteredText, init);
    const redacted = redactJson(redactor, filteredText);
    return inProcess && redacted.value !== undefined
      ? parsedResponse(redacted.text, init, redacted.value)
      : new Response(redacted.text, init);
  }

  /** The answer when the API server's response failed: the command ended, or the API server is unreachable. */
  function unreachable(grant: Grant, req: Request, error: unknown): Response {
    if (grant.abort.signal.aborted || req.signal.aborted) return status(499, "Aborted", "the command ended");
    return status(
      502,
      "ServiceUnavailable",
      `kubently cluster gate cannot reach the API server: ${(error as Error).message}`,
    );
  }

  /** One request, from kubectl over the listener or from a native read in process. */
  function handle(req: Request, inProcess: boolean): Promise<Response> | Response {
    const token = bearer(req.headers.get("authorization"));
    const grant = token === undefined ? undefined : grants.get(token);
    if (grant === undefined) {
      return status(401, "Unauthorized", "kubently cluster gate: no valid command credential");
    }
    const request = parseApiRequest(req.method, new URL(req.url));
    grant.report.requests += 1;
    const decision = decideRequest(grant.policy, request);
    if (!decision.allowed) return refuse(grant, request, decision.rule, decision.message);
    if (grant.impersonation === null) {
      return refuse(grant, request, "IMPERSONATION_UNMAPPED", "the policy maps no user for this caller");
    }
    return forward(req, grant, request, decision.filter, inProcess);
  }

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    tls: { cert: cert.certPem, key: cert.keyPem },
    // Reads send no body and reviews a small one: Bun refuses more before the gate reads any of it.
    maxRequestBodySize: MAX_BODY_BYTES,
    fetch(req, srv) {
      // Watches and follows stay quiet for long stretches; the command's own timeout bounds them.
      srv.timeout(req, 0);
      return handle(req, false);
    },
  });
  const url = `https://127.0.0.1:${server.port}`;

  return {
    url,
    open(caller, grantPolicy = policy) {
      const token = `kgc_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url")}`;
      const grant: Grant = {
        caller,
        policy: grantPolicy,
        impersonation: impersonationFor(policy, caller),
        report: { requests: 0, refused: 0, bytes_read: 0 },
        abort: new AbortController(),
      };
      let kubeconfig: CommandKubeconfig | undefined;
      let closed = false;
      grants.set(token, grant);
      return {
        kubeconfigPath() {
          if (closed) throw new Error("kubently cluster gate: the command's grant is closed");
          kubeconfig ??= writeCommandKubeconfig(runtimeDir, {
            url,
            caPem: cert.certPem,
            token,
            name: caller.commandId,
          });
          return kubeconfig.path;
        },
        fetch: (path, accept, review) => {
          const headers = { authorization: `Bearer ${token}`, accept };
          const init =
            review === undefined
              ? { headers }
              : { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: review };
          return Promise.resolve(handle(new Request(url + path, init), true));
        },
        close() {
          closed = true;
          grants.delete(token);
          grant.abort.abort(GRANT_CLOSED);
          kubeconfig?.remove();
          return { ...grant.report };
        },
      };
    },
    async stop() {
      for (const grant of grants.values()) grant.abort.abort(GRANT_CLOSED);
      grants.clear();
      await server.stop(true);
    },
  };
}
