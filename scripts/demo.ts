/**
 * `npm run demo`: the whole of Kubently on this machine. Starts the API server (embedded store),
 * a simulated cluster (the Kubernetes API stand-in the tests use), an executor with a freshly
 * issued token, then walks through a short debugging session, printing each command and its output.
 * Then it prints where to go next (docs, status page, the CLI with this run's keys) and keeps
 * everything running until Ctrl-C; `--once` stops after the walkthrough instead.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CommandResult, ErrorBody } from "../src/models";
import { CRASHING_POD, SHOP_NAMESPACE } from "../test/k8s/scenario";
import { startKubeStandin } from "../test/k8s/standin";
import { spawnProcess } from "../test/support/process";

const once = process.argv.includes("--once");
const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const dim = (text: string) => (process.stdout.isTTY ? `\x1b[2m${text}\x1b[0m` : text);

const dir = mkdtempSync(join(tmpdir(), "kubently-demo-"));
const apiKey = randomBytes(18).toString("base64url");
const adminKey = randomBytes(18).toString("base64url");
const env = { PATH: process.env.PATH, HOME: process.env.HOME };

console.log(bold("Kubently demo\n"));
const cluster = await startKubeStandin();
console.log(`simulated cluster (Kubernetes API stand-in) at ${cluster.url}`);

const server = spawnProcess(
  [
    process.execPath,
    "src/index.ts",
    "serve",
    "--port",
    "0",
    "--store",
    `sqlite://${join(dir, "kubently.db")}`,
  ],
  {
    ...env,
    KUBENTLY_API_KEYS: `demo-agent:${apiKey}`,
    KUBENTLY_ADMIN_KEYS: `demo-admin:${adminKey}`,
  },
);
const { url } = JSON.parse(await server.waitForLine(/kubently listening/)) as { url: string };
console.log(`API server (embedded SQLite store) at ${url}`);

const call = async (key: string, method: string, path: string, body?: unknown) => {
  const response = await fetch(url + path, {
    method,
    headers: { "x-api-key": key, "content-type": "application/json", "x-correlation-id": "demo-walkthrough" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as unknown };
};

const issued = await call(adminKey, "POST", "/admin/clusters/demo/token");
const token = (issued.body as { token: string }).token;
console.log("executor token issued for cluster 'demo' (shown once, stored hashed)");

const executor = spawnProcess([process.execPath, "executor/index.ts"], {
  ...env,
  KUBENTLY_API_URL: url,
  KUBENTLY_CLUSTER_ID: "demo",
  KUBENTLY_TOKEN: token,
  KUBECONFIG: cluster.kubeconfigPath,
  KUBENTLY_CACHE_DIR: join(dir, "kubectl-cache"),
});
const connected = JSON.parse(await executor.waitForLine(/"msg":"connected"/)) as { transport: string };
console.log(`executor connected outbound over ${connected.transport}\n`);

const session = (await call(apiKey, "POST", "/debug/session", { cluster_id: "demo", user_id: "demo-user" }))
  .body as {
  session_id: string;
};
console.log(dim(`session ${session.session_id} started\n`));

const steps: [string, string[]][] = [
  ["Which pods are unhappy?", ["get", "pods", "-n", SHOP_NAMESPACE]],
  ["Why is checkout restarting?", ["describe", "pod", CRASHING_POD, "-n", SHOP_NAMESPACE]],
  ["What did it print before dying?", ["logs", CRASHING_POD, "-n", SHOP_NAMESPACE]],
  ["What happened in the namespace?", ["get", "events", "-n", SHOP_NAMESPACE]],
  [
    "Can the agent read the secrets? (the executor's policy says no)",
    ["get", "secrets", "-n", SHOP_NAMESPACE, "-o", "yaml"],
  ],
  ["Can it delete the pod? (read-only: no)", ["delete", "pod", CRASHING_POD, "-n", SHOP_NAMESPACE]],
];
for (const [question, [verb, ...args]] of steps) {
  console.log(bold(`# ${question}`));
  console.log(bold(`$ kubectl ${[verb, ...args].join(" ")}`));
  const { status, body } = await call(apiKey, "POST", "/debug/execute", {
    session_id: session.session_id,
    command_type: verb,
    args,
  });
  if (status === 200) {
    const result = body as CommandResult;
    process.stdout.write(result.stdout + result.stderr);
    console.log(
      dim(`→ ${result.status}, exit ${result.exit_code}, ${result.execution_time_ms} ms in the cluster\n`),
    );
  } else {
    const error = body as ErrorBody;
    console.log(`${status} ${error.details.code}: ${error.error}\n`);
  }
}
await call(apiKey, "DELETE", `/debug/session/${session.session_id}`);

const stop = async () => {
  executor.proc.kill("SIGTERM");
  server.proc.kill("SIGTERM");
  await Promise.all([executor.proc.exited, server.proc.exited]);
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
  console.log("stopped server, executor and simulated cluster");
  process.exit(0);
};
if (once) await stop();
printNextSteps();
process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());

/**
 * Where a new user goes from here, with this run's URL and keys: each line works as printed while
 * the demo runs (test/e2e/demo.test.ts opens the URLs and runs the CLI line).
 */
function printNextSteps() {
  const cli = `${process.execPath} ${join(import.meta.dir, "..", "src", "index.ts")}`;
  console.log(bold("Everything is still running until Ctrl-C. Where to go next:"));
  console.log(`  API docs (Swagger UI)   ${url}/docs`);
  console.log(`  status page             ${url}/ui   (sign in with the admin key ${adminKey})`);
  console.log("  the CLI, in another terminal (or ./dist/kubently after npm run build):");
  console.log(`    export KUBENTLY_URL=${url} KUBENTLY_API_KEY=${apiKey} KUBENTLY_ADMIN_KEY=${adminKey}`);
  console.log(`    alias kubently='${cli}'`);
  console.log(`    kubently exec demo get pods -n ${SHOP_NAMESPACE}`);
  console.log("    kubently clusters");
  console.log("    kubently audit list");
  console.log("  curl:");
  console.log(`    curl -s -H 'X-API-Key: ${apiKey}' -H 'content-type: application/json' \\
      -d '{"cluster_id":"demo","command_type":"get","args":["deployments","-A"]}' ${url}/debug/execute`);
  console.log("Ctrl-C stops everything.");
}
