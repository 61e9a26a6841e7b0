/**
 * Docs controller: the OpenAPI document at /openapi.json, Swagger UI at /docs and its assets at
 * /docs/assets/ from the executable itself. /swagger and /swagger/json, the paths of @elysiajs/swagger
 * that the design card names, redirect here. No route needs a key (the document describes the API and
 * holds no secret), and none of them appears in the document.
 */
import { Elysia } from "elysia";
import { assetRoutes } from "../../http/assets";
import { ASSETS, ASSETS_PATH, DOCS_PAGE, DOCS_PAGE_CSP, SPEC_PATH } from "./assets";
import { buildDocument, serializeDocument } from "./service";

export const docsModule = () => {
  // Every route is composed before the server answers its first request: build the document once, then.
  let document: string | null = null;
  const docs = new Elysia({ detail: { hide: true } });
  return docs
    .get(SPEC_PATH, () => {
      document ??= serializeDocument(buildDocument(docs));
      return new Response(document, { headers: { "content-type": "application/json; charset=utf-8" } });
    })
    .get(
      "/docs",
      () =>
        new Response(DOCS_PAGE, {
          headers: { "content-type": "text/html; charset=utf-8", "content-security-policy": DOCS_PAGE_CSP },
        }),
    )
    .use(assetRoutes(ASSETS_PATH, ASSETS, "public, max-age=3600"))
    .get("/swagger", ({ redirect }) => redirect("/docs", 302))
    .get("/swagger/json", ({ redirect }) => redirect(SPEC_PATH, 302));
};
