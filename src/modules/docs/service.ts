/**
 * The OpenAPI document. @elysiajs/openapi's generator (`toOpenAPISchema`, what the plugin's own spec
 * route calls) turns the typed routes into paths and schemas; this module finishes its output, which
 * is not yet what a client should read:
 * - a WebSocket route comes out under a `ws` method OpenAPI lacks: it becomes the GET that upgrades (101);
 * - a route's `detail.responses` is dropped when it declares response schemas: it is merged back;
 * - `t.Integer` is shown as a union with the string form Elysia also coerces from: the number stays;
 * - `additionalProperties` depends on which routes Elysia has compiled so far (below): it is written
 *   from one rule instead, `false` on the objects of request bodies, which the server refuses to extend;
 * - a route's `detail.parameters` (the caller headers it reads) is dropped when it has other parameters:
 *   merged back;
 * - the headers the edge sets are declared on the responses that carry them: X-Request-ID on every
 *   one, X-Correlation-ID on the successes of routes that read it, Retry-After on 429, WWW-Authenticate
 *   on 401 (components, so each is written once);
 * - bodies are offered as form data too and void responses get a bogus content entry: JSON only, none;
 * - errors any route can answer (validation, credentials, body size, rate limit, store down) are added,
 *   and every error response gets a description and an example body per code it names in backticks
 *   (the bodies are components, so each is written once);
 * - titled schemas (Session, Error, ...) become components, referenced by $ref;
 * - paths, methods, statuses and components are sorted, so the committed copy changes only with the API.
 * Which credential a route takes is decided by the auth guard; the document only describes it.
 */
import { toOpenAPISchema, unwrapSchema } from "@elysiajs/openapi/openapi";
import type { AnyElysia, DocumentDecoration } from "elysia";
import type { OpenAPIV3_1 } from "openapi-types";
import { CALLER_HEADERS } from "../../http/caller";
import { ErrorBody } from "../../models";
import { VERSION } from "../../version";
import {
  DEFAULT_SECURITY,
  ERROR_EXAMPLES,
  type ErrorExample,
  EXAMPLE_REQUEST_ID,
  EXAMPLE_TIMESTAMP,
  INFO_DESCRIPTION,
  LICENSE,
  RESPONSE_HEADERS,
  SECURITY_SCHEMES,
  SERVERS,
  TAGS,
} from "./content";

const OPENAPI_VERSION = "3.1.2";

type Node = Record<string, unknown>;
type Operation = OpenAPIV3_1.OperationObject;
type ResponseObject = OpenAPIV3_1.ResponseObject;
type Paths = Record<string, Record<string, Operation>>;

const METHOD_ORDER = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
/** The order an operation's fields are written in: what it is, then what goes in, then what comes out. */
const OPERATION_KEYS = [
  "tags",
  "summary",
  "description",
  "operationId",
  "security",
  "parameters",
  "requestBody",
  "responses",
];
const REASONS: Record<string, string> = {
  "101": "Switching Protocols",
  "200": "OK",
  "201": "Created",
  "202": "Accepted",
  "204": "No Content",
  "400": "Bad Request",
  "401": "Unauthorized",
  "403": "Forbidden",
  "404": "Not Found",
  "409": "Conflict",
  "413": "Content Too Large",
  "429": "Too Many Requests",
  "503": "Service Unavailable",
  "504": "Gateway Timeout",
};
/** Keys whose values are data, not schemas: never simplified or hoisted. */
const DATA_KEYS = new Set(["example", "examples", "default", "const", "enum"]);
const CODE_RE = /`([A-Z][A-Z0-9_]+)`/g;

/**
 * Errors the edge and the auth guard may answer on any route, by status, given the operation and the
 * names of its security schemes: null when the status cannot happen there.
 */
