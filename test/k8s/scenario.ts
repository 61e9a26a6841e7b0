// The default cluster the Kubernetes API stand-in serves: an EKS-like cluster whose
// `shop` namespace has a crash-looping checkout pod (new release, empty payment key).
// All timestamps are relative to `now`, so ages print the same on every run.

import { addEndpointSlices, addEndpoints } from "./endpoints";
import { FixtureBuilder, nodeIP } from "./fixture-builders";
import { resourceMetrics } from "./metrics";
import type { Scenario } from "./types";

export type { Scenario } from "./types";

export const SHOP_NAMESPACE = "shop";
export const CRASHING_POD = "checkout-7d9f8b6c5-x2x9q";
export const CRASHING_CONTAINER = "checkout";
/** The line the crashing container dies with (in both current and previous logs). */
export const CRASH_LOG_LINE = "ConfigError: PAYMENT_API_KEY must be set (got empty string)";
export const HEALTHY_POD = "credit-service-58c4b6d9f7-m4p8z";
export const SECRET_NAME = "checkout-secrets";
export const NODE_NAMES = [
  "ip-10-0-1-23.eu-west-1.compute.internal",
  "ip-10-0-2-47.eu-west-1.compute.internal",
] as const;

const MIN = 60;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export function defaultScenario(now: Date = new Date()): Scenario {
  const b = new FixtureBuilder(now);
  const [node1, node2] = NODE_NAMES;

  for (const [name, age] of [
    ["default", 47 * DAY],
    ["kube-node-lease", 47 * DAY],
    ["kube-public", 47 * DAY],
    ["kube-system", 47 * DAY],
    ["external-secrets", 32 * DAY + 3 * HOUR],
    ["shop", 32 * DAY],
  ] as const) {
    b.namespace(name, age);
    b.configMap(name, "kube-root-ca.crt", { "ca.crt": FAKE_CA }, age);
    b.serviceAccount(name, "default", age);
  }
  b.nodeLease(
    b.node(node1, {
      ip: nodeIP(node1),
      zone: "eu-west-1a",
      createdAgo: 9 * DAY + 2 * HOUR,
      podCIDR: "10.0.1.0/24",
    }),
  );
  b.nodeLease(
    b.node(node2, {
      ip: nodeIP(node2),
      zone: "eu-west-1b",
      createdAgo: 6 * DAY + 5 * HOUR,
      podCIDR: "10.0.2.0/24",
    }),
  );

  // kube-system
  b.deployment(
    {
      namespace: "kube-system",
      name: "coredns",
      replicas: 2,
      labels: { "k8s-app": "kube-dns" },
      containers: [
        {
          name: "coredns",
          image: "registry.k8s.io/coredns/coredns:v1.11.3",
          port: 8181,
          args: ["-conf", "/etc/coredns/Corefile"],
          probePath: "/ready",
        },
      ],
      createdAgo: 47 * DAY,
      serviceAccountName: "coredns",
      priorityClassName: "system-cluster-critical",
    },
    [{ hash: "5d78c9869d", revision: 1, createdAgo: 47 * DAY, replicas: 2 }],
    [
      {
        suffix: "8k2lw",
        node: node1,
        ip: "10.0.1.104",
        createdAgo: 9 * DAY + HOUR,
        state: { kind: "running" },
      },
      {
        suffix: "tq6vn",
        node: node2,
        ip: "10.0.2.31",
        createdAgo: 6 * DAY + 4 * HOUR,
        state: { kind: "running" },
      },
    ],
  );
  b.deployment(
    {
      namespace: "kube-system",
      name: "cluster-autoscaler",
      replicas: 1,
      labels: { app: "cluster-autoscaler" },
      containers: [
        {
          name: "cluster-autoscaler",
          image: "registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.1",
          port: 8085,
          args: [
            "--cloud-provider=aws",
            "--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled",
          ],
        },
      ],
      createdAgo: 47 * DAY,
      serviceAccountName: "cluster-autoscaler",
      priorityClassName: "system-cluster-critical",
    },
    [{ hash: "6f7c9d8b5", revision: 1, createdAgo: 47 * DAY, replicas: 1 }],
    [
      {
        suffix: "hx4nt",
        node: node2,
        ip: "10.0.2.58",
        createdAgo: 6 * DAY + 4 * HOUR,
        state: { kind: "running" },
      },
    ],
  );
  b.configMap("kube-system", "coredns", { Corefile: COREFILE }, 47 * DAY);
  b.service("kube-system", "kube-dns", {
    clusterIP: "10.96.0.10",
    ports: [
      { name: "dns", port: 53, protocol: "UDP", targetPort: 53 },
      { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: 53 },
      { name: "metrics", port: 9153, protocol: "TCP", targetPort: 9153 },
    ],
    selector: { "k8s-app": "kube-dns" },
    // As kubeadm labels it: `kubectl cluster-info` lists the services carrying cluster-service=true.
    labels: {
      "k8s-app": "kube-dns",
      "kubernetes.io/cluster-service": "true",
      "kubernetes.io/name": "CoreDNS",
    },
    createdAgo: 47 * DAY,
  });
  // As the metrics-server addon manifest labels it; its port, 443 named https, is one cluster-info links by https.
  b.service("kube-system", "metrics-server", {
    clusterIP: "10.96.38.112",
    ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: "https" }],
    selector: { "k8s-app": "metrics-server" },
    labels: {
      "k8s-app": "metrics-server",
      "kubernetes.io/cluster-service": "true",
      "kubernetes.io/name": "Metrics-server",
    },
    createdAgo: 47 * DAY,
  });
  b.service("default", "kubernetes", {
    clusterIP: "10.96.0.1",
    ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: 443 }],
    labels: { component: "apiserver", provider: "kubernetes" },
    createdAgo: 47 * DAY,
  });

  // external-secrets
  b.deployment(
    {
      namespace: "external-secrets",
      name: "external-secrets",
      replicas: 1,
      labels: {
        "app.kubernetes.io/name": "external-secrets",
        "app.kubernetes.io/instance": "external-secrets",
      },
      containers: [
        {
          name: "external-secrets",
          image: "ghcr.io/external-secrets/external-secrets:v0.10.7",
          port: 8080,
          args: ["--concurrent=1"],
        },
      ],
      createdAgo: 32 * DAY + 3 * HOUR,
      serviceAccountName: "external-secrets",
    },
    [{ hash: "7b9c6d5f8", revision: 1, createdAgo: 32 * DAY + 3 * HOUR, replicas: 1 }],
    [
      {
        suffix: "2xk4m",
        node: node1,
        ip: "10.0.1.77",
        createdAgo: 9 * DAY + HOUR,
        state: { kind: "running" },
      },
    ],
  );

  // shop
  const checkout = b.deployment(
    {
      namespace: "shop",
      name: "checkout",
      replicas: 1,
      labels: { app: "checkout" },
      strategy: "Recreate",
      containers: [
        {
          name: "checkout",
          image: "registry.example.com/shop/checkout:2.15.0",
          port: 8080,
          probePath: "/healthz",
          env: [
            { name: "NODE_ENV", value: "production" },
            { name: "DATABASE_URL", valueFrom: { secretKeyRef: { key: "DATABASE_URL", name: SECRET_NAME } } },
            {
              name: "PAYMENT_API_KEY",
              valueFrom: { secretKeyRef: { key: "PAYMENT_API_KEY", name: SECRET_NAME } },
            },
          ],
        },
      ],
      createdAgo: 32 * DAY,
    },
    [
      {
        hash: "5f6b7c8d9",
        revision: 1,
        createdAgo: 32 * DAY,
        replicas: 0,
        images: { checkout: "registry.example.com/shop/checkout:2.14.3" },
      },
      { hash: "7d9f8b6c5", revision: 2, createdAgo: 38 * MIN, replicas: 1 },
    ],
    [
      {
        suffix: "x2x9q",
        node: node1,
        ip: "10.0.1.142",
        createdAgo: 38 * MIN,
        state: { kind: "crashloop", restarts: 10, lastExitCode: 1, lastFinishedAgo: 122 },
      },
    ],
  );
  const frontend = b.deployment(
    {
      namespace: "shop",
      name: "frontend",
      replicas: 2,
      labels: { app: "frontend" },
      containers: [
        {
          name: "frontend",
          image: "registry.example.com/shop/frontend:1.9.2",
          port: 8080,
          probePath: "/healthz",
        },
      ],
      createdAgo: 32 * DAY,
    },
    [
      {
        hash: "7f9b8c6d5",
        revision: 2,
        createdAgo: 12 * DAY,
        replicas: 0,
        images: { frontend: "registry.example.com/shop/frontend:1.9.1" },
      },
      { hash: "6b8d9c7f4d", revision: 3, createdAgo: 50 * MIN, replicas: 2 },
    ],
    [
      { suffix: "k7m2p", node: node1, ip: "10.0.1.57", createdAgo: 50 * MIN, state: { kind: "running" } },
      { suffix: "q9w4z", node: node2, ip: "10.0.2.90", createdAgo: 49 * MIN, state: { kind: "running" } },
    ],
  );
  b.deployment(
    {
      namespace: "shop",
      name: "credit-service",
      replicas: 1,
      labels: { app: "credit-service" },
      containers: [
        {
          name: "credit-service",
          image: "registry.example.com/shop/credit-service:3.4.1",
          port: 8080,
          probePath: "/readyz",
        },
      ],
      createdAgo: 32 * DAY,
    },
    [{ hash: "58c4b6d9f7", revision: 1, createdAgo: 32 * DAY, replicas: 1 }],
    [
      {
        suffix: "m4p8z",
        node: node2,
        ip: "10.0.2.18",
        createdAgo: 6 * DAY + 4 * HOUR,
        state: { kind: "running" },
      },
    ],
  );
  for (const [name, ip] of [
    ["checkout", "10.96.41.17"],
    ["frontend", "10.96.12.201"],
    ["credit-service", "10.96.88.5"],
  ] as const) {
    b.service("shop", name, {
      clusterIP: ip,
      ports: [{ name: "http", port: 80, protocol: "TCP", targetPort: 8080 }],
      selector: { app: name },
      labels: { app: name },
      createdAgo: 32 * DAY,
    });
  }
  b.configMap(
    "shop",
    "checkout-config",
    { LOG_LEVEL: "info", PAYMENT_PROVIDER: "stripe", ORDERS_DB_HOST: "orders-db.shop.svc.cluster.local" },
    32 * DAY,
  );
  b.secret(
    "shop",
    SECRET_NAME,
    "Opaque",
    {
      DATABASE_URL: "postgres://checkout:s3cr3t-db-pass@orders-db.shop.svc.cluster.local:5432/orders",
      PAYMENT_API_KEY: "",
    },
    32 * DAY,
    {
      labels: { "reconcile.external-secrets.io/created-by": "checkout-secrets" },
      annotations: { "reconcile.external-secrets.io/data-hash": "5a1f0e6b3c2d4e8f9a7b6c5d4e3f2a1b" },
      ownerReferences: [
        {
          apiVersion: "external-secrets.io/v1beta1",
          kind: "ExternalSecret",
          name: "checkout-secrets",
          uid: b.uid("ExternalSecret/shop/checkout-secrets"),
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
  );
  b.secret(
    "shop",
    "frontend-tls",
    "kubernetes.io/tls",
    { "tls.crt": FAKE_CA, "tls.key": FAKE_KEY },
    32 * DAY,
  );

  // Events (the API server keeps them for an hour).
  const byName = (name: string) => {
    const obj = b.objects.find((o) => o.metadata.name === name);
    if (!obj) throw new Error(`scenario has no ${name}`);
    return obj;
  };
  const crashing = byName(CRASHING_POD);
  const image = "registry.example.com/shop/checkout:2.15.0";
  const onCrashing = { namespace: "shop", involved: crashing, host: node1 };
  const inContainer = { ...onCrashing, fieldPath: "spec.containers{checkout}", component: "kubelet" };
  b.event({
    namespace: "shop",
    involved: checkout,
    reason: "ScalingReplicaSet",
    message: "Scaled down replica set checkout-5f6b7c8d9 from 1 to 0",
    component: "deployment-controller",
    firstAgo: 38 * MIN + 9,
  });
  b.event({
    namespace: "shop",
    involved: checkout,
    reason: "ScalingReplicaSet",
    message: "Scaled up replica set checkout-7d9f8b6c5 from 0 to 1",
    component: "deployment-controller",
    firstAgo: 38 * MIN + 1,
  });
  b.event({
    namespace: "shop",
    involved: byName("checkout-7d9f8b6c5"),
    reason: "SuccessfulCreate",
    message: `Created pod: ${CRASHING_POD}`,
    component: "replicaset-controller",
    firstAgo: 38 * MIN,
  });
  b.event({
    ...onCrashing,
    reason: "Scheduled",
    message: `Successfully assigned shop/${CRASHING_POD} to ${node1}`,
    component: "default-scheduler",
    firstAgo: 38 * MIN,
    eventTimeOnly: true,
  });
  b.event({ ...inContainer, reason: "Pulling", message: `Pulling image "${image}"`, firstAgo: 38 * MIN - 1 });
  b.event({
    ...inContainer,
    reason: "Pulled",
    message: `Successfully pulled image "${image}" in 2.134s (2.134s including waiting). Image size: 51234567 bytes.`,
    firstAgo: 38 * MIN - 3,
  });
  b.event({
    ...inContainer,
    reason: "Created",
    message: "Created container checkout",
    count: 11,
    firstAgo: 38 * MIN - 3,
    lastAgo: 124,
  });
  b.event({
    ...inContainer,
    reason: "Started",
    message: "Started container checkout",
    count: 11,
    firstAgo: 38 * MIN - 4,
    lastAgo: 124,
  });
  b.event({
    ...inContainer,
    reason: "Pulled",
    message: `Container image "${image}" already present on machine`,
    count: 10,
    firstAgo: 38 * MIN - 16,
    lastAgo: 124,
  });
  b.event({
    ...inContainer,
    type: "Warning",
    reason: "BackOff",
    message: `Back-off restarting failed container checkout in pod ${CRASHING_POD}_shop(${crashing.metadata.uid})`,
    count: 168,
    firstAgo: 38 * MIN - 6,
    lastAgo: 7,
  });
  b.event({
    namespace: "shop",
    involved: {
      apiVersion: "external-secrets.io/v1beta1",
      kind: "ExternalSecret",
      metadata: {
        name: SECRET_NAME,
        namespace: "shop",
        uid: b.uid("ExternalSecret/shop/checkout-secrets"),
        resourceVersion: "48022",
        creationTimestamp: b.ago(32 * DAY),
      },
    },
    type: "Warning",
    reason: "UpdateFailed",
    message: "error processing spec.data[1] (key: shop/checkout/payment-api-key), err: Secret does not exist",
    component: "external-secrets",
    count: 12,
    firstAgo: 41 * MIN,
    lastAgo: 3 * MIN,
  });
  for (const [i, msg] of [
    "Scaled up replica set frontend-6b8d9c7f4d from 0 to 1",
    "Scaled down replica set frontend-7f9b8c6d5 from 2 to 1",
    "Scaled up replica set frontend-6b8d9c7f4d from 1 to 2",
    "Scaled down replica set frontend-7f9b8c6d5 from 1 to 0",
  ].entries()) {
    b.event({
      namespace: "shop",
      involved: frontend,
      reason: "ScalingReplicaSet",
      message: msg,
      component: "deployment-controller",
      firstAgo: 50 * MIN - i * 20,
    });
  }
  b.event({
    namespace: "shop",
    involved: byName("frontend-6b8d9c7f4d-k7m2p"),
    fieldPath: "spec.containers{frontend}",
    type: "Warning",
    reason: "Unhealthy",
    message:
      'Readiness probe failed: Get "http://10.0.1.57:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
    component: "kubelet",
    host: node1,
    count: 3,
    firstAgo: 21 * MIN,
    lastAgo: 19 * MIN,
  });

  // Container logs.
  const crashRun = (end: number): [number, string][] => [
    [end + 2, "> checkout@2.15.0 start"],
    [end + 2, "> node dist/server.js"],
    [end + 2, ""],
    [
      end + 1,
      `{"level":"info","time":"${b.ago(end + 1)}","service":"checkout","version":"2.15.0","msg":"starting checkout service","port":8080}`,
    ],
    [
      end + 1,
      `{"level":"info","time":"${b.ago(end + 1)}","service":"checkout","msg":"loading configuration from environment"}`,
    ],
    [end, "/app/dist/config.js:27"],
    [end, '      throw new ConfigError(name + " must be set (got empty string)");'],
    [end, "      ^"],
    [end, ""],
    [end, CRASH_LOG_LINE],
    [end, "    at requireEnv (/app/dist/config.js:27:13)"],
    [end, "    at loadConfig (/app/dist/config.js:41:22)"],
    [end, "    at Object.<anonymous> (/app/dist/server.js:9:16)"],
    [end, "    at Module._compile (node:internal/modules/cjs/loader:1546:14)"],
    [end, "    at Object..js (node:internal/modules/cjs/loader:1689:10)"],
    [end, "    at Module.load (node:internal/modules/cjs/loader:1318:32)"],
    [end, "    at Function._load (node:internal/modules/cjs/loader:1128:12)"],
    [end, "    at TracingChannel.traceSync (node:diagnostics_channel:322:14)"],
    [end, "    at wrapModuleLoad (node:internal/modules/cjs/loader:219:24)"],
    [end, "    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:170:5)"],
    [end, ""],
    [end, "Node.js v20.18.1"],
  ];
  b.containerLogs("shop", CRASHING_POD, CRASHING_CONTAINER, crashRun(122), crashRun(122 + 300 + 4));
  const probe = (ip: string, ago: number): [number, string] => {
    const t = new Date(now.getTime() - ago * 1000);
    const stamp = t.toUTCString().replace(/^\w+, (\d+) (\w+) (\d+) ([\d:]+) GMT$/, "$1/$2/$3:$4 +0000");
    return [ago, `${ip} - - [${stamp}] "GET /healthz HTTP/1.1" 200 15 "-" "kube-probe/1.32"`];
  };
  for (const [pod, node, ip, age] of [
    ["frontend-6b8d9c7f4d-k7m2p", node1, "10.0.1.57", 50 * MIN],
    ["frontend-6b8d9c7f4d-q9w4z", node2, "10.0.2.90", 49 * MIN],
  ] as const) {
    b.containerLogs("shop", pod, "frontend", [
      [age - 3, `▲ Next.js 14.2.18`],
      [age - 3, `- Local:        http://${pod}:8080`],
      [age - 3, `- Network:      http://${ip}:8080`],
      [age - 3, ""],
      [age - 3, " ✓ Starting..."],
      [age - 4, " ✓ Ready in 412ms"],
      probe(nodeIP(node), 30),
      probe(nodeIP(node), 20),
      probe(nodeIP(node), 10),
    ]);
  }
  b.containerLogs("shop", HEALTHY_POD, "credit-service", [
    [
      6 * DAY + 4 * HOUR - 3,
      '{"level":"info","ts":"startup","msg":"credit-service listening","addr":":8080","version":"3.4.1"}',
    ],
    [
      95,
      '{"level":"info","msg":"credit check completed","customer":"c-10482","decision":"approved","latency_ms":41}',
    ],
    [
      61,
      '{"level":"info","msg":"credit check completed","customer":"c-10977","decision":"approved","latency_ms":38}',
    ],
    [12, '{"level":"warn","msg":"credit bureau slow response","latency_ms":1840,"provider":"bureau-eu"}'],
  ]);
  for (const [suffix, age] of [
    ["8k2lw", 9 * DAY + HOUR],
    ["tq6vn", 6 * DAY + 4 * HOUR],
  ] as const) {
    b.containerLogs("kube-system", `coredns-5d78c9869d-${suffix}`, "coredns", [
      [age - 2, ".:53"],
      [
        age - 2,
        "[INFO] plugin/reload: Running configuration SHA512 = 8a7d59126e7f114ab49c6d2613be93d8ef7d408af8ee61a710210843dc409f03133727e38f64469d9bb180f396c84ebf48a42bde3b3769730865ca9df5eb281c",
      ],
      [age - 2, "CoreDNS-1.11.3"],
      [age - 2, "linux/amd64, go1.21.11, a6338e9"],
    ]);
  }
  b.containerLogs("kube-system", "cluster-autoscaler-6f7c9d8b5-hx4nt", "cluster-autoscaler", [
    [40, "I1126 05:10:12.418200       1 static_autoscaler.go:290] Starting main loop"],
    [40, "I1126 05:10:12.420117       1 filter_out_schedulable.go:66] Filtering out schedulables"],
    [39, "I1126 05:10:12.420951       1 static_autoscaler.go:598] No unschedulable pods"],
    [39, "I1126 05:10:12.421304       1 static_autoscaler.go:621] Calculating unneeded nodes"],
  ]);
  b.containerLogs("external-secrets", "external-secrets-7b9c6d5f8-2xk4m", "external-secrets", [
    [
      180,
      '{"level":"error","ts":1732597812.4,"msg":"Reconciler error","controller":"externalsecret","ExternalSecret":{"name":"checkout-secrets","namespace":"shop"},"error":"error processing spec.data[1] (key: shop/checkout/payment-api-key), err: Secret does not exist"}',
    ],
  ]);

  addEndpointSlices(b);
  addEndpoints(
    b,
    b.objects.filter((o) => o.kind === "EndpointSlice"),
  );
  return {
    serverVersion: {
      major: "1",
      minor: "32",
      gitVersion: "v1.32.4",
      gitCommit: "59526cd4867447956156ae3a602fcbac10a2c335",
      gitTreeState: "clean",
      buildDate: "2025-04-22T16:02:27Z",
      goVersion: "go1.23.6",
      compiler: "gc",
      platform: "linux/amd64",
    },
    objects: [...b.objects, ...resourceMetrics(b.objects, now)],
    logs: b.logs,
  };
}

const FAKE_CA = [
  "-----BEGIN CERTIFICATE-----",
  "MIIDBTCCAe2gAwIBAgIIQk9HVVNDQU4wDQYJKoZIhvcNAQELBQAwFTETMBEGA1UE",
  "AxMKa3ViZXJuZXRlczAeFw0yNTEwMDkxMjAwMDBaFw0zNTEwMDcxMjAwMDBaMBUx",
  "-----END CERTIFICATE-----",
  "",
].join("\n");

const FAKE_KEY = [
  "-----BEGIN PRIVATE KEY-----",
  "bm90LWEtcmVhbC1rZXktdGhpcy1pcy1hLXRlc3QtZml4dHVyZQ==",
  "-----END PRIVATE KEY-----",
  "",
].join("\n");

const COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf
    cache 30
    loop
    reload
    loadbalance
}
`;
