// The `lab` namespace's Ingresses, shaped for what `kubectl describe ingress` prints over the lab's
// Services (describe-scenario.ts): `web` routes two hosts and a catch-all to the gateway by port
// name and by number, to the headless Service, to an ExternalName Service and to a Service that is
// not there, with two TLS entries (one SNI only) and two load balancer addresses; `assets` has only a
// resource backend; `fallback` has a Service default backend and a rule without HTTP paths.

import type { FixtureBuilder } from "./fixture-builders";
import type { KubeObject } from "./types";

const MIN = 60;
const LAB = "lab";

const route = (path: string, service: string, port: { name: string } | { number: number }) => ({
  path,
  pathType: "Prefix",
  backend: { service: { name: service, port } },
});

export function labIngresses(b: FixtureBuilder): KubeObject[] {
  const web = b.add({
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: {
      ...b.meta("Ingress", "web", LAB, 27 * MIN),
      generation: 3,
      labels: { app: "web", tier: "edge" },
      annotations: {
        "nginx.ingress.kubernetes.io/proxy-body-size": "8m",
        "nginx.ingress.kubernetes.io/ssl-redirect": "true",
      },
    },
    spec: {
      ingressClassName: "nginx",
      tls: [
        { hosts: ["lab.example.com", "www.lab.example.com"], secretName: "lab-tls" },
        { hosts: ["sni.lab.example.com"] },
      ],
      rules: [
        {
          host: "lab.example.com",
          http: {
            paths: [route("/", "gateway", { name: "http" }), route("/metrics", "gateway", { number: 9090 })],
          },
        },
        { host: "headless.lab.example.com", http: { paths: [route("/", "headless", { number: 80 })] } },
        {
          http: {
            paths: [
              route("/db", "external-db", { number: 5432 }),
              route("/status", "status-page", { number: 80 }),
            ],
          },
        },
      ],
    },
    status: {
      loadBalancer: {
        ingress: [{ hostname: "k8s-lab-web-4f2a9c1d7e.elb.eu-west-1.amazonaws.com" }, { ip: "203.0.113.10" }],
      },
    },
  });
  const assets = b.add({
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { ...b.meta("Ingress", "assets", LAB, 22 * MIN), generation: 1 },
    spec: {
      defaultBackend: {
        resource: { apiGroup: "k8s.example.com", kind: "StorageBucket", name: "static-assets" },
      },
    },
    status: { loadBalancer: {} },
  });
  const fallback = b.add({
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { ...b.meta("Ingress", "fallback", LAB, 21 * MIN), generation: 1, labels: { app: "web" } },
    spec: {
      ingressClassName: "nginx",
      defaultBackend: { service: { name: "gateway", port: { name: "metrics" } } },
      rules: [{ host: "old.lab.example.com" }],
    },
    status: { loadBalancer: { ingress: [{ ip: "203.0.113.10" }] } },
  });
  const sync = (involved: KubeObject, ago: number, count = 1) =>
    b.event({
      namespace: LAB,
      involved,
      reason: "Sync",
      message: "Scheduled for sync",
      component: "nginx-ingress-controller",
      firstAgo: ago,
      count,
      lastAgo: count > 1 ? 4 * MIN : ago,
    });
  return [web, assets, fallback, sync(web, 27 * MIN, 3), sync(fallback, 21 * MIN)];
}
