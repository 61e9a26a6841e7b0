// The `lab` namespace's ServiceAccounts, shaped for what `kubectl describe serviceaccount` prints:
// one with a cloud role annotation, two image pull secrets (one gone) and a legacy token Secret it
// mounts; one with nothing; one naming a token Secret that is gone while another token Secret names
// it by name and uid (and a third names an earlier account of the same name, by another uid).
// Where the policy lets Secrets be read, the gate redacts every value of their data with a marker
// written in base64, which kubectl's typed client decodes. A `pipelines` namespace also holds
// Secrets with no data yet (a token Secret the token controller has not filled, an Opaque
// placeholder), where kubectl shows a token and a pull secret that is gone.

import type { FixtureBuilder } from "./fixture-builders";
import type { KubeObject } from "./types";

const LAB = "lab";
const MIN = 60;
const TOKEN = "kubernetes.io/service-account-token";

const PIPELINES = "pipelines";

/** A Secret as the API server returns one with no data: no data field at all. */
function emptySecret(b: FixtureBuilder, name: string, type: string, annotations?: Record<string, string>) {
  return b.add({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { ...b.meta("Secret", name, PIPELINES, 9 * MIN), ...(annotations ? { annotations } : {}) },
    type,
  });
}

function pipelines(b: FixtureBuilder): KubeObject[] {
  const deployer = b.add({
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { ...b.meta("ServiceAccount", "deployer", PIPELINES, 9 * MIN), labels: { team: "platform" } },
    imagePullSecrets: [{ name: "gone-registry" }],
    secrets: [{ name: "deployer-token-pending" }],
  });
  return [
    b.namespace(PIPELINES, 10 * MIN),
    b.serviceAccount(PIPELINES, "default", 10 * MIN),
    deployer,
    emptySecret(b, "deployer-token-pending", TOKEN, {
      "kubernetes.io/service-account.name": "deployer",
      "kubernetes.io/service-account.uid": deployer.metadata.uid ?? "",
    }),
    emptySecret(b, "placeholder", "Opaque"),
  ];
}

export function labAccounts(b: FixtureBuilder): KubeObject[] {
  const account = (name: string, extra: Record<string, unknown>, meta: Record<string, unknown> = {}) =>
    b.add({
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { ...b.meta("ServiceAccount", name, LAB, 29 * MIN), ...meta },
      ...extra,
    });
  const web = account(
    "web",
    {
      imagePullSecrets: [{ name: "registry-creds" }, { name: "old-registry" }],
      secrets: [{ name: "web-token-x7k2p" }],
    },
    {
      labels: { app: "web", team: "web" },
      annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/lab-web" },
    },
  );
  const ci = account("ci", { automountServiceAccountToken: false }, { labels: { team: "platform" } });
  const builder = account(
    "builder",
    { secrets: [{ name: "builder-token-gone" }] },
    { labels: { team: "platform" } },
  );
  const token = (name: string, owner: KubeObject, uid = owner.metadata.uid ?? "") =>
    b.secret(LAB, name, TOKEN, { token: "not-a-real-token", namespace: LAB }, 29 * MIN, {
      annotations: {
        "kubernetes.io/service-account.name": owner.metadata.name,
        "kubernetes.io/service-account.uid": uid,
      },
    });
  return [
    web,
    ci,
    builder,
    b.secret(
      LAB,
      "registry-creds",
      "kubernetes.io/dockerconfigjson",
      { ".dockerconfigjson": "{}" },
      29 * MIN,
    ),
    token("web-token-x7k2p", web),
    token("builder-token-q9w8e", builder),
    token("builder-token-stale", builder, b.uid("ServiceAccount/lab/builder-before")),
    ...pipelines(b),
  ];
}
