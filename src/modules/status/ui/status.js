// The status page's script, served from the executable as /ui/assets/status.js. Plain browser
// JavaScript, no framework and no build step: it reads the JSON API with the admin key kept in
// sessionStorage (gone when the tab closes, never in a URL), polls every POLL_MS while the tab is
// visible (EventSource cannot send the key as a header, and polling needs no new server route), and
// builds every element with textContent, so nothing an audit entry holds is ever parsed as HTML.
const POLL_MS = 5000;
const KEY_SLOT = "kubently.adminKey";
/** How many of the newest audit entries the recent-commands table reads. */
const RECENT_SCAN = 500;
const RECENT_ROWS = 50;

const $ = (id) => document.getElementById(id);
let timer = null;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

class Unauthorized extends Error {}

async function api(path) {
  const key = sessionStorage.getItem(KEY_SLOT);
  const response = await fetch(path, { headers: { "X-API-Key": key ?? "" }, cache: "no-store" });
  const body = await response.json().catch(() => null);
  if (response.status === 401) throw new Unauthorized(body?.error ?? "the admin key was refused");
  if (!response.ok) throw new Error(body?.error ?? `${path} answered ${response.status}`);
  return body;
}

/** "12 s ago", "3 min ago", … for a past ISO time. */
function ago(iso) {
  if (!iso) return "never";
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 129600) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

function cell(row, label, content, className) {
  const td = el("td", className);
  td.dataset.label = label;
  if (content instanceof Node) td.append(content);
  else td.textContent = content ?? "";
  row.append(td);
  return td;
}

/** Labels and a policy summary, when the cluster list carries them; nothing otherwise. */
function describeExtras(cluster) {
  const parts = el("div", "chips");
  const labels = cluster.labels && typeof cluster.labels === "object" ? cluster.labels : {};
  for (const [name, value] of Object.entries(labels)) parts.append(el("span", "chip", `${name}=${value}`));
  for (const text of policySummary(cluster.policy)) parts.append(el("span", "chip policy", text));
  return parts;
}

/**
 * What an admin scans for in an executor's policy report: its mode, and only what differs from the
 * defaults or is worth a glance (namespaces, restricted resources, native reads off, redaction,
 * impersonation). The whole report is in GET /debug/clusters.
 */
function policySummary(policy) {
  if (!policy || typeof policy !== "object") return [];
  const list = (value) => (Array.isArray(value) ? value.join(", ") : "");
  const summary = [`mode: ${policy.mode}`];
  const allowed = list(policy.allowed_namespaces);
  if (allowed && allowed !== "*") summary.push(`namespaces: ${allowed}`);
  if (list(policy.denied_namespaces)) summary.push(`denied: ${list(policy.denied_namespaces)}`);
  if (list(policy.restricted_resources)) summary.push(`restricted: ${list(policy.restricted_resources)}`);
  if (policy.native_reads === false) summary.push("native reads off");
  if (Array.isArray(policy.redaction_rules))
    summary.push(`redaction: ${policy.redaction_rules.length} rules`);
  if (policy.impersonation === true) summary.push("impersonation");
  return summary;
}

function renderClusters(clusters) {
  const body = $("clusters-body");
  body.replaceChildren();
  $("clusters-empty").hidden = clusters.length > 0;
  let withExtras = false;
  for (const cluster of clusters) {
    const row = el("tr", cluster.connected ? "up" : "down");
    row.dataset.cluster = cluster.cluster_id;
    cell(row, "Cluster", cluster.cluster_id, "name");
    cell(row, "Executor", el("span", "state", cluster.connected ? "connected" : "offline"));
    cell(row, "Transport", cluster.transport ?? "—");
    cell(row, "Version", cluster.executor_version ?? "—");
    cell(row, "Last seen", ago(cluster.last_seen));
    cell(row, "Queue", cluster.queue_depth, "num");
    cell(
      row,
      "Cmd/min",
      `${cluster.commands_last_minute}${cluster.commands_last_minute_capped ? "+" : ""}`,
      "num",
    );
    cell(row, "Session", cluster.active ? "open" : "—");
    const extras = describeExtras(cluster);
    cell(row, "Labels, policy", extras, "extras");
    withExtras ||= extras.childElementCount > 0;
    body.append(row);
  }
  $("clusters-table").classList.toggle("no-extras", !withExtras);
  const select = $("filter-cluster");
  const chosen = select.value;
  const names = clusters.map((cluster) => cluster.cluster_id);
  if (
    select.options.length - 1 !== names.length ||
    names.some((name, i) => select.options[i + 1].value !== name)
  ) {
    select.replaceChildren(el("option", "", "all clusters"));
    select.options[0].value = "";
    for (const name of names) select.append(el("option", "", name));
    select.value = names.includes(chosen) ? chosen : "";
  }
}

const CHAIN_TEXT = {
  verified: "verified",
  partial: "checking",
  broken: "BROKEN",
  empty: "empty",
};

