/**
 * The API server's Kubernetes manifests: deploy/api (one replica, embedded store on a volume) and
 * deploy/api-replicas (several on a Redis of their own). The files parse and the kustomization lists
 * them; `kubectl kustomize` renders both, and every rendered object passes its Kubernetes API schema;
 * objects name each other consistently; the keys Secret holds nothing; the pod is locked down like
 * the executor's; and a real `kubently serve`, configured by the ConfigMap as the pod would be,
 * answers the Deployment's probes.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnServe } from "../support/serve";
import {
  type Deployment,
  expectListsEveryManifest,
  expectLockedDown,
  type K8sObject,
  kubectl,
  kustomize,
  objectKey,
  readKustomizationDir,
  schemaErrors,
} from "./k8s";

const BASE = "deploy/api";
const REPLICAS = "deploy/api-replicas";

const base = readKustomizationDir(BASE);
const { kustomization, objects } = base;

function find<T extends K8sObject = K8sObject>(list: K8sObject[], kind: string, name?: string): T {
  const found = list.filter(
    (object) => object.kind === kind && (name === undefined || object.metadata.name === name),
  );
  expect(found.map(objectKey)).toHaveLength(1);
  return found[0] as T;
}

const deployment = find<Deployment>(objects, "Deployment");
const pod = deployment.spec.template.spec;
const [container] = pod.containers;
const configMap = find(objects, "ConfigMap") as K8sObject & { data: Record<string, string> };
const secret = find(objects, "Secret");
const service = find(objects, "Service") as K8sObject & {
  spec: { selector: Record<string, string>; ports: { port: number; targetPort: string }[] };
};
const budget = find(objects, "PodDisruptionBudget") as K8sObject & {
  spec: { maxUnavailable?: number; minAvailable?: number; selector: { matchLabels: Record<string, string> } };
};
const mountOf = (path: string) =>
  container?.volumeMounts?.find(
    (mount) => path === mount.mountPath || path.startsWith(`${mount.mountPath}/`),
  );
const volumeOf = (path: string) => pod.volumes?.find((volume) => volume.name === mountOf(path)?.name);

describe("deploy/api files", () => {
  test("the kustomization lists exactly the manifests in the directory", () => {
    expectListsEveryManifest(base);
  });

  test("everything is in the executor's namespace, declared the same way, so both apply to one cluster", () => {
    const executorNamespace = find(readKustomizationDir("deploy/executor").objects, "Namespace");
    expect(find(objects, "Namespace")).toEqual(executorNamespace);
    for (const object of objects.filter((each) => each.kind !== "Namespace")) {
      expect(object.metadata.namespace).toBe(executorNamespace.metadata.name);
    }
  });

  test("the Service, the disruption budget and the Deployment select the API's pods", () => {
    const labels = deployment.spec.template.metadata.labels;
    expect(labels).toMatchObject(deployment.spec.selector.matchLabels);
    expect(labels).toMatchObject(service.spec.selector);
    expect(labels).toMatchObject(budget.spec.selector.matchLabels);
    // A drain never waits forever on a single replica, and never takes two at once.
    expect(budget.spec).toMatchObject({ maxUnavailable: 1 });
    const [port] = service.spec.ports;
    expect(container?.ports?.map((each) => each.name)).toContain(port?.targetPort ?? "");
  });

  test("the server listens on every address of the pod, on the container's port", () => {
    expect(configMap.data.KUBENTLY_HOST).toBe("0.0.0.0");
    expect(container?.ports?.find((each) => each.name === "http")?.containerPort).toBe(
      Number(configMap.data.KUBENTLY_PORT),
    );
  });

  test("keys come from the Secret, which holds none, so `kubectl apply -k` never overwrites them", () => {
    expect(secret.data).toBeUndefined();
    expect(secret.stringData).toBeUndefined();
    expect(Object.keys(configMap.data).filter((name) => /KEYS$|SECRET$|PASSWORD/.test(name))).toEqual([]);
    const keysFile = configMap.data.KUBENTLY_API_KEYS_FILE ?? "";
    const keys = volumeOf(keysFile);
    expect(keys?.secret).toEqual({ secretName: secret.metadata.name, defaultMode: 0o440 });
    expect(mountOf(keysFile)).toMatchObject({ readOnly: true });
    expect(mountOf(keysFile)?.subPath).toBeUndefined();
    expect(keysFile).toBe(`${mountOf(keysFile)?.mountPath}/api-keys`);
    const admin = container?.env?.find((variable) => variable.name === "KUBENTLY_ADMIN_KEYS");
    expect(admin?.valueFrom?.secretKeyRef).toEqual({
      name: secret.metadata.name,
      key: "admin-keys",
      optional: true,
    });
    expect(container?.envFrom).toEqual([{ configMapRef: { name: configMap.metadata.name } }]);
  });

  test("the embedded store is on the claimed volume, one process at a time; /tmp is an emptyDir", () => {
    const store = new URL(configMap.data.KUBENTLY_STORE ?? "");
    expect(store.protocol).toBe("sqlite:");
    const claim = volumeOf(store.pathname)?.persistentVolumeClaim?.claimName;
    expect(find(objects, "PersistentVolumeClaim").metadata.name).toBe(claim ?? "");
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy?.type).toBe("Recreate");
    expect(volumeOf("/tmp")?.emptyDir).toBeDefined();
    const volumes = (pod.volumes ?? []).map((volume) => volume.name).sort();
    expect((container?.volumeMounts ?? []).map((mount) => mount.name).sort()).toEqual(volumes);
  });

  test("the pod is locked down like the executor's, and holds no Kubernetes credential", () => {
    expectLockedDown(pod);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(find(objects, "ServiceAccount").automountServiceAccountToken).toBe(false);
    expect(pod.securityContext?.fsGroup).toBe(pod.securityContext?.runAsGroup);
  });

  test("probes /health for liveness and /ready for readiness, and gives the drain its time", () => {
    expect(container?.livenessProbe?.httpGet).toEqual({ path: "/health", port: "http" });
    expect(container?.readinessProbe?.httpGet).toEqual({ path: "/ready", port: "http" });
    const preStop = (container as { lifecycle?: { preStop?: { sleep?: { seconds: number } } } }).lifecycle;
    // The pause before SIGTERM, then the server's 10 s shutdown bound, within the grace period.
    expect((preStop?.preStop?.sleep?.seconds ?? 0) + 10).toBeLessThan(pod.terminationGracePeriodSeconds ?? 0);
  });

  test("the image is the one the kustomization rewrites", () => {
    expect(kustomization.images?.map((image) => image.name)).toEqual([container?.image ?? ""]);
  });
});

describe("the ConfigMap, as the pod's environment of a real server", () => {
  const dir = mkdtempSync(join(tmpdir(), "kubently-api-manifests-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("names only settings the server takes, and the server it configures answers both probes", async () => {
    const keysFile = join(dir, "api-keys");
    writeFileSync(keysFile, "agent:manifest-key-0123456789abcdef\n");
    // The pod's paths, moved to this test's folder; the port, to a free one.
    const env = {
      ...configMap.data,
      KUBENTLY_STORE: `sqlite://${join(dir, "kubently.db")}`,
      KUBENTLY_API_KEYS_FILE: keysFile,
      KUBENTLY_PORT: "0",
      KUBENTLY_HOST: "127.0.0.1",
    };
    const server = spawnServe([], env);
    try {
      const { url } = JSON.parse(await server.waitForLine(/kubently listening/)) as { url: string };
      for (const probe of [container?.livenessProbe, container?.readinessProbe]) {
        const response = await fetch(`${url}${probe?.httpGet?.path}`);
        expect({ path: probe?.httpGet?.path, status: response.status }).toEqual({
          path: probe?.httpGet?.path,
          status: 200,
        });
      }
    } finally {
      server.proc.kill("SIGTERM");
      await server.proc.exited;
    }
    // And every key is a variable of the server's configuration (the server ignores others silently).
    const configuration = readFileSync("src/config.ts", "utf8") + readFileSync("src/log.ts", "utf8");
    expect(Object.keys(configMap.data).filter((name) => !configuration.includes(`"${name}"`))).toEqual([]);
  });
});

describe.skipIf(kubectl === null)("kubectl kustomize", () => {
  test("renders deploy/api as written, with the image rewritten, and every object passes its schema", async () => {
    const rendered = kustomize(BASE);
    expect(rendered.map(objectKey).sort()).toEqual(objects.map(objectKey).sort());
    const [image] = kustomization.images ?? [];
    expect(find<Deployment>(rendered, "Deployment").spec.template.spec.containers[0]?.image).toBe(
      `${image?.newName}:${image?.newTag}`,
    );
    expect(await schemaErrors(rendered)).toEqual({});
  });

  test("deploy/api-replicas: two API replicas on its Redis, rolled one at a time, Redis reachable by them alone", async () => {
    const rendered = kustomize(REPLICAS);
    expect(await schemaErrors(rendered)).toEqual({});
    const api = find<Deployment>(rendered, "Deployment", deployment.metadata.name);
    expect(api.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(api.spec.strategy).toEqual({
      type: "RollingUpdate",
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
    const apiPod = api.spec.template.spec;
    expectLockedDown(apiPod);
    // No embedded store left: no claim, no data volume.
    expect(rendered.filter((object) => object.kind === "PersistentVolumeClaim").map(objectKey)).toEqual([
      "PersistentVolumeClaim/kubently/kubently-redis-data",
    ]);
    expect(apiPod.volumes?.some((volume) => volume.persistentVolumeClaim)).toBe(false);

    const settings = (find(rendered, "ConfigMap") as typeof configMap).data;
    const store = new URL(settings.KUBENTLY_STORE ?? "");
    expect(store.protocol).toBe("redis:");
    const redisService = find(rendered, "Service", store.hostname) as typeof service;
    const redis = find<Deployment>(rendered, "Deployment", "kubently-redis");
    expect(redis.spec.template.metadata.labels).toMatchObject(redisService.spec.selector);
    expect(redisService.spec.ports[0]?.port).toBe(Number(store.port));
    expectLockedDown(redis.spec.template.spec);
    expect(redis.spec.template.spec.containers[0]?.args).toEqual(
      expect.arrayContaining(["--appendonly", "yes", "--maxmemory-policy", "noeviction"]),
    );

    const policy = find(rendered, "NetworkPolicy") as K8sObject & {
      spec: {
        podSelector: { matchLabels: Record<string, string> };
        ingress: { from: { podSelector: { matchLabels: Record<string, string> } }[] }[];
      };
    };
    expect(redis.spec.template.metadata.labels).toMatchObject(policy.spec.podSelector.matchLabels);
    const allowed = policy.spec.ingress.flatMap((rule) =>
      rule.from.map((from) => from.podSelector.matchLabels),
    );
    expect(allowed).toEqual([deployment.spec.selector.matchLabels]);
  });
});
