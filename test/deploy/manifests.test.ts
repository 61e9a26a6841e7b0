/**
 * The executor's Kubernetes manifests (deploy/executor): every file parses as Kubernetes reads YAML,
 * the kustomization lists exactly the files there, the objects name each other consistently, the
 * policy ConfigMap is a readOnly policy the executor itself accepts, the ClusterRole is read-only and
 * never reaches secrets yet covers every command the readOnly policy runs, and the pod is locked
 * down. With kubectl on PATH, `kubectl kustomize` renders the same objects.
 */
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { HEARTBEAT_MS } from "../../executor/liveness";
import { allowedCommands, parsePolicy } from "../../executor/policy";
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
  type Volume,
} from "./k8s";

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

const DIR = "deploy/executor";
const READ_VERBS = new Set(["get", "list", "watch"]);

const manifests = readKustomizationDir(DIR);
const { kustomization, objects, files: yamlFiles } = manifests;

function only<T extends K8sObject>(kind: string): T {
  const found = objects.filter((object) => object.kind === kind);
  expect(found.map((object) => object.metadata.name)).toHaveLength(1);
  return found[0] as T;
}

function named(kind: string, name: string, namespace?: string): K8sObject | undefined {
  return objects.find(
    (object) =>
      object.kind === kind && object.metadata.name === name && object.metadata.namespace === namespace,
  );
}

const namespace = only("Namespace").metadata.name;
const role = only("ClusterRole") as K8sObject & { rules: Rule[] };
const binding = only("ClusterRoleBinding") as K8sObject & {
  roleRef: { apiGroup: string; kind: string; name: string };
  subjects: { kind: string; name: string; namespace: string }[];
};
const deployment = only<Deployment>("Deployment");
const pod = deployment.spec.template.spec;
const [container] = pod.containers;
const configMap = only("ConfigMap") as K8sObject & { data: Record<string, string> };
const policy = parsePolicy(configMap.data["policy.yaml"] ?? "", "configmap.yaml policy.yaml");

/** Whether the ClusterRole lets `verb` on `resource` in `group`. */
function grants(group: string, resource: string, verb: string): boolean {
  return role.rules.some(
    (rule) =>
      (rule.apiGroups ?? []).includes(group) &&
      (rule.resources ?? []).includes(resource) &&
      rule.verbs.includes(verb),
  );
}

function grantsUrl(url: string): boolean {
  return role.rules.some((rule) => (rule.nonResourceURLs ?? []).includes(url) && rule.verbs.includes("get"));
}

