/**
 * The cluster gate against real kubectl and the Kubernetes API stand-in. Each attack below once
 * passed the argv policy and made a request the policy forbids; here kubectl is run with the gate's
 * kubeconfig only (no argv layer), and what the stand-in received is judged by `forbidden`, written
 * apart from the gate's own parser. Plain kubectl against the stand-in, with the real credentials,
 * is the oracle: legitimate reads print exactly what it prints, and where the gate filters, the
 * oracle shows that the filtered text was really there.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type KubeStandin, type RecordedRequest, startKubeStandin } from "../k8s/standin";
import { type Finished, runToEnd } from "../support/process";
import { type GateHarness, startGateHarness } from "./harness";

const POLICY = { deniedNamespaces: ["kube-*"] };
const DANGEROUS = new Set(["proxy", "exec", "attach", "portforward", "token", "eviction"]);

/** What the policy forbids, judged on the raw path: written apart from executor/gate on purpose. */
function forbidden(request: RecordedRequest): string | undefined {
  const segments = request.pathname.split("/").filter(Boolean);
  if (request.method !== "GET") return `${request.method} ${request.pathname}`;
  if (segments.includes("secrets")) return `secrets: ${request.pathname}`;
  const sub = segments.find((s) => DANGEROUS.has(s));
  if (sub) return `${sub}: ${request.pathname}`;
  const ns = segments.findIndex((s, i) => s === "namespaces" && segments[i + 1]?.startsWith("kube-"));
  if (ns !== -1) return `denied namespace: ${request.pathname}`;
  return undefined;
}

let standin: KubeStandin;
let gated: GateHarness;

/** The oracle: plain kubectl with the stand-in's own kubeconfig and credential. */
function direct(argv: string[]): Promise<Finished> {
  return runToEnd(["kubectl", ...argv], {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    KUBECONFIG: standin.kubeconfigPath,
  });
}

beforeAll(async () => {
  standin = await startKubeStandin({ tls: true });
  gated = await startGateHarness(standin, POLICY);
});
afterAll(async () => {
  await gated.stop();
  await standin.stop();
});

describe("requests the policy forbids never reach the cluster", () => {
  test("describe serviceaccount: the Secrets list is refused as restricted", async () => {
    const { report, received } = await gated.run(["describe", "serviceaccount", "default", "-n", "shop"]);
    expect(received.map(forbidden).filter(Boolean)).toEqual([]);
    expect(report.first_refusal).toEqual({
      method: "GET",
      path: "/api/v1/namespaces/shop/secrets",
      rule: "RESOURCE_RESTRICTED",
    });
  });

  for (const argv of [
    ["cluster-info"],
    ["get", "pods", "-n", "kube-system"],
    ["logs", "-n", "kube-system", "deploy/coredns"],
  ]) {
    test(`${argv.join(" ")}: kube-system is refused`, async () => {
      const { outcome, report, received } = await gated.run(argv);
      expect(received.map(forbidden).filter(Boolean)).toEqual([]);
      expect(report.first_refusal?.rule).toBe("NAMESPACE_DENIED");
      expect(outcome.exitCode).not.toBe(0);
      expect(outcome.stderr).toMatch(
        /kubently cluster gate refused GET \/apis?\/\S*namespaces\/kube-system\//,
      );
    });
  }

  // Cluster-wide lists come back with only the allowed namespaces' items; the oracle shows the rest existed.
  test("describe nodes: other namespaces' pods and events are filtered, the node lease in kube-node-lease refused", async () => {
    const argv = ["describe", "nodes"];
    const oracle = await direct(argv);
    expect(oracle.stdout).toContain("kube-system");
    const { outcome, report, received } = await gated.run(argv);
    expect(received.map(forbidden).filter(Boolean)).toEqual([]);
    expect(outcome.stdout).not.toContain("kube-system");
    expect(outcome.stdout).toContain("shop");
    expect(report.first_refusal?.path).toStartWith(
      "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/",
    );
  });

  for (const argv of [
    ["describe", "ns"],
    ["get", "ns", "-o", "yaml"],
    ["get", "ns"],
    ["get", "pods", "-A"],
    ["get", "services", "-A", "-o", "json"],
  ]) {
    test(`${argv.join(" ")}: denied namespaces are filtered out`, async () => {
      const oracle = await direct(argv);
      expect(oracle.stdout).toContain("kube-system");
      const { outcome, report, received } = await gated.run(argv);
      expect(received.map(forbidden).filter(Boolean)).toEqual([]);
      expect(report.refused).toBe(0);
      expect(outcome.exitCode).toBe(0);
      expect(outcome.stdout).not.toContain("kube-system");
      expect(outcome.stdout).toContain("shop");
    });
  }

  test("describe ns kube: the name-prefix fallback finds no denied namespace", async () => {
    const oracle = await direct(["describe", "ns", "kube"]);
    expect(oracle.stdout).toContain("kube-system");
    const { outcome, received } = await gated.run(["describe", "ns", "kube"]);
    expect(received.map(forbidden).filter(Boolean)).toEqual([]);
    expect(outcome.stdout).not.toContain("kube-system");
    expect(outcome.exitCode).not.toBe(0);
  });

  for (const sub of ["proxy", "exec", "attach", "portforward", "eviction"]) {
    test(`get pod --subresource=${sub} is refused`, async () => {
      const { report, received } = await gated.run([
        "get",
        "pod",
        "checkout",
        "-n",
        "shop",
        `--subresource=${sub}`,
      ]);
      expect(received.map(forbidden).filter(Boolean)).toEqual([]);
      expect(report.first_refusal?.rule).toBe("SUBRESOURCE_NOT_ALLOWED");
    });
  }

  for (const argv of [
    ["delete", "pod", "checkout", "-n", "shop"],
    ["create", "configmap", "x", "-n", "shop", "--from-literal=a=b"],
    ["label", "ns", "shop", "owner=me"],
  ]) {
    test(`${argv[0]}: writes are refused`, async () => {
      const { outcome, report, received } = await gated.run(argv);
      expect(received.map(forbidden).filter(Boolean)).toEqual([]);
      expect(report.first_refusal?.rule).toBe("METHOD_NOT_ALLOWED");
      expect(outcome.exitCode).not.toBe(0);
    });
  }

  for (const type of ["secrets", "Secret", "secrets.v1.", "secret/checkout-secrets"]) {
    test(`get ${type} is refused under every spelling`, async () => {
      const { report, received } = await gated.run(["get", type, "-n", "shop"]);
      expect(received.map(forbidden).filter(Boolean)).toEqual([]);
      expect(report.first_refusal?.rule).toBe("RESOURCE_RESTRICTED");
    });
  }
});