const COMMON_ERRORS: Record<string, (operation: Operation, schemes: Set<string>) => string | null> = {
  "400": (operation, schemes) =>
    [
      operation.parameters?.length || operation.requestBody
        ? "`VALIDATION_ERROR`: a parameter, header or the body does not match its schema " +
          "(`details.context.issues` says where)." +
          (operation.requestBody ? " Bodies refuse fields they do not define." : "")
        : "",
      operation.requestBody ? "`INVALID_BODY`: the body is not JSON." : "",
      schemes.has("executorCluster") ? "`INVALID_CLUSTER_ID`: X-Cluster-ID is not a cluster id." : "",
    ]
      .filter(Boolean)
      .join(" ") || null,
  "401": (_, schemes) =>
    schemes.size === 0
      ? null
      : "`UNAUTHORIZED`: no valid credential for this route's security scheme." +
        (schemes.has("apiKey")
          ? " With OIDC on, a bearer JWT that does not verify says why in `details.context.reason`: expired, " +
            "not_yet_valid, wrong_issuer, wrong_audience, bad_signature or invalid."
          : ""),
  "403": (_, schemes) =>
    schemes.has("apiKey")
      ? "`NO_PRINCIPAL`: a person signed in through OIDC, but the keys file gives none of their groups a principal."
      : null,
  "413": (operation) =>
    operation.requestBody
      ? "`PAYLOAD_TOO_LARGE`: the body is larger than the server accepts (`--max-body-bytes`)."
      : null,
  "429": (_, schemes) =>
    schemes.has("apiKey")
      ? "`RATE_LIMITED`: this API key is over its request rate (KUBENTLY_RATE_LIMIT); `Retry-After` says " +
        "how many seconds to wait."
      : null,
  "503": (_, schemes) =>
    "`STORE_UNAVAILABLE`: the server's store does not answer; retry shortly." +
    (schemes.has("apiKey")
      ? " `IDENTITY_PROVIDER_UNAVAILABLE`: a bearer JWT came, and the OIDC issuer's keys cannot be read now."
      : ""),
};

