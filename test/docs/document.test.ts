/**
 * The OpenAPI document as a real server serves it (createApp on a loopback port): that
 * openapi/kubently.json is its committed copy, what it says, that its examples are valid, and that the
 * security it documents is the security the server enforces.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TSchema } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import type { OpenAPIV3_1 } from "openapi-types";
import pkg from "../../package.json" with { type: "json" };
import { COMMITTED_DOCUMENT } from "../../scripts/openapi";
import {
  AuditEntry,
  ClusterView,
  Command,
  CommandResult,
  ErrorBody,
  Health,
  IssuedToken,
  OutputPage,
  Session,
} from "../../src/models";
import { ResultBatch } from "../../src/modules/executors/model";
import { Readiness } from "../../src/modules/health/model";
import { CreateSessionBody } from "../../src/modules/session/model";
import { ADMIN_KEY, CLIENT_KEY, startTestServer, type TestServer } from "../support/server";

type Schema = OpenAPIV3_1.SchemaObject & { examples?: unknown[] };
type Operation = OpenAPIV3_1.OperationObject;

let server: TestServer;
let served: string;
let doc: OpenAPIV3_1.Document;
let operations: { method: string; path: string; operation: Operation }[];

beforeAll(async () => {
  server = await startTestServer();
  const response = await fetch(`${server.url}/openapi.json`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toStartWith("application/json");
  served = await response.text();
  doc = JSON.parse(served) as OpenAPIV3_1.Document;
  operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item ?? {}).map(([method, operation]) => ({
      method,
      path,
      operation: operation as Operation,
    })),
  );
});
afterAll(() => server.stop());

/** What a JSON pointer like #/components/schemas/Session points at. */
function resolve<T>(ref: string): T {
  let node: unknown = doc;
  for (const part of ref.replace(/^#\//, "").split("/")) node = (node as Record<string, unknown>)?.[part];
  if (node === undefined) throw new Error(`${ref} points at nothing`);
  return node as T;
}
const deref = <T>(node: T | OpenAPIV3_1.ReferenceObject): T =>
  node && typeof node === "object" && "$ref" in node ? resolve<T>(node.$ref) : (node as T);

/** The security an operation requires: its own, else the document's. */
const securityOf = (operation: Operation) => operation.security ?? doc.security ?? [];

describe("the committed copy", () => {
  test("openapi/kubently.json is byte for byte the document the server serves", async () => {
    const committed = await Bun.file(COMMITTED_DOCUMENT)
      .text()
      .catch(() => "");
    if (committed === served) return;
    const committedLines = committed.split("\n");
    const line = served.split("\n").findIndex((text, index) => text !== committedLines[index]);
    throw new Error(
      `openapi/kubently.json is not the document the server serves (first difference at line ${line + 1}): ` +
        "run `bun run scripts/openapi.ts` (npm run openapi) and commit openapi/kubently.json",
    );
  });
});

describe("the document", () => {
  test("names Kubently and its version, and says how to authenticate", () => {
    expect(doc.openapi).toStartWith("3.1.");
    expect(doc.info.title).toBe("Kubently");
    expect(doc.info.version).toBe(pkg.version);
    for (const words of ["read-only kubectl", "X-API-Key", "Authorization: Bearer", "X-Cluster-ID"]) {
      expect(doc.info.description).toContain(words);
    }
  });

  test("declares the client, admin and executor security schemes", () => {
    expect(doc.components?.securitySchemes).toMatchObject({
      apiKey: { type: "apiKey", in: "header", name: "X-API-Key" },
      adminKey: { type: "apiKey", in: "header", name: "X-API-Key" },
      executorToken: { type: "http", scheme: "bearer" },
      executorCluster: { type: "apiKey", in: "header", name: "X-Cluster-ID" },
    });
    expect(doc.components?.securitySchemes?.apiKey).toMatchObject({
      description: expect.stringContaining("Authorization: Bearer"),
    });
  });

  test("documents the API's routes, and none of the docs' own", () => {
    const routes = operations.map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    for (const route of [
      "POST /debug/session",
      "GET /debug/session/{session_id}",
      "DELETE /debug/session/{session_id}",
      "POST /debug/execute",
      "GET /debug/clusters",
      "POST /admin/clusters/{cluster_id}/token",
      "DELETE /admin/clusters/{cluster_id}/token",
      "GET /executor/stream",
      "GET /executor/ws",
      "GET /executor/commands",
      "POST /executor/results",
      "POST /executor/results/batch",
      "GET /health",
      "GET /audit",
      "GET /ready",
      "GET /metrics",
    ]) {
      expect(routes).toContain(route);
    }
    for (const path of ["/openapi.json", "/docs", "/docs/assets/{name}", "/swagger", "/swagger/json"]) {
      expect(Object.keys(doc.paths ?? {})).not.toContain(path);
    }
  });

  test("every operation has a unique id, a summary, a description and a described tag", () => {
    const described = new Map((doc.tags ?? []).map((tag) => [tag.name, tag.description ?? ""]));
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { method, path, operation } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      expect({ where, id: operation.operationId ?? "" }).toMatchObject({ id: expect.stringMatching(/\w/) });
      expect({ where, summary: operation.summary ?? "" }).toMatchObject({
        summary: expect.stringMatching(/\w/),
      });
      expect({ where, description: operation.description ?? "" }).toMatchObject({
        description: expect.stringMatching(/\w/),
      });
      for (const tag of operation.tags ?? [])
        expect({ where, tag, described: described.get(tag) }).toMatchObject({
          described: expect.stringMatching(/\w/),
        });
    }
  });

  test("each route group requires its own credential", () => {
    const expected = (path: string) =>
      ["/health", "/ready", "/metrics"].includes(path)
        ? []
        : path.startsWith("/admin/") || path === "/audit"
          ? [{ adminKey: [] }]
          : path.startsWith("/executor/")
            ? [{ executorToken: [], executorCluster: [] }]
            : [{ apiKey: [] }];
    for (const { method, path, operation } of operations) {
      expect({ route: `${method} ${path}`, security: securityOf(operation) }).toEqual({
        route: `${method} ${path}`,
        security: expected(path),
      });
    }
  });

  test("every error response is the Error shape, with a valid example body per code it names", () => {
    for (const { method, path, operation } of operations) {
      for (const [status, ref] of Object.entries(operation.responses ?? {})) {
        if (Number(status) < 400) continue;
        const response = deref<OpenAPIV3_1.ResponseObject>(ref);
        const where = `${method.toUpperCase()} ${path} ${status}`;
        expect({ where, description: response.description }).not.toMatchObject({
          description: expect.stringMatching(/^Response for status/),
        });
        const json = response.content?.["application/json"];
        const expectedSchema = path === "/health" ? "Health" : "Error";
        expect({ where, schema: json?.schema }).toEqual({
          where,
          schema: { $ref: `#/components/schemas/${expectedSchema}` },
        });
        const codes = [...response.description.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map(
          ([, code]) => code ?? "",
        );
        expect({ where, examples: Object.keys(json?.examples ?? {}) }).toEqual({
          where,
          examples: [...new Set(codes)],
        });
        for (const [code, example] of Object.entries(json?.examples ?? {})) {
          const body = deref<OpenAPIV3_1.ExampleObject>(example).value as ErrorBody;
          expect(Value.Check(ErrorBody, body)).toBe(true);
          expect(body.details.code).toBe(code);
        }
      }
    }
  });

  test("every $ref points at a component", () => {
    const refs = [...served.matchAll(/"\$ref": "([^"]+)"/g)].map(([, ref]) => ref ?? "");
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(() => resolve(ref)).not.toThrow();
  });

  test("the WebSocket route is the GET that upgrades, answering 101", () => {
    const ws = doc.paths?.["/executor/ws"];
    expect(Object.keys(ws ?? {})).toEqual(["get"]);
    expect(ws?.get?.responses?.["101"]).toMatchObject({ description: expect.stringContaining("WebSocket") });
    expect(ws?.get?.requestBody).toBeUndefined();
  });

  test("integer fields are integers, not the string form Elysia also coerces from", () => {
    const poll = doc.paths?.["/executor/commands"]?.get?.parameters as OpenAPIV3_1.ParameterObject[];
    expect(poll.find((parameter) => parameter.name === "wait")).toMatchObject({
      in: "query",
      required: false,
      schema: { type: "integer", minimum: 0, maximum: 60, default: 30 },
    });
    expect(served).not.toContain('"format": "integer"');
  });
});

describe("examples", () => {
  test.each([
    ["Session", Session],
    ["Command", Command],
    ["CommandResult", CommandResult],
    ["IssuedToken", IssuedToken],
    ["Cluster", ClusterView],
    ["Health", Health],
    ["Readiness", Readiness],
    ["CreateSessionBody", CreateSessionBody],
    ["AuditEntry", AuditEntry],
    ["ResultBatch", ResultBatch],
    ["OutputPage", OutputPage],
  ] as [string, TSchema][])("%s's examples match its schema", (_, schema) => {
    const examples = (schema as { examples?: unknown[] }).examples ?? [];
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) expect([...Value.Errors(schema, example)]).toEqual([]);
  });
});

/** A value for a schema from its examples, default or enum; for an object, its required properties. */
function sample(node: Schema | OpenAPIV3_1.ReferenceObject | undefined): unknown {
  const schema = deref<Schema | undefined>(node);
  if (!schema) throw new Error("no schema to take a value from");
  if (schema.examples?.length) return schema.examples[0];
  if ("default" in schema) return schema.default;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.type === "object") {
    return Object.fromEntries(
      (schema.required ?? []).map((name) => [name, sample(schema.properties?.[name] as Schema | undefined)]),
    );
  }
  throw new Error(`nothing documented to send for ${JSON.stringify(schema)}`);
}

