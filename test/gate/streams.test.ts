/**
 * What streams through the gate arrives as it comes (a follow or a watch is never buffered whole,
 * and a watch is filtered event by event), and the in-cluster credentials: the ServiceAccount token
 * is re-read when the kubelet rotated it, and kubectl pointed at the token file directly reaches
 * nothing with it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { kubectlEnv } from "../../executor/runner";
import { type KubeStandin, startKubeStandin } from "../k8s/standin";
import { type GateHarness, startGateHarness } from "./harness";

let standin: KubeStandin;
let serviceAccountDir: string;
let gated: GateHarness;

/** The stand-in's CA, as its kubeconfig carries it: what the kubelet would mount as ca.crt. */
function standinCa(): string {
  const doc = parseYaml(readFileSync(standin.kubeconfigPath, "utf8")) as {
    clusters: { cluster: { "certificate-authority-data": string } }[];
  };
  return Buffer.from(doc.clusters[0]?.cluster["certificate-authority-data"] ?? "", "base64").toString("utf8");
}

beforeAll(async () => {
  standin = await startKubeStandin({ tls: true, token: "sa-token-one" });
  serviceAccountDir = mkdtempSync(join(tmpdir(), "kubently-sa-"));
  writeFileSync(join(serviceAccountDir, "token"), "sa-token-one");
  writeFileSync(join(serviceAccountDir, "ca.crt"), standinCa());
  const port = new URL(standin.url).port;
  gated = await startGateHarness(
    standin,
    { deniedNamespaces: ["kube-*"] },
    { KUBERNETES_SERVICE_HOST: "127.0.0.1", KUBERNETES_SERVICE_PORT: port, SA_DIR: serviceAccountDir },
  );
});
afterAll(async () => {
  await gated.stop();
  await standin.stop();
  rmSync(serviceAccountDir, { recursive: true, force: true });
});

/** Starts kubectl through a fresh grant and resolves with its stdout once `until` matches, still running. */
async function streamUntil(argv: string[], until: RegExp): Promise<{ seen: string; running: boolean }> {
  const grant = gated.gate.open({ commandId: crypto.randomUUID(), serviceIdentity: "agent" });
  const runtime = mkdtempSync(join(tmpdir(), "kubently-stream-"));
  const proc = Bun.spawn(["kubectl", ...argv], {
    env: { ...kubectlEnv(process.env, join(runtime, "cache"), runtime), KUBECONFIG: grant.kubeconfigPath() },
    stdout: "pipe",
    stderr: "ignore",
  });
  let seen = "";
  const decoder = new TextDecoder();
  for await (const chunk of proc.stdout) {
    seen += decoder.decode(chunk, { stream: true });
    if (until.test(seen)) break;
  }
  const running = proc.exitCode === null;
  grant.close();
  proc.kill();
  await proc.exited;
  rmSync(runtime, { recursive: true, force: true });
  return { seen, running };
}

describe("streams", () => {
  test("logs -f: lines arrive while the follow is still open", async () => {
    const { seen, running } = await streamUntil(["logs", "-f", "-n", "shop", "deploy/frontend"], /\n/);
    expect(running).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
  });

  test("get -w across namespaces: rows arrive while the watch is open, denied namespaces filtered out", async () => {
    // The stand-in sends the initial events by namespace: kube-system's before shop's.
    const { seen, running } = await streamUntil(["get", "pods", "-A", "-w"], /shop\s+frontend/);
    expect(running).toBe(true);
    expect(seen).toContain("external-secrets");
    expect(seen).not.toContain("kube-system");
  });
});

describe("in-cluster credentials", () => {
  test("a rotated ServiceAccount token is read again on the API server's 401", async () => {
    expect((await gated.run(["get", "pods", "-n", "shop"])).outcome.exitCode).toBe(0);
    writeFileSync(join(serviceAccountDir, "token"), "sa-token-two");
    standin.rotateToken("sa-token-two");
    const { outcome, received } = await gated.run(["get", "pods", "-n", "shop"]);
    expect(outcome.exitCode).toBe(0);
    expect(received.at(-1)?.headers.authorization).toBe("Bearer sa-token-two");
  });

  test("kubectl given the token file as --kubeconfig, or the cluster as --server, carries no cluster credential", async () => {
    for (const extra of [[`--kubeconfig=${join(serviceAccountDir, "token")}`], [`--server=${standin.url}`]]) {
      const { outcome, received } = await gated.run([...extra, "get", "pods", "-n", "shop"]);
      expect(outcome.exitCode).not.toBe(0);
      for (const request of received)
        expect(request.headers.authorization).not.toBe(`Bearer ${standin.token}`);
    }
  });
});
