/**
 * Owns `kubectl cluster-info` answered natively: the control plane's address, then each service of
 * the namespace (kube-system unless -n names another) labelled kubernetes.io/cluster-service=true,
 * by its kubernetes.io/name label or its name, with where it runs (a load balancer's ingress point
 * on each port, or the API server's proxy path to its first port), and kubectl's closing hint.
 *
 * The address is the cluster's own, the one the gate reaches it at: kubectl run through the gate
 * would print the gate's loopback address, which tells the caller nothing. So this prints what
 * kubectl prints when it holds the executor's credentials itself (the oracle test runs it that way).
 */
import { type Static, Type as t } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { parseKubectlArgv } from "../policy";
import type { KubeFetch } from "./client";
import { LoadBalancerStatus } from "./kube-types";
import type { NativeOutput } from "./output";
import { listContext, serverError } from "./server-error";

const SELECTOR = "kubernetes.io/cluster-service=true";
const HINT = "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n";

/** What cluster-info reads of each Service (the fields of corev1.Service it prints from). */
const ServiceList = t.Object({
  items: t.Array(
    t.Object({
      metadata: t.Object({
        name: t.String(),
        namespace: t.String(),
        labels: t.Optional(t.Record(t.String(), t.String())),
      }),
      spec: t.Optional(
        t.Object({
          ports: t.Optional(t.Array(t.Object({ name: t.Optional(t.String()), port: t.Integer() }))),
        }),
      ),
      status: t.Optional(LoadBalancerStatus),
    }),
  ),
});
type Service = Static<typeof ServiceList>["items"][number];
const checkServiceList = TypeCompiler.Compile(ServiceList);

/** The namespace `cluster-info` (with at most one -n) lists; undefined for any other command line. */
export function readClusterInfoRequest(argv: readonly string[]): { namespace: string } | undefined {
  const parsed = parseKubectlArgv(argv);
  if (parsed.path !== "cluster-info" || parsed.issues.length > 0 || parsed.positionals.length > 0)
    return undefined;
  let namespace: string | undefined;
  for (const { name, value, known } of parsed.flags) {
    if (!known || name !== "namespace" || namespace !== undefined || value === undefined) return undefined;
    namespace = value;
  }
  // kubectl reads an empty -n as none given.
  return { namespace: namespace || "kube-system" };
}

export async function nativeClusterInfo(
  fetch: KubeFetch,
  controlPlane: string,
  { namespace }: { namespace: string },
): Promise<NativeOutput | undefined> {
  const query = new URLSearchParams({ labelSelector: SELECTOR });
  const response = await fetch(
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/services?${query}`,
    "application/json",
  );
  if (!response.ok) {
    const error = await serverError(
      response,
      listContext({ group: "", version: "v1", resource: "services" }, SELECTOR, undefined),
    );
    // The visitor fails before printing anything; the hint is written all the same.
    return error === undefined ? undefined : { stdout: HINT, stderr: error, exitCode: 1 };
  }
  const body: unknown = await response.json();
  if (!checkServiceList.Check(body)) return undefined;
  const lines = [running("Kubernetes control plane", controlPlane)];
  for (const service of body.items) {
    lines.push(
      running(service.metadata.labels?.["kubernetes.io/name"] || service.metadata.name, link(service)),
    );
  }
  return { stdout: lines.join("") + HINT, stderr: "", exitCode: 0 };

  function link(service: Service): string {
    const ports = service.spec?.ports ?? [];
    const ingress = service.status?.loadBalancer?.ingress?.[0];
    if (ingress !== undefined) {
      const host = ingress.ip || ingress.hostname || "";
      return ports.map(({ port }) => `http://${host}:${port} `).join("");
    }
    const first = ports[0];
    // <scheme>:<name>:<port name>, scheme https guessed from the first port, as apimachinery joins them.
    const scheme = first !== undefined && (first.name === "https" || first.port === 443) ? "https" : "";
    const portName = first?.name ?? "";
    const target =
      scheme !== ""
        ? `${scheme}:${service.metadata.name}:${portName}`
        : portName !== ""
          ? `${service.metadata.name}:${portName}`
          : service.metadata.name;
    return `${controlPlane}/api/v1/namespaces/${service.metadata.namespace}/services/${target}/proxy`;
  }
}

const running = (name: string, link: string) => `${name} is running at ${link}\n`;