export function buildDocument(app: AnyElysia): OpenAPIV3_1.Document {
  // A JSON copy: the generator hands out the routes' own schema objects, which must stay untouched.
  const generated = toJson(toOpenAPISchema(app, undefined, undefined, undefined, OPENAPI_VERSION)) as {
    paths: Paths;
  };
  const declared = declaredDetails(app);
  const codes = new Map<string, ErrorExample>();
  const paths: Paths = {};
  for (const [generatedPath, item] of Object.entries(generated.paths)) {
    // Elysia matches a path with or without its trailing slash: document the form without.
    const path = generatedPath.length > 1 ? generatedPath.replace(/\/$/, "") : generatedPath;
    for (const [method, operation] of Object.entries(item)) {
      const own = declared.get(`${method} ${generatedPath}`) ?? declared.get(`all ${generatedPath}`) ?? {};
      const webSocket = method === "ws";
      paths[path] ??= {};
      paths[path][webSocket ? "get" : method] = finishOperation(operation, webSocket, own, codes);
    }
  }
  makeOperationIdsUnique(paths);
  const schemas: Record<string, Node> = {};
  const sorted = sortPaths(paths);
  const finished = hoist(simplify(sorted, false, bodyTitles(sorted)), schemas) as OpenAPIV3_1.PathsObject;
  return {
    openapi: OPENAPI_VERSION,
    info: { title: "Kubently", version: VERSION, description: INFO_DESCRIPTION, license: LICENSE },
    servers: SERVERS,
    tags: tagsOf(paths),
    security: DEFAULT_SECURITY,
    paths: finished,
    components: {
      schemas: sortKeys(schemas),
      parameters: CALLER_HEADERS as Record<string, OpenAPIV3_1.ParameterObject>,
      headers: RESPONSE_HEADERS,
      examples: Object.fromEntries(
        [...codes].sort(byKey).map(([code, example]) => [code, exampleOf(code, example)]),
      ),
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}

/** The document as served and as committed in openapi/kubently.json, byte for byte. */
export const serializeDocument = (document: OpenAPIV3_1.Document): string =>
  `${JSON.stringify(document, null, 2)}\n`;

const toJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
const isNode = (value: unknown): value is Node =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const byKey = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : a > b ? 1 : 0);
const sortKeys = <T>(record: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(record).sort(byKey));
/** Sorts entries by their key's place in `order`; keys not in it go last, as they came. */
const inOrder = (order: string[]) => {
  const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
  return ([a]: [string, unknown], [b]: [string, unknown]) => rank(a) - rank(b);
};

interface RouteEntry {
  method: string;
  path: string;
  hooks: { detail?: DocumentDecoration };
}

/** What a route declares in its `detail` that the generator may drop. */
interface Declared {
  responses?: Record<string, ResponseObject>;
  parameters?: Operation["parameters"];
}

/** Each route's own `detail.responses` and `.parameters`, keyed like the generator's output ("post /debug/session/"). */
function declaredDetails(app: AnyElysia): Map<string, Declared> {
  // Read the way the generator reads routes: through Elysia's protected getGlobalRoutes.
  const routes = (app as unknown as { getGlobalRoutes(): RouteEntry[] }).getGlobalRoutes();
  const declared = new Map<string, Declared>();
  for (const route of routes) {
    const { responses, parameters } = route.hooks.detail ?? {};
    if (!responses && !parameters) continue;
    const path = route.path.replace(/:([^/]+)/g, "{$1}");
    declared.set(`${route.method.toLowerCase()} ${path}`, {
      responses: responses as Record<string, ResponseObject> | undefined,
      parameters: parameters as Operation["parameters"],
    });
  }
  return declared;
}

function finishOperation(
  generated: Operation,
  webSocket: boolean,
  declared: Declared,
  codes: Map<string, ErrorExample>,
): Operation {
  const operation = { ...generated };
  const security = operation.security ?? DEFAULT_SECURITY;
  const schemes = new Set(security.flatMap(Object.keys));
  if (webSocket) {
    // The messages are the route's description; a GET carries no body.
    delete operation.requestBody;
    operation.responses = {
      "101": { description: "Switching Protocols: the connection is now a WebSocket." },
      ...operation.responses,
    };
  }
  const body = operation.requestBody as OpenAPIV3_1.RequestBodyObject | undefined;
  const json = body?.content["application/json"];
  if (body && json) operation.requestBody = { ...body, content: { "application/json": json } };
  const own = (declared.parameters ?? []).filter(
    (parameter) => !operation.parameters?.some((p) => JSON.stringify(p) === JSON.stringify(parameter)),
  );
  if (own.length > 0) operation.parameters = [...(operation.parameters ?? []), ...own];
  if (operation.parameters) {
    const carried = headersCarriedBy(schemes);
    operation.parameters = (operation.parameters as OpenAPIV3_1.ParameterObject[])
      .filter(
        (parameter) =>
          !("in" in parameter) || parameter.in !== "header" || !carried.has(parameter.name.toLowerCase()),
      )
      .map((parameter) => {
        const schema = parameter.schema as Node | undefined;
        return schema && "default" in schema ? { ...parameter, required: false } : parameter;
      });
  }
  operation.responses = finishResponses(operation, schemes, declared.responses, codes);
  return Object.fromEntries(Object.entries(operation).sort(inOrder(OPERATION_KEYS)));
}

/**
 * Headers a security scheme of the operation already sends: listing them again as parameters would
 * ask for the credential twice. Authorization is never a parameter in OpenAPI.
 */
function headersCarriedBy(schemes: Set<string>): Set<string> {
  const carried = new Set(["authorization"]);
  for (const name of schemes) {
    const scheme = SECURITY_SCHEMES[name];
    if (scheme?.type === "apiKey" && scheme.in === "header") carried.add(scheme.name.toLowerCase());
  }
  return carried;
}

function finishResponses(
  operation: Operation,
  schemes: Set<string>,
  declared: Record<string, ResponseObject> | undefined,
  codes: Map<string, ErrorExample>,
): Record<string, ResponseObject> {
  const responses = { ...(operation.responses as Record<string, ResponseObject> | undefined) };
  for (const [status, response] of Object.entries(declared ?? {})) {
    responses[status] = { ...responses[status], ...response };
  }
  for (const [status, applies] of Object.entries(COMMON_ERRORS)) {
    if (!responses[status] && applies(operation, schemes)) {
      responses[status] = { description: "", content: { "application/json": { schema: ERROR_SCHEMA } } };
    }
  }
  for (const [status, generated] of Object.entries(responses)) {
    const response = { ...generated };
    // A void response comes out with `content: {type: "void"}`, which is no media type.
    if (response.content && !Object.keys(response.content).some((type) => type.includes("/"))) {
      delete response.content;
    }
    const json = response.content?.["application/json"];
    if (Number(status) >= 400 && json && (json.schema as Node | undefined)?.title === ErrorBody.title) {
      const common = COMMON_ERRORS[status]?.(operation, schemes);
      const own = declared?.[status]?.description;
      response.description =
        [common, own].filter(Boolean).join(" ") ||
        `${REASONS[status] ?? "Error"}: \`details.code\` says what went wrong.`;
      const examples: Record<string, OpenAPIV3_1.ReferenceObject> = {};
      for (const [, code = ""] of response.description.matchAll(CODE_RE)) {
        const example = ERROR_EXAMPLES[code];
        if (!example) continue;
        codes.set(code, example);
        examples[code] = { $ref: `#/components/examples/${code}` };
      }
      if (Object.keys(examples).length > 0) response.content = { "application/json": { ...json, examples } };
    } else if (/^Response for status \d+$/.test(response.description)) {
      response.description = REASONS[status] ?? "Response";
    }
    responses[status] = withEdgeHeaders(status, response, readsCorrelation(operation));
  }
  return sortKeys(responses);
}

const headerRef = (name: string): OpenAPIV3_1.ReferenceObject => ({ $ref: `#/components/headers/${name}` });

const readsCorrelation = (operation: Operation) =>
  (operation.parameters ?? []).some(
    (parameter) => "$ref" in parameter && parameter.$ref === "#/components/parameters/X-Correlation-ID",
  );

/**
 * The response with the headers the edge and the routes set on it: X-Request-ID on every HTTP
 * response (a 101 is the WebSocket's), X-Correlation-ID echoed on successes where it is read,
 * Retry-After with 429, WWW-Authenticate with 401. Written description, headers, content.
 */
function withEdgeHeaders(
  status: string,
  response: ResponseObject,
  echoesCorrelation: boolean,
): ResponseObject {
  if (status === "101") return response;
  const headers: Record<string, OpenAPIV3_1.ReferenceObject | OpenAPIV3_1.HeaderObject> = {
    "X-Request-ID": headerRef("X-Request-ID"),
  };
  if (echoesCorrelation && status.startsWith("2"))
    headers["X-Correlation-ID"] = headerRef("X-Correlation-ID");
  if (status === "429") headers["Retry-After"] = headerRef("Retry-After");
  if (status === "401") headers["WWW-Authenticate"] = headerRef("WWW-Authenticate");
  const { description, content, headers: own } = response;
  return { description, headers: { ...headers, ...own }, ...(content ? { content } : {}) };
}

/** The Error schema as the generator renders the routes' own ErrorBody, for the errors added here. */
const ERROR_SCHEMA = toJson(unwrapSchema(ErrorBody, undefined, "output", OPENAPI_VERSION)) as Node;

const exampleOf = (code: string, { message, context }: ErrorExample): OpenAPIV3_1.ExampleObject => ({
  value: {
    error: message,
    details: { code, context },
    request_id: EXAMPLE_REQUEST_ID,
    timestamp: EXAMPLE_TIMESTAMP,
  },
});

/** An ALL route is generated once per method under one operationId; each copy gets its method. */
function makeOperationIdsUnique(paths: Paths): void {
  const seen = new Map<string, number>();
  const operations = Object.values(paths).flatMap((item) => Object.entries(item));
  for (const [, operation] of operations) {
    if (operation.operationId) seen.set(operation.operationId, (seen.get(operation.operationId) ?? 0) + 1);
  }
  for (const [method, operation] of operations) {
    if (operation.operationId && (seen.get(operation.operationId) ?? 0) > 1) {
      operation.operationId = `${operation.operationId}_${method}`;
    }
  }
}

function sortPaths(paths: Paths): Paths {
  return Object.fromEntries(
    Object.entries(paths)
      .sort(byKey)
      .map(([path, item]) => [path, Object.fromEntries(Object.entries(item).sort(inOrder(METHOD_ORDER)))]),
  );
}

/** The described tags that some operation uses, in their order; undescribed ones after them. */
function tagsOf(paths: Paths): OpenAPIV3_1.TagObject[] {
  const used = new Set(
    Object.values(paths).flatMap((item) => Object.values(item).flatMap((operation) => operation.tags ?? [])),
  );
  const described = TAGS.filter((tag) => used.has(tag.name));
  const undescribed = [...used]
    .filter((name) => !TAGS.some((tag) => tag.name === name))
    .sort()
    .map((name) => ({ name }));
  return [...described, ...undescribed];
}

/** The titles of the schemas request bodies use, at any depth: their objects are closed wherever they appear. */
function bodyTitles(paths: Paths): Set<string> {
  const titles = new Set<string>();
  const collect = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) collect(item);
      return;
    }
    if (!isNode(node)) return;
    if (typeof node.title === "string") titles.add(node.title);
    for (const [key, value] of Object.entries(node)) if (!DATA_KEYS.has(key)) collect(value);
  };
  for (const item of Object.values(paths))
    for (const operation of Object.values(item)) collect(operation.requestBody);
  return titles;
}