/** A request that passes the operation's validation, built from the document alone, without credentials. */
function documentedRequest(method: string, path: string, operation: Operation): [string, RequestInit] {
  const parameters = (operation.parameters ?? []).map((p) => deref<OpenAPIV3_1.ParameterObject>(p));
  let url = path;
  const query = new URLSearchParams();
  for (const parameter of parameters) {
    if (parameter.in === "path") url = url.replace(`{${parameter.name}}`, String(sample(parameter.schema)));
    if (parameter.in === "query" && parameter.required)
      query.set(parameter.name, String(sample(parameter.schema)));
  }
  const headers: Record<string, string> = {};
  if (operation.responses?.["101"]) {
    Object.assign(headers, {
      connection: "Upgrade",
      upgrade: "websocket",
      "sec-websocket-version": "13",
      "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
    });
  }
  const body = deref<OpenAPIV3_1.RequestBodyObject | undefined>(operation.requestBody);
  const init: RequestInit = { method: method.toUpperCase(), headers };
  if (body) {
    headers["content-type"] = "application/json";
    init.body = JSON.stringify(sample(body.content["application/json"]?.schema as Schema));
  }
  return [`${url}${query.size > 0 ? `?${query}` : ""}`, init];
}

describe("documented security is the security the server enforces", () => {
  // The server validates a request before it checks credentials, so a 401 here also proves that the
  // documented examples make a valid request.
  test("a documented request without credentials is refused exactly where the document says one is needed", async () => {
    expect(operations.length).toBeGreaterThan(10);
    for (const { method, path, operation } of operations) {
      const [url, init] = documentedRequest(method, path, operation);
      const response = await fetch(server.url + url, init);
      await response.arrayBuffer();
      const secured = securityOf(operation).some((requirement) => Object.keys(requirement).length > 0);
      expect({ route: `${init.method} ${url}`, status: response.status === 401 ? 401 : "not 401" }).toEqual({
        route: `${init.method} ${url}`,
        status: secured ? 401 : "not 401",
      });
      // The answer is documented, and carries every header the document declares for it.
      const documented = deref<OpenAPIV3_1.ResponseObject | undefined>(
        operation.responses?.[String(response.status)],
      );
      const route = `${init.method} ${url} ${response.status}`;
      expect({ route, documented: documented !== undefined }).toEqual({ route, documented: true });
      const declared = Object.keys(documented?.headers ?? {});
      expect({ route, declared: declared.length > 0 }).toEqual({ route, declared: true });
      for (const header of declared)
        expect({ route, header, present: response.headers.has(header) }).toEqual({
          route,
          header,
          present: true,
        });
    }
  });

  // Elysia edits a route's schemas in place when the route first runs, and every app in a process shares
  // them: the routes above have all run now, so a new app must still document exactly the same.
  test("a server started after every route has run serves the same document", async () => {
    const later = await startTestServer();
    try {
      expect(await (await fetch(`${later.url}/openapi.json`)).text()).toBe(served);
    } finally {
      await later.stop();
    }
  });
});