describe("deploy/executor files", () => {
  test("every YAML file parses, and each object has a kind, an apiVersion and a name", () => {
    expect(yamlFiles.length).toBeGreaterThan(1);
    for (const object of objects) {
      expect(object.apiVersion).toBeString();
      expect(object.kind).toBeString();
      expect(object.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    }
  });

  test("the kustomization lists exactly the manifests in the directory", () => {
    expectListsEveryManifest(manifests);
  });

  test("namespaced objects are all in the Namespace the kustomization creates", () => {
    const clusterScoped = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding"]);
    for (const object of objects) {
      expect(object.metadata.namespace).toBe(clusterScoped.has(object.kind) ? undefined : namespace);
    }
  });
});

describe("references between objects", () => {
  test("the binding gives the ClusterRole to the executor's ServiceAccount", () => {
    expect(binding.roleRef).toEqual({
      apiGroup: "rbac.authorization.k8s.io",
      kind: "ClusterRole",
      name: role.metadata.name,
    });
    expect(binding.subjects).toHaveLength(1);
    const [subject] = binding.subjects;
    expect(subject?.kind).toBe("ServiceAccount");
    expect(named("ServiceAccount", subject?.name ?? "", subject?.namespace)).toBeDefined();
    expect(subject?.name).toBe(pod.serviceAccountName);
  });

  test("the Deployment runs as that ServiceAccount, with its token mounted for kubectl", () => {
    expect(named("ServiceAccount", pod.serviceAccountName ?? "", namespace)).toBeDefined();
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
  });

  test("every ConfigMap key and Secret the pod uses exists", () => {
    expect(pod.containers).toHaveLength(1);
    for (const { valueFrom } of container?.env ?? []) {
      const ref = valueFrom?.configMapKeyRef;
      if (ref !== undefined) {
        const data = (named("ConfigMap", ref.name, namespace) as typeof configMap | undefined)?.data;
        expect(Object.keys(data ?? {})).toContain(ref.key);
      }
      expect(valueFrom?.secretKeyRef).toBeUndefined();
    }
    for (const volume of pod.volumes ?? []) {
      if (volume.secret !== undefined) {
        expect(named("Secret", volume.secret.secretName, namespace)).toBeDefined();
      }
      if (volume.configMap !== undefined) {
        const data = (named("ConfigMap", volume.configMap.name, namespace) as typeof configMap | undefined)
          ?.data;
        for (const item of volume.configMap.items ?? []) expect(Object.keys(data ?? {})).toContain(item.key);
      }
    }
  });

  test("every volume is mounted and every mount has a volume", () => {
    const volumes = (pod.volumes ?? []).map((volume) => volume.name).sort();
    const mounts = (container?.volumeMounts ?? []).map((mount) => mount.name).sort();
    expect(mounts).toEqual(volumes);
  });

  test("the files the executor is told to read are where the volumes put them", () => {
    const env = new Map((container?.env ?? []).map((variable) => [variable.name, variable.value]));
    const mountOf = (volume: (v: Volume) => boolean) => {
      const name = pod.volumes?.find(volume)?.name;
      return container?.volumeMounts?.find((mount) => mount.name === name);
    };

    // The whole Secret, never a subPath: a subPath mount does not see a rotated token.
    const token = mountOf((volume) => volume.secret !== undefined);
    expect(token?.subPath).toBeUndefined();
    expect(token?.readOnly).toBe(true);
    expect(env.get("KUBENTLY_TOKEN_FILE")).toBe(`${token?.mountPath}/token`);
    expect(env.has("KUBENTLY_TOKEN")).toBe(false);

    const policyVolume = pod.volumes?.find((volume) => volume.configMap !== undefined);
    const policyMount = mountOf((volume) => volume === policyVolume);
    const item = policyVolume?.configMap?.items?.find((entry) => entry.key === "policy.yaml");
    expect(env.get("KUBENTLY_POLICY")).toBe(`${policyMount?.mountPath}/${item?.path}`);

    // Writable places on a read-only root filesystem are emptyDirs.
    for (const variable of ["KUBENTLY_CACHE_DIR", "HOME"]) {
      const dir = env.get(variable) ?? "";
      const mount = container?.volumeMounts?.find(
        (m) => dir === m.mountPath || dir.startsWith(`${m.mountPath}/`),
      );
      expect(pod.volumes?.find((volume) => volume.name === mount?.name)?.emptyDir).toBeDefined();
    }
  });

  test("the pod sets only variables the executor (or kubectl) reads", () => {
    const source = readdirSync("executor")
      .filter((name) => name.endsWith(".ts"))
      .map((name) => readFileSync(join("executor", name), "utf8"))
      .join("\n");
    for (const { name } of container?.env ?? []) {
      if (name === "HOME") continue; // kubectl's home, passed through by the runner
      expect(source).toContain(`"${name}"`);
    }
  });

  test("the image is the one the kustomization rewrites", () => {
    expect(kustomization.images?.map((image) => image.name)).toEqual([container?.image ?? ""]);
  });

  test("the token Secret carries no data, so `kubectl apply -k` never overwrites the real token", () => {
    const secret = only("Secret");
    expect(secret.data).toBeUndefined();
    expect(secret.stringData).toBeUndefined();
  });
});

describe("the policy ConfigMap", () => {
  test("holds a readOnly policy that the executor's own loader accepts", () => {
    expect(policy.mode).toBe("readOnly");
    expect(policy.acknowledgeFullAccess).toBe(false);
    expect(policy.restrictedResources).toContain("secrets");
  });

  test("api-url and cluster-id are the shapes the executor requires", () => {
    expect(new URL(configMap.data["api-url"] ?? "").protocol).toBe("https:");
    expect(configMap.data["cluster-id"]).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
  });
});

describe("the ClusterRole", () => {
  test("grants only get, list and watch, and nothing by wildcard", () => {
    for (const rule of role.rules) {
      expect(rule.verbs.filter((verb) => !READ_VERBS.has(verb))).toEqual([]);
      for (const list of [rule.apiGroups, rule.resources, rule.verbs, rule.nonResourceURLs]) {
        expect(list ?? []).not.toContain("*");
      }
      expect(rule.resourceNames).toBeUndefined();
      if (rule.nonResourceURLs !== undefined) {
        expect(rule.verbs).toEqual(["get"]);
        expect(rule.resources).toBeUndefined();
      }
    }
  });

  test("never reaches secrets, in any API group", () => {
    const resources = role.rules.flatMap((rule) => rule.resources ?? []);
    expect(resources.filter((resource) => resource.split("/")[0] === "secrets")).toEqual([]);
  });

  test("grants nothing the policy restricts, and no subresource but pods/log", () => {
    const restricted = new Set(policy.restrictedResources);
    const resources = role.rules.flatMap((rule) => rule.resources ?? []);
    expect(resources.filter((resource) => restricted.has(resource.split("/")[0] ?? ""))).toEqual([]);
    // pods/exec, pods/attach, pods/portforward, */proxy, serviceaccounts/token would all go further.
    expect(resources.filter((resource) => resource.includes("/"))).toEqual(["pods/log"]);
  });

  test("covers every command the readOnly policy runs", () => {
    // What each command needs at least. `auth can-i` creates SelfSubjectAccessReviews, which every
    // authenticated identity may through the built-in system:basic-user role.
    const needs: Record<string, () => boolean> = {
      "api-resources": () => grantsUrl("/api") && grantsUrl("/apis") && grantsUrl("/apis/*"),
      "api-versions": () => grantsUrl("/api") && grantsUrl("/apis"),
      "auth can-i": () => true,
      "cluster-info": () => grants("", "services", "list"),
      describe: () => grants("", "pods", "get") && grants("", "events", "list"),
      events: () => grants("", "events", "list") && grants("", "events", "watch"),
      explain: () => grantsUrl("/openapi/*"),
      get: () =>
        ["pods", "services", "nodes", "namespaces", "configmaps", "persistentvolumeclaims"].every((r) =>
          grants("", r, "list"),
        ) &&
        ["deployments", "replicasets", "statefulsets", "daemonsets"].every((r) => grants("apps", r, "list")),
      logs: () => grants("", "pods/log", "get"),
      "rollout history": () =>
        grants("apps", "replicasets", "list") && grants("apps", "controllerrevisions", "list"),
      "rollout status": () => grants("apps", "deployments", "watch"),
      "top node": () => grants("metrics.k8s.io", "nodes", "list"),
      "top pod": () => grants("metrics.k8s.io", "pods", "list"),
      version: () => grantsUrl("/version"),
    };
    // A command added to readOnly fails here until someone decides what it needs to read.
    expect(Object.keys(needs).sort()).toEqual(allowedCommands("readOnly").sort());
    for (const [command, covered] of Object.entries(needs)) {
      expect({ command, covered: covered() }).toEqual({ command, covered: true });
    }
    expect(grants("events.k8s.io", "events", "list")).toBe(true);
  });
});

describe("the executor's pod", () => {
  test("is locked down: non-root, no privilege, read-only root filesystem, RuntimeDefault seccomp, limits", () => {
    expectLockedDown(pod);
  });

  test("its liveness probe runs the image's own executor on the file the executor rewrites", () => {
    const env = new Map((container?.env ?? []).map((variable) => [variable.name, variable.value]));
    const file = env.get("KUBENTLY_LIVENESS_FILE") ?? "";
    const probe = container?.livenessProbe;
    // No shell in the image: the command is the binary the Dockerfile installs, and its `alive`.
    expect(probe?.exec?.command.slice(0, 4)).toEqual([
      "/usr/local/bin/kubently-executor",
      "alive",
      "--file",
      file,
    ]);
    const maxAge = Number(probe?.exec?.command[5]);
    expect(probe?.exec?.command[4]).toBe("--max-age");
    // Several missed beats before a probe fails; several failed probes before a restart.
    expect(maxAge * 1000).toBeGreaterThanOrEqual(3 * HEARTBEAT_MS);
    expect(probe?.failureThreshold).toBeGreaterThanOrEqual(2);
    expect(probe?.timeoutSeconds).toBeGreaterThanOrEqual(5);
    const mount = container?.volumeMounts?.find((m) => file.startsWith(`${m.mountPath}/`));
    expect(pod.volumes?.find((volume) => volume.name === mount?.name)?.emptyDir).toBeDefined();
  });

  test("gives the executor longer than its 30 s drain to stop", () => {
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(30);
  });

  test("mounts the token readable by its group only (0440)", () => {
    const secret = pod.volumes?.find((volume) => volume.secret !== undefined)?.secret;
    expect(secret?.defaultMode).toBe(0o440);
    expect(pod.securityContext?.fsGroup).toBe(pod.securityContext?.runAsGroup);
  });

  test("lives in a namespace that enforces the restricted Pod Security Standard", () => {
    expect(only("Namespace").metadata.labels?.["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });
});

describe.skipIf(kubectl === null)("kubectl kustomize", () => {
  test("renders exactly these objects, with the image rewritten", () => {
    const rendered = kustomize(DIR);
    expect(rendered.map(objectKey).sort()).toEqual(objects.map(objectKey).sort());

    const [image] = kustomization.images ?? [];
    const expected = structuredClone(objects);
    const expectedPod = (expected.find((object) => object.kind === "Deployment") as Deployment).spec.template
      .spec;
    for (const each of expectedPod.containers) each.image = `${image?.newName}:${image?.newTag}`;
    const byKey = new Map(rendered.map((object) => [objectKey(object), object]));
    for (const object of expected) expect(byKey.get(objectKey(object))).toEqual(object);
  });

  test("every rendered object passes the Kubernetes API schema of its kind", async () => {
    expect(await schemaErrors(kustomize(DIR))).toEqual({});
  });
});