/**
 * Elysia's t.Integer also accepts the number's string form (query strings, forms), which the generator
 * shows as `anyOf: [{type: string, format: integer}, {type: integer}]`: the contract is the integer.
 * Nullable unions left by that are written as `type: [T, "null"]`, as the generator does elsewhere.
 * `additionalProperties` as generated is not used: Elysia writes it into a route's top-level schemas, in
 * place, when it compiles the route (on its first request), and those schema objects are shared by
 * every app in the process, so the document would depend on which routes had been called. It is
 * written by one rule instead: `false` on every object with (pattern) properties inside a request body (the
 * server refuses unknown fields there: Elysia at the top, with normalize off, and the models' own
 * `additionalProperties: false` below it, which test/docs checks on every body), and on the schemas
 * bodies use wherever else they appear, so each component reads the same everywhere.
 */
function simplify(node: unknown, closed: boolean, closedTitles: Set<string>): unknown {
  if (Array.isArray(node)) return node.map((item) => simplify(item, closed, closedTitles));
  if (!isNode(node)) return node;
  const out: Node = {};
  const inside = closed || (typeof node.title === "string" && closedTitles.has(node.title));
  for (const [key, value] of Object.entries(node)) {
    if (key === "additionalProperties" && typeof value === "boolean") continue;
    out[key] = DATA_KEYS.has(key) ? value : simplify(value, inside || key === "requestBody", closedTitles);
  }
  if (inside && out.type === "object" && (isNode(out.properties) || isNode(out.patternProperties))) {
    out.additionalProperties = false;
  }
  if (!Array.isArray(out.anyOf)) return out;
  const members = out.anyOf.filter(isNode);
  const numeric = members.some((member) => member.type === "integer" || member.type === "number");
  const kept = numeric ? members.filter((member) => !isCoercedString(member)) : members;
  const { anyOf: _, ...outer } = out;
  const [first, second] = kept;
  if (kept.length === 1 && first) return { ...outer, ...first };
  if (kept.length === 2 && first && typeof first.type === "string" && second?.type === "null") {
    return { ...outer, ...first, type: [first.type, "null"] };
  }
  return { ...outer, anyOf: kept };
}

const isCoercedString = (member: Node) =>
  member.type === "string" && (member.format === "integer" || member.format === "numeric");

/** Replaces every titled schema by a $ref to components.schemas[title], innermost first. */
function hoist(node: unknown, schemas: Record<string, Node>): unknown {
  if (Array.isArray(node)) return node.map((item) => hoist(item, schemas));
  if (!isNode(node)) return node;
  const out: Node = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = DATA_KEYS.has(key) ? value : hoist(value, schemas);
  }
  if (typeof out.title !== "string") return out;
  const existing = schemas[out.title];
  if (existing && !Bun.deepEquals(existing, out)) {
    throw new Error(`two different schemas are titled '${out.title}': give one another title`);
  }
  schemas[out.title] = out;
  return { $ref: `#/components/schemas/${out.title}` };
}