function renderChain(audit) {
  const { chain, head, this_replica: replica } = audit;
  const badge = $("chain-state");
  badge.textContent = CHAIN_TEXT[chain.state] ?? chain.state;
  badge.className = `badge ${chain.state}`;
  const lines = [];
  if (chain.state === "broken") lines.push(`at entry ${chain.broken_seq}: ${chain.reason}`);
  else if (chain.state === "partial")
    lines.push(`entries 1–${chain.verified} of ${head?.seq ?? "?"} checked so far`);
  else if (chain.state === "verified") {
    lines.push(
      chain.verified === 1
        ? "entry 1 matches its hash"
        : `entries 1–${chain.verified} link and match their hashes`,
    );
  }
  if (head) lines.push(`head: entry ${head.seq}, ${head.hash.slice(0, 16)}…`);
  lines.push(`this server's audit writer: ${replica.appended} appended, ${replica.pending} pending`);
  if (replica.failed_appends > 0) lines.push(`${replica.failed_appends} appends failed (retried)`);
  if (replica.dropped > 0) lines.push(`${replica.dropped} entries DROPPED`);
  $("chain-detail").replaceChildren(...lines.map((line) => el("div", "", line)));
}

/** The newest entries first, one row per command: its final entry over its `accepted` one. */
function commandsOf(entries) {
  const byCommand = new Map();
  for (const entry of entries) {
    const key = entry.command_id ?? entry.id;
    byCommand.set(key, { ...byCommand.get(key), ...entry });
  }
  return [...byCommand.values()].sort((a, b) => b.seq - a.seq).slice(0, RECENT_ROWS);
}

function renderCommands(entries) {
  const body = $("commands-body");
  body.replaceChildren();
  const rows = commandsOf(entries);
  $("commands-empty").hidden = rows.length > 0;
  for (const entry of rows) {
    const row = el("tr", `outcome-${entry.outcome}`);
    const time = el("time", "", new Date(entry.at).toLocaleTimeString());
    time.dateTime = entry.at;
    cell(row, "At", time);
    cell(row, "Who", entry.requested_by ? `${entry.identity}/${entry.requested_by}` : entry.identity);
    cell(row, "Cluster", entry.cluster_id);
    const what = [
      entry.command_type,
      ...(entry.args ?? []),
      ...(entry.namespace ? ["-n", entry.namespace] : []),
    ];
    cell(row, "Command", what.join(" "), "command");
    const outcome = entry.denial_code ?? entry.error_code;
    cell(row, "Outcome", el("span", "outcome", outcome ? `${entry.outcome} (${outcome})` : entry.outcome));
    cell(row, "Duration", entry.duration_ms === undefined ? "—" : `${entry.duration_ms} ms`, "num");
    body.append(row);
  }
}

function recentQuery(head) {
  const query = new URLSearchParams({
    after: String(Math.max(0, (head?.seq ?? 0) - RECENT_SCAN)),
    limit: String(RECENT_SCAN),
    action: "command",
  });
  const filters = { cluster_id: $("filter-cluster").value, identity: $("filter-identity").value.trim() };
  filters.outcome = $("filter-outcome").value;
  for (const [name, value] of Object.entries(filters)) if (value) query.set(name, value);
  return `/audit?${query}`;
}

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = !message;
}

/** One refresh at a time: one asked for meanwhile (a filter changed) runs right after it. */
let running = null;
let again = false;

function refresh() {
  if (running) {
    again = true;
    return running;
  }
  clearTimeout(timer);
  running = load().finally(() => {
    running = null;
    if (again) {
      again = false;
      refresh();
    } else if (!document.hidden && document.body.classList.contains("signed-in")) {
      timer = setTimeout(refresh, POLL_MS);
    }
  });
  return running;
}

async function load() {
  try {
    const status = await api("/admin/status");
    const page = await api(recentQuery(status.audit.head));
    $("server").textContent = `Kubently ${status.version} · ${status.store} store`;
    renderClusters(status.clusters);
    renderChain(status.audit);
    renderCommands(page.entries);
    $("updated").textContent = `updated ${new Date(status.generated_at).toLocaleTimeString()}`;
    $("updated").dateTime = status.generated_at;
    showError("");
  } catch (error) {
    if (error instanceof Unauthorized) signOut(error.message);
    else showError(`Could not refresh: ${error.message}`);
  }
}

function signOut(message) {
  clearTimeout(timer);
  sessionStorage.removeItem(KEY_SLOT);
  document.body.classList.remove("signed-in");
  $("signin-error").textContent = message ?? "";
  $("signin-error").hidden = !message;
  $("key").focus();
}

function start() {
  document.body.classList.add("signed-in");
  $("signin-error").hidden = true;
  refresh();
}

$("signin").addEventListener("submit", (event) => {
  event.preventDefault();
  const key = $("key").value.trim();
  if (!key) return;
  sessionStorage.setItem(KEY_SLOT, key);
  $("key").value = "";
  start();
});
$("signout").addEventListener("click", () => signOut());
$("filters").addEventListener("change", refresh);
$("filters").addEventListener("submit", (event) => {
  event.preventDefault();
  refresh();
});
document.addEventListener("visibilitychange", () => {
  if (!document.hidden && document.body.classList.contains("signed-in")) refresh();
});

if (sessionStorage.getItem(KEY_SLOT)) start();
else signOut();
