/**
 * The status page and its files, embedded in the executable (text imports), so the page works on a host
 * with no internet: nothing it loads comes from anywhere but this server.
 */
import type { Asset } from "../../http/assets";
import icon from "./ui/icon.svg" with { type: "text" };
import stylesheet from "./ui/status.css" with { type: "text" };
import script from "./ui/status.js" with { type: "text" };

export const PAGE_PATH = "/ui";
export const PAGE_ASSETS_PATH = "/ui/assets";

export const STATUS_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="referrer" content="no-referrer">
  <title>Kubently status</title>
  <link rel="icon" type="image/svg+xml" href="${PAGE_ASSETS_PATH}/icon.svg">
  <link rel="stylesheet" href="${PAGE_ASSETS_PATH}/status.css">
  <script src="${PAGE_ASSETS_PATH}/status.js" defer></script>
</head>
<body>
  <header>
    <h1>Kubently status</h1>
    <span class="meta signed-in-only" id="server"></span>
    <span class="spacer"></span>
    <time class="meta signed-in-only" id="updated"></time>
    <button type="button" class="quiet signed-in-only" id="signout">Sign out</button>
  </header>
  <section id="signin-panel" class="signed-out-only">
    <h2>Sign in</h2>
    <p class="muted">An admin key (KUBENTLY_ADMIN_KEYS). It is kept in this tab's session storage only.</p>
    <form id="signin" autocomplete="off">
      <input id="key" type="password" aria-label="Admin key" placeholder="admin key" required>
      <button type="submit">Sign in</button>
    </form>
    <p class="error" id="signin-error" role="alert" hidden></p>
  </section>
  <main class="signed-in-only">
    <p class="error" id="error" role="alert" hidden></p>
    <section>
      <h2>Clusters</h2>
      <table id="clusters-table">
        <thead><tr><th>Cluster</th><th>Executor</th><th>Transport</th><th>Version</th><th>Last seen</th><th>Queue</th><th>Cmd/min</th><th>Session</th><th class="extras">Labels, policy</th></tr></thead>
        <tbody id="clusters-body"></tbody>
      </table>
      <p class="empty" id="clusters-empty" hidden>No cluster is registered yet: <code>kubently token create CLUSTER</code>.</p>
    </section>
    <section>
      <h2>Audit chain <span class="badge" id="chain-state"></span></h2>
      <div id="chain-detail"></div>
    </section>
    <section>
      <h2>Recent commands</h2>
      <form id="filters">
        <select id="filter-cluster" aria-label="Cluster"><option value="">all clusters</option></select>
        <input id="filter-identity" aria-label="Who" placeholder="who (service)">
        <select id="filter-outcome" aria-label="Outcome">
          <option value="">any outcome</option>
          <option>succeeded</option><option>failed</option><option>denied</option>
          <option>timed_out</option><option>executor_offline</option><option>accepted</option>
        </select>
      </form>
      <table>
        <thead><tr><th>At</th><th>Who</th><th>Cluster</th><th>Command</th><th>Outcome</th><th>Duration</th></tr></thead>
        <tbody id="commands-body"></tbody>
      </table>
      <p class="empty" id="commands-empty" hidden>No command among the newest audit entries matches.</p>
    </section>
  </main>
</body>
</html>
`;

export const PAGE_ASSETS: Record<string, Asset> = {
  "status.js": { type: "text/javascript; charset=utf-8", body: () => script },
  "status.css": { type: "text/css; charset=utf-8", body: () => stylesheet },
  "icon.svg": { type: "image/svg+xml", body: () => icon },
};

/** Only this server, no inline script or style, and the page never sends the key anywhere else. */
export const STATUS_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");