describe("additionalProperties: false is where the server refuses unknown fields", () => {
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === "object" && value !== null && !Array.isArray(value);

  /** Where, in a documented value, the schema says an object is closed: a path of keys per object. */
  function closedObjects(
    node: Schema | OpenAPIV3_1.ReferenceObject | undefined,
    value: unknown,
    at: string[] = [],
  ) {
    const schema = deref<Schema | undefined>(node);
    const found: string[][] = [];
    if (!schema) return found;
    if (isObject(value) && schema.type === "object") {
      expect({ at, closed: schema.additionalProperties }).toEqual({ at, closed: false });
      found.push(at);
      for (const [key, inner] of Object.entries(value))
        found.push(...closedObjects(schema.properties?.[key] as Schema | undefined, inner, [...at, key]));
    }
    if (Array.isArray(value) && schema.type === "array")
      value.forEach((item, index) => {
        found.push(...closedObjects(schema.items as Schema, item, [...at, String(index)]));
      });
    return found;
  }

  let executorToken: Promise<string> | null = null;
  /** The credential each security scheme takes; an executor's is a registered cluster's. */
  async function credentials(operation: Operation): Promise<Record<string, string>> {
    const schemes = securityOf(operation).flatMap(Object.keys);
    if (schemes.includes("executorToken")) {
      executorToken ??= server.registerCluster("closed-bodies");
      return { authorization: `Bearer ${await executorToken}`, "x-cluster-id": "closed-bodies" };
    }
    return { "x-api-key": schemes.includes("adminKey") ? ADMIN_KEY : CLIENT_KEY };
  }

  test("every object of every request body: an unknown field there is refused with 400, the body without it is not", async () => {
    let refused = 0;
    for (const { method, path, operation } of operations) {
      const body = deref<OpenAPIV3_1.RequestBodyObject | undefined>(operation.requestBody);
      const schema = body?.content["application/json"]?.schema as Schema | undefined;
      if (!schema) continue;
      const [url, init] = documentedRequest(method, path, operation);
      const headers = { ...(init.headers as Record<string, string>), ...(await credentials(operation)) };
      const send = async (value: unknown) => {
        const response = await fetch(server.url + url, { ...init, headers, body: JSON.stringify(value) });
        return {
          status: response.status,
          body: (await response.json().catch(() => null)) as ErrorBody | null,
        };
      };
      const sample = JSON.parse(init.body as string) as unknown;
      const control = await send(sample);
      expect({ route: `${method} ${path}`, code: control.body?.details?.code }).not.toEqual({
        route: `${method} ${path}`,
        code: "VALIDATION_ERROR",
      });
      for (const at of closedObjects(schema, sample)) {
        const extended = structuredClone(sample) as Record<string, unknown>;
        let target: Record<string, unknown> = extended;
        for (const key of at) target = target[key] as Record<string, unknown>;
        target.not_a_field = 1;
        const answer = await send(extended);
        const where = `${method} ${path} /${at.join("/")}`;
        expect({ where, status: answer.status, code: answer.body?.details.code }).toEqual({
          where,
          status: 400,
          code: "VALIDATION_ERROR",
        });
        refused += 1;
      }
    }
    // The session, execute, async, results and batch bodies at least, and the batch's nested results.
    expect(refused).toBeGreaterThanOrEqual(6);
  });
});
