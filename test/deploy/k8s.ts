/**
 * What the deploy tests share: reading manifests as Kubernetes does, rendering a kustomization with the
 * real kubectl, checking objects against the Kubernetes API schemas (kubernetes-models' validators,
 * generated from the API's OpenAPI document: field types, required fields, enums), and the pod
 * lockdown every Kubently pod keeps.
 */
import { expect } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export interface KeyRef {
  name: string;
  key: string;
  optional?: boolean;
}

export interface Probe {
  exec?: { command: string[] };
  httpGet?: { path: string; port: string | number };
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
}

export interface Container {
  name: string;
  image: string;
  args?: string[];
  ports?: { name: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { configMapKeyRef?: KeyRef; secretKeyRef?: KeyRef } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown> & { capabilities?: { drop?: string[]; add?: string[] } };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
}

export interface Volume {
  name: string;
  secret?: { secretName: string; defaultMode?: number; items?: { key: string }[] };
  configMap?: { name: string; items?: { key: string; path: string }[] };
  emptyDir?: Record<string, unknown>;
  persistentVolumeClaim?: { claimName: string };
}

export interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  terminationGracePeriodSeconds?: number;
  securityContext?: Record<string, unknown> & { seccompProfile?: { type: string } };
  containers: Container[];
  volumes?: Volume[];
}

export interface Deployment extends K8sObject {
  spec: {
    replicas: number;
    strategy?: {
      type: string;
      rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string };
    };
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
}

export interface Kustomization {
  resources: string[];
  images?: { name: string; newName?: string; newTag?: string }[];
}

/** Every document of a YAML text, read as Kubernetes does (YAML 1.1: `0440` is octal); throws on any error. */
export function parseDocuments(text: string, source: string): unknown[] {
  return parseAllDocuments(text, { version: "1.1" }).map((doc) => {
    const [problem] = [...doc.errors, ...doc.warnings];
    if (problem !== undefined) throw new Error(`${source}: ${problem.message}`);
    return doc.toJS();
  });
}

/** The YAML files of a folder, by name, each as its documents. */
export function readManifests(dir: string): Map<string, unknown[]> {
  const names = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name));
  return new Map(names.map((name) => [name, parseDocuments(readFileSync(join(dir, name), "utf8"), name)]));
}

export interface KustomizationDir {
  /** The YAML files of the folder, the kustomization's own included. */
  files: string[];
  kustomization: Kustomization;
  /** Every object of the other files, as written. */
  objects: K8sObject[];
}

export function readKustomizationDir(dir: string): KustomizationDir {
  const documents = readManifests(dir);
  return {
    files: [...documents.keys()],
    kustomization: documents.get("kustomization.yaml")?.[0] as Kustomization,
    objects: [...documents.entries()]
      .filter(([name]) => name !== "kustomization.yaml")
      .flatMap(([, docs]) => docs as K8sObject[]),
  };
}

/** The kustomization lists exactly the manifests in its folder. */
export function expectListsEveryManifest({ files, kustomization }: KustomizationDir): void {
  const manifests = files.filter((name) => name !== "kustomization.yaml");
  expect([...kustomization.resources].sort()).toEqual(manifests.sort());
}

export const kubectl = Bun.which("kubectl");

/** `kubectl kustomize DIR`'s objects; fails the test on any output to stderr or a non-zero exit. */
export function kustomize(dir: string): K8sObject[] {
  const render = Bun.spawnSync([kubectl ?? "kubectl", "kustomize", dir], { stderr: "pipe" });
  expect(render.stderr.toString()).toBe("");
  expect(render.exitCode).toBe(0);
  return parseDocuments(render.stdout.toString(), `kubectl kustomize ${dir}`) as K8sObject[];
}

export const objectKey = (object: K8sObject) =>
  `${object.kind}/${object.metadata.namespace ?? ""}/${object.metadata.name}`;

/**
 * The schema errors of each object, by its key: none when every object is valid. The validator is the
 * kubernetes-models class of the object's apiVersion and kind; a kind it lacks is an error too.
 */
export async function schemaErrors(objects: K8sObject[]): Promise<Record<string, string>> {
  const errors: Record<string, string> = {};
  for (const object of objects) {
    const path = `kubernetes-models/${object.apiVersion}/${object.kind}`;
    try {
      const module = (await import(path)) as Record<string, new (data: unknown) => { validate(): void }>;
      const Model = module[object.kind];
      if (Model === undefined) throw new Error(`${path} exports no ${object.kind}`);
      new Model(object).validate();
    } catch (error) {
      errors[objectKey(object)] = (error as Error).message;
    }
  }
  return errors;
}

/** Non-root, no privilege, read-only root filesystem, no capabilities, RuntimeDefault seccomp. */
export function expectLockedDown(pod: PodSpec): void {
  expect(pod.securityContext).toMatchObject({
    runAsNonRoot: true,
    seccompProfile: { type: "RuntimeDefault" },
  });
  expect(pod.securityContext?.runAsUser).toBeGreaterThan(0);
  for (const container of pod.containers) {
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
    expect(container.securityContext?.privileged).not.toBe(true);
    expect(container.securityContext?.capabilities?.add).toBeUndefined();
    for (const kind of ["requests", "limits"] as const) {
      expect(container.resources?.[kind]?.cpu).toBeString();
      expect(container.resources?.[kind]?.memory).toBeString();
    }
  }
}
