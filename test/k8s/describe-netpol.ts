// The `lab` namespace's NetworkPolicies, shaped for what `kubectl describe networkpolicy` prints:
// `default-deny` isolates every pod both ways; `web-allow` lets in a namespace's and a selector's
// pods, an address block with an exception, on a port, a named port and a port range, and from
// pods picked by expressions on any port; `dns-egress` lets out DNS to kube-system, anything to
// any address, and HTTPS anywhere. Written out as the API server returns them, protocols defaulted.

import type { FixtureBuilder } from "./fixture-builders";
import type { KubeObject } from "./types";

const MIN = 60;
const LAB = "lab";

function policy(b: FixtureBuilder, name: string, createdAgo: number, spec: object): KubeObject {
  return b.add({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: {
      ...b.meta("NetworkPolicy", name, LAB, createdAgo),
      generation: 1,
      labels: { team: "platform" },
    },
    spec,
  });
}

const namespaced = (name: string) => ({ matchLabels: { "kubernetes.io/metadata.name": name } });

export function labNetworkPolicies(b: FixtureBuilder): KubeObject[] {
  return [
    policy(b, "default-deny", 29 * MIN, { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
    policy(b, "web-allow", 28 * MIN, {
      podSelector: { matchLabels: { app: "web" } },
      ingress: [
        {
          from: [
            { namespaceSelector: namespaced("shop"), podSelector: { matchLabels: { app: "frontend" } } },
            { ipBlock: { cidr: "10.0.0.0/16", except: ["10.0.5.0/24", "10.0.6.0/24"] } },
            { namespaceSelector: {} },
          ],
          ports: [
            { protocol: "TCP", port: 8080 },
            { protocol: "TCP", port: "http" },
            { protocol: "UDP", port: 30000, endPort: 30100 },
          ],
        },
        {
          from: [
            {
              podSelector: {
                matchExpressions: [
                  { key: "tier", operator: "In", values: ["edge", "api"] },
                  { key: "canary", operator: "DoesNotExist" },
                ],
              },
            },
          ],
        },
      ],
      policyTypes: ["Ingress"],
    }),
    policy(b, "dns-egress", 27 * MIN, {
      podSelector: { matchExpressions: [{ key: "app", operator: "Exists" }] },
      egress: [
        {
          to: [
            {
              namespaceSelector: namespaced("kube-system"),
              podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
            },
          ],
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
        { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] },
        { ports: [{ protocol: "TCP", port: 443 }] },
      ],
      policyTypes: ["Egress"],
    }),
  ];
}
