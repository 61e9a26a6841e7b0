/**
 * The docs page and its assets. Swagger UI's bundle, stylesheet and icon are imported as files, so
 * `bun build --compile` embeds them in the executable and the page works on an air-gapped host: nothing
 * it loads comes from anywhere but this server.
 */
import favicon from "swagger-ui-dist/favicon-32x32.png" with { type: "file" };
import stylesheet from "swagger-ui-dist/swagger-ui.css" with { type: "file" };
import bundle from "swagger-ui-dist/swagger-ui-bundle.js" with { type: "file" };

import type { Asset } from "../../http/assets";

export const ASSETS_PATH = "/docs/assets";
export const SPEC_PATH = "/openapi.json";

/** Starts Swagger UI on the document. No validatorUrl: it would send the document to validator.swagger.io. */
const initScript = `window.ui = SwaggerUIBundle(${JSON.stringify({
  url: SPEC_PATH,
  dom_id: "#swagger-ui",
  deepLinking: true,
  filter: true,
  displayRequestDuration: true,
  validatorUrl: null,
})});
`;

export const ASSETS: Record<string, Asset> = {
  "swagger-ui-bundle.js": { type: "text/javascript; charset=utf-8", body: () => Bun.file(bundle) },
  "swagger-ui.css": { type: "text/css; charset=utf-8", body: () => Bun.file(stylesheet) },
  "favicon-32x32.png": { type: "image/png", body: () => Bun.file(favicon) },
  "init.js": { type: "text/javascript; charset=utf-8", body: () => initScript },
};

export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Kubently API</title>
  <link rel="icon" type="image/png" href="${ASSETS_PATH}/favicon-32x32.png">
  <link rel="stylesheet" href="${ASSETS_PATH}/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${ASSETS_PATH}/swagger-ui-bundle.js"></script>
  <script src="${ASSETS_PATH}/init.js"></script>
</body>
</html>
`;

/**
 * Only this server, no inline script: even a changed bundle could not load or send anything elsewhere.
 * Swagger UI styles elements inline and draws icons from data: URLs.
 */
export const DOCS_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");