describe("legitimate reads print what kubectl prints", () => {
  for (const argv of [
    ["get", "pods", "-n", "shop"],
    ["get", "pods", "-n", "shop", "-o", "yaml"],
    ["get", "pods", "-n", "shop", "-l", "app=checkout", "-o", "wide"],
    ["get", "pods", "-n", "shop", "--field-selector", "status.phase=Running"],
    ["describe", "pod", "-n", "shop", "-l", "app=checkout"],
    ["logs", "-n", "shop", "deploy/checkout", "--tail", "5"],
    ["events", "-n", "shop"],
    ["get", "nodes"],
    ["api-resources"],
    ["version", "-o", "json"],
  ]) {
    test(argv.join(" "), async () => {
      // Ages count seconds: the oracle runs before and after, and one of the two is in the same second.
      const before = await direct(argv);
      expect(before.code).toBe(0);
      const { outcome, report } = await gated.run(argv);
      const after = await direct(argv);
      expect([before.stdout, after.stdout]).toContain(outcome.stdout);
      expect(outcome.exitCode).toBe(0);
      expect(report.refused).toBe(0);
      expect(report.requests).toBeGreaterThan(0);
      expect(report.bytes_read).toBeGreaterThan(0);
    });
  }
});

describe("credentials and identity", () => {
  test("the cluster sees Kubently, the caller and the command, and its audit id", async () => {
    const commandId = crypto.randomUUID();
    const { received } = await gated.run(["get", "pods", "-n", "shop"], {
      commandId,
      serviceIdentity: "triage-bot",
      correlationId: "incident-4711",
    });
    expect(received.length).toBeGreaterThan(0);
    for (const request of received) {
      expect(request.headers["user-agent"]).toStartWith(
        `kubently-executor/test (service=triage-bot; command=${commandId}) kubectl`,
      );
      expect(request.headers["audit-id"]).toBe("incident-4711");
      expect(request.headers.authorization).toBe(`Bearer ${standin.token}`);
    }
  });

  test("kubectl's own impersonation and credentials never pass the gate", async () => {
    const { outcome, received } = await gated.run([
      "--as=system:admin",
      "--as-group=system:masters",
      "get",
      "pods",
      "-n",
      "shop",
    ]);
    expect(outcome.exitCode).toBe(0);
    for (const request of received) {
      expect(request.headers["impersonate-user"]).toBeUndefined();
      expect(request.headers["impersonate-group"]).toBeUndefined();
    }
  });

  test("a request without a command's credential is refused, and so is one after the command ended", async () => {
    const before = standin.requests.length;
    const bogus = await fetch(`${gated.gate.url}/api/v1/namespaces/shop/pods`, {
      headers: { authorization: "Bearer kgc_not-a-grant" },
      tls: { rejectUnauthorized: false },
    });
    expect(bogus.status).toBe(401);
    const none = await fetch(`${gated.gate.url}/version`, { tls: { rejectUnauthorized: false } });
    expect(none.status).toBe(401);
    const grant = gated.gate.open({ commandId: crypto.randomUUID(), serviceIdentity: "agent" });
    const token = /token: (\S+)/.exec(await Bun.file(grant.kubeconfigPath()).text())?.[1];
    grant.close();
    const late = await fetch(`${gated.gate.url}/version`, {
      headers: { authorization: `Bearer ${token}` },
      tls: { rejectUnauthorized: false },
    });
    expect(late.status).toBe(401);
    expect(standin.requests.length).toBe(before);
  });

  test("an extra --server sends only the command's gate credential, never the cluster's", async () => {
    const { outcome, received } = await gated.run([
      `--server=${standin.url}`,
      "--insecure-skip-tls-verify",
      "--certificate-authority=",
      "get",
      "pods",
    ]);
    expect(outcome.exitCode).not.toBe(0);
    for (const request of received) expect(request.headers.authorization).not.toBe(`Bearer ${standin.token}`);
  });
});

describe("impersonation from the policy's mapping", () => {
  let mapped: GateHarness;
  beforeAll(async () => {
    mapped = await startGateHarness(standin, {
      impersonate: {
        "triage-bot": { user: "alice@example.com", groups: ["sre", "readers"] },
        "oidc:bob@example.com": { user: "bob@example.com", groups: ["shop-devs"] },
      },
    });
  });
  afterAll(() => mapped.stop());

  test("a mapped service's requests impersonate its user and groups", async () => {
    const { outcome, received } = await mapped.run(["get", "pods", "-n", "shop"], {
      serviceIdentity: "triage-bot",
    });
    expect(outcome.exitCode).toBe(0);
    for (const request of received) {
      expect(request.headers["impersonate-user"]).toBe("alice@example.com");
      expect(request.headers["impersonate-group"]).toBe("sre, readers");
    }
  });

  test("a person signed in through OIDC is mapped by their oidc:USER identity", async () => {
    const { outcome, received } = await mapped.run(["get", "pods", "-n", "shop"], {
      serviceIdentity: "oidc:bob@example.com",
    });
    expect(outcome.exitCode).toBe(0);
    for (const request of received) {
      expect(request.headers["impersonate-user"]).toBe("bob@example.com");
      expect(request.headers["impersonate-group"]).toBe("shop-devs");
      expect(request.headers["user-agent"]).toContain("service=oidc:bob@example.com;");
    }
  });

  test("an unmapped service is refused rather than sent with the executor's own rights", async () => {
    const { report, received } = await mapped.run(["get", "pods", "-n", "shop"], {
      serviceIdentity: "someone-else",
    });
    expect(received).toEqual([]);
    expect(report.first_refusal?.rule).toBe("IMPERSONATION_UNMAPPED");
  });
});

describe("request bodies", () => {
  test("a body larger than a review is refused before it is read, and nothing is forwarded", async () => {
    const grant = gated.gate.open({ commandId: crypto.randomUUID(), serviceIdentity: "agent" });
    const token = /token: (\S+)/.exec(await Bun.file(grant.kubeconfigPath()).text())?.[1];
    const before = standin.requests.length;
    const response = await fetch(`${gated.gate.url}/apis/authorization.k8s.io/v1/selfsubjectaccessreviews`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: "x".repeat(1024 * 1024),
      tls: { rejectUnauthorized: false },
    }).catch(() => undefined);
    const report = grant.close();
    expect(response?.ok ?? false).toBe(false);
    // Refused by the listener itself: the gate's handler never saw it, so it was never read whole.
    expect(report.requests).toBe(0);
    expect(standin.requests.length).toBe(before);
  });
});
