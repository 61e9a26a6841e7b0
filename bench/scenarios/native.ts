/**
 * Native reads: `get pods -n shop` through POST /debug/execute answered inside the executor, beside
 * the same command with native reads off (kubectl through the gate); the same for a `-o jsonpath`
 * template of the kind agents ask for, for `logs -l` of one pod, `top pod`, and `describe` of a pod,
 * a node, a service, an ingress (eleven requests: its backends' slices and services), an
 * autoscaler, a custom resource (cert-manager's Certificate, generically) and a Role (its rules
 * broken down, merged and sorted), `get events -A --sort-by=.lastTimestamp` (many equal keys) and
 * `get pods -A -o wide --sort-by=.status.podIP` (addresses, pending pods without one), `logs -f` bounded by
 * the lines the pod has printed, `get -w` by the lines of its first table, and twelve 2 s follows sent
 * at once; native reads per second with 32 clients; the executor's memory before and under that
 * load. The stand-in holds describe-scenario.ts's cluster: the default one and the `lab` namespace. `bun run bench/scenarios/native.ts` runs it alone and prints the JSON.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeScenario } from "../../test/k8s/describe-scenario";
import { CRASHING_POD, NODE_NAMES } from "../../test/k8s/scenario";
import { startKubeStandin } from "../../test/k8s/standin";
import { closedLoop } from "../lib/load";
import { API_KEY, registerCluster, rssMb, startExecutor, startServer } from "../lib/processes";
import { round, spread } from "../lib/stats";

export interface NativeFigures {
  native_p50_ms: number;
  native_p99_ms: number;
  kubectl_p50_ms: number;
  native_jsonpath_p50_ms: number;
  kubectl_jsonpath_p50_ms: number;
  native_logs_selector_p50_ms: number;
  kubectl_logs_selector_p50_ms: number;
  native_top_p50_ms: number;
  kubectl_top_p50_ms: number;
  native_describe_p50_ms: number;
  kubectl_describe_p50_ms: number;
  native_describe_node_p50_ms: number;
  kubectl_describe_node_p50_ms: number;
  native_describe_service_p50_ms: number;
  kubectl_describe_service_p50_ms: number;
  native_describe_ingress_p50_ms: number;
  kubectl_describe_ingress_p50_ms: number;
  native_describe_hpa_p50_ms: number;
  kubectl_describe_hpa_p50_ms: number;
  native_describe_custom_p50_ms: number;
  kubectl_describe_custom_p50_ms: number;
  native_sorted_events_p50_ms: number;
  kubectl_sorted_events_p50_ms: number;
  native_sorted_ips_p50_ms: number;
  kubectl_sorted_ips_p50_ms: number;
  native_describe_role_p50_ms: number;
  kubectl_describe_role_p50_ms: number;
  native_logs_two_pods_p50_ms: number;
  kubectl_logs_two_pods_p50_ms: number;
  native_describe_configmap_p50_ms: number;
  kubectl_describe_configmap_p50_ms: number;
  native_logs_follow_p50_ms: number;
  kubectl_logs_follow_p50_ms: number;
  native_get_watch_p50_ms: number;
  kubectl_get_watch_p50_ms: number;
  /** `get -w -o name`, bounded by the names its list prints (what `get -o name` prints). */
  native_get_watch_names_p50_ms: number;
  kubectl_get_watch_names_p50_ms: number;
  /** `auth can-i list pods -n shop`: one SelfSubjectAccessReview. */
  native_can_i_p50_ms: number;
  kubectl_can_i_p50_ms: number;
  /** `cluster-info -n lab`: one list of the namespace's labelled Services. */
  native_cluster_info_p50_ms: number;
  kubectl_cluster_info_p50_ms: number;
  /** `explain pods.spec.containers`: the OpenAPI v3 index, its document kept from before. */
  native_explain_p50_ms: number;
  kubectl_explain_p50_ms: number;
  /** `get pods -n shop -o go-template=…`: each pod's name and phase. */
  native_go_template_p50_ms: number;
  kubectl_go_template_p50_ms: number;
  /** FOLLOWS_AT_ONCE `logs -f` sent together, each with a 2 s window: seconds until the last ended. */
  native_follows_at_once_s: number;
  kubectl_follows_at_once_s: number;
  native_reads_per_s_32_clients: number;
  executor_rss_idle_mb: number;
  executor_rss_under_load_mb: number;
}

const FOLLOWS_AT_ONCE = 12;

export async function nativeReads(sequential: number, loadMs: number, dir: string): Promise<NativeFigures> {
  const standin = await startKubeStandin({ scenario: describeScenario() });
  const server = await startServer("memory://");
  const offPolicy = join(dir, "native-off.yaml");
  writeFileSync(offPolicy, "nativeReads: false\n");
  const start = async (clusterId: string, policyFile?: string) =>
    startExecutor(server.url, clusterId, await registerCluster(server.url, clusterId), {
      runner: "kubectl",
      kubeconfig: standin.kubeconfigPath,
      ...(policyFile ? { policyFile } : {}),
      logFile: join(dir, `${clusterId}-executor.log`),
    });
  const native = await start("native");
  const kubectl = await start("kubectl-only", offPolicy);
  const execute = async (clusterId: string, command_type: string, args: string[], extra = {}) => {
    const response = await fetch(`${server.url}/debug/execute`, {
      method: "POST",
      headers: { "x-api-key": API_KEY, "content-type": "application/json" },
      body: JSON.stringify({ cluster_id: clusterId, command_type, args, ...extra }),
    });
    const body = (await response.json()) as {
      exit_code?: number;
      stdout?: string;
      follow?: { ended_by: string };
    };
    return response.status === 200 && body.exit_code === 0 ? body : undefined;
  };
  const get = async (clusterId: string, args = ["pods", "-n", "shop"], command_type = "get", extra = {}) =>
    (await execute(clusterId, command_type, args, extra)) !== undefined;
  const timed = async (
    clusterId: string,
    runs: number,
    args?: string[],
    commandType?: string,
    extra = {},
  ) => {
    const samples: number[] = [];
    for (let i = 0; i < runs + 5; i++) {
      const t0 = performance.now();
      if (!(await get(clusterId, args, commandType, extra)))
        throw new Error(`${commandType ?? "get"} ${args ?? "pods"} failed on ${clusterId}`);
      if (i >= 5) samples.push(performance.now() - t0);
    }
    return spread(samples);
  };
  const nativeSpread = await timed("native", sequential);
  const kubectlSpread = await timed("kubectl-only", Math.min(30, sequential));
  const jsonPath = [
    "pods",
    "-n",
    "shop",
    "-o",
    'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}',
  ];
  const nativeJsonPath = await timed("native", sequential, jsonPath);
  const kubectlJsonPath = await timed("kubectl-only", Math.min(30, sequential), jsonPath);
  const selected = ["-l", "app=checkout", "-n", "shop"];
  const nativeSelected = await timed("native", sequential, selected, "logs");
  const kubectlSelected = await timed("kubectl-only", Math.min(30, sequential), selected, "logs");
  const top = ["pod", "-n", "shop"];
  const nativeTop = await timed("native", sequential, top, "top");
  const kubectlTop = await timed("kubectl-only", Math.min(30, sequential), top, "top");
  /** The p50 of one command line answered natively, then by kubectl. */
  const both = async (args: string[], commandType: string, extra = {}) => [
    round((await timed("native", sequential, args, commandType, extra)).median),
    round((await timed("kubectl-only", Math.min(30, sequential), args, commandType, extra)).median),
  ];
  const [nativeDescribe, kubectlDescribe] = await both(["pod", CRASHING_POD, "-n", "shop"], "describe");
  const [nativeNode, kubectlNode] = await both(["node", NODE_NAMES[0] as string], "describe");
  const [nativeService, kubectlService] = await both(["service", "frontend", "-n", "shop"], "describe");
  const [nativeIngress, kubectlIngress] = await both(["ingress", "web", "-n", "lab"], "describe");
  const [nativeHpa, kubectlHpa] = await both(["hpa", "rolling-web", "-n", "lab"], "describe");
  const [nativeCustom, kubectlCustom] = await both(["certificate", "api-tls", "-n", "lab"], "describe");
  const [nativeSorted, kubectlSorted] = await both(["events", "-A", "--sort-by=.lastTimestamp"], "get");
  const byIp = ["pods", "-A", "-o", "wide", "--sort-by=.status.podIP"];
  const [nativeIps, kubectlIps] = await both(byIp, "get");
  const [nativeRole, kubectlRole] = await both(["role", "deployer", "-n", "lab"], "describe");
  // Two pods read one after the other, and a ConfigMap of many keys: kubectl walks both in Go's
  // random map order, and native reads print one of its orders.
  const [nativePods, kubectlPods] = await both(["-l", "app=frontend", "-n", "shop", "--prefix"], "logs");
  const [nativeKeys, kubectlKeys] = await both(["configmap", "yaml-scalars", "-n", "lab"], "describe");
  const [nativeCanI, kubectlCanI] = await both(["can-i", "list", "pods", "-n", "shop"], "auth");
  const [nativeClusterInfo, kubectlClusterInfo] = await both(["-n", "lab"], "cluster-info");
  const [nativeExplain, kubectlExplain] = await both(["pods.spec.containers"], "explain");
  const goTemplate = 'go-template={{range .items}}{{.metadata.name}} {{.status.phase}}{{"\\n"}}{{end}}';
  const [nativeGoTemplate, kubectlGoTemplate] = await both(["pods", "-n", "shop", "-o", goTemplate], "get");
  /** Bounded by the lines the same command prints without following: it ends once they have come. */
  const linesOf = async (commandType: string, args: string[]) => ({
    follow_lines: ((await execute("native", commandType, args))?.stdout ?? "").split("\n").length - 1,
    follow_seconds: 10,
  });
  const followArgs = ["-f", "deploy/frontend", "-n", "shop"];
  const [nativeFollow, kubectlFollow] = await both(
    followArgs,
    "logs",
    await linesOf("logs", ["deploy/frontend", "-n", "shop"]),
  );
  const [nativeWatch, kubectlWatch] = await both(
    ["pods", "-n", "shop", "-w"],
    "get",
    await linesOf("get", ["pods", "-n", "shop"]),
  );
  const [nativeWatchNames, kubectlWatchNames] = await both(
    ["pods", "-n", "shop", "-w", "-o", "name"],
    "get",
    await linesOf("get", ["pods", "-n", "shop", "-o", "name"]),
  );
  // Follows at once, each to the end of a 2 s window: kubectl's run three at a time (its process
  // slots, the last kept free), native ones all together.
  const together = async (clusterId: string) => {
    const t0 = performance.now();
    const ended = await Promise.all(
      Array.from({ length: FOLLOWS_AT_ONCE }, () =>
        execute(clusterId, "logs", followArgs, { follow_seconds: 2, timeout_seconds: 120 }),
      ),
    );
    if (ended.some((result) => result?.follow?.ended_by !== "window"))
      throw new Error(`a follow on ${clusterId} did not end by its window`);
    return round((performance.now() - t0) / 1000, 1);
  };
  const nativeTogether = await together("native");
  const kubectlTogether = await together("kubectl-only");
  const idle = await rssMb(native.pid);
  let underLoad = idle;
  const load = closedLoop(32, loadMs, () => get("native"), 200_000);
  const sampler = setInterval(async () => {
    underLoad = Math.max(underLoad, await rssMb(native.pid).catch(() => underLoad));
  }, 200);
  const result = await load;
  clearInterval(sampler);
  await Promise.all([native.stop(), kubectl.stop()]);
  await server.stop();
  await standin.stop();
  if (result.errors > 0) throw new Error(`${result.errors} native reads failed under load`);
  return {
    native_p50_ms: round(nativeSpread.median),
    native_p99_ms: round(nativeSpread.p99),
    kubectl_p50_ms: round(kubectlSpread.median),
    native_jsonpath_p50_ms: round(nativeJsonPath.median),
    kubectl_jsonpath_p50_ms: round(kubectlJsonPath.median),
    native_logs_selector_p50_ms: round(nativeSelected.median),
    kubectl_logs_selector_p50_ms: round(kubectlSelected.median),
    native_top_p50_ms: round(nativeTop.median),
    kubectl_top_p50_ms: round(kubectlTop.median),
    native_describe_p50_ms: nativeDescribe as number,
    kubectl_describe_p50_ms: kubectlDescribe as number,
    native_describe_node_p50_ms: nativeNode as number,
    kubectl_describe_node_p50_ms: kubectlNode as number,
    native_describe_service_p50_ms: nativeService as number,
    kubectl_describe_service_p50_ms: kubectlService as number,
    native_describe_ingress_p50_ms: nativeIngress as number,
    kubectl_describe_ingress_p50_ms: kubectlIngress as number,
    native_describe_hpa_p50_ms: nativeHpa as number,
    kubectl_describe_hpa_p50_ms: kubectlHpa as number,
    native_describe_custom_p50_ms: nativeCustom as number,
    kubectl_describe_custom_p50_ms: kubectlCustom as number,
    native_sorted_events_p50_ms: nativeSorted as number,
    kubectl_sorted_events_p50_ms: kubectlSorted as number,
    native_sorted_ips_p50_ms: nativeIps as number,
    kubectl_sorted_ips_p50_ms: kubectlIps as number,
    native_describe_role_p50_ms: nativeRole as number,
    kubectl_describe_role_p50_ms: kubectlRole as number,
    native_logs_two_pods_p50_ms: nativePods as number,
    kubectl_logs_two_pods_p50_ms: kubectlPods as number,
    native_describe_configmap_p50_ms: nativeKeys as number,
    kubectl_describe_configmap_p50_ms: kubectlKeys as number,
    native_logs_follow_p50_ms: nativeFollow as number,
    kubectl_logs_follow_p50_ms: kubectlFollow as number,
    native_get_watch_p50_ms: nativeWatch as number,
    kubectl_get_watch_p50_ms: kubectlWatch as number,
    native_get_watch_names_p50_ms: nativeWatchNames as number,
    kubectl_get_watch_names_p50_ms: kubectlWatchNames as number,
    native_can_i_p50_ms: nativeCanI as number,
    kubectl_can_i_p50_ms: kubectlCanI as number,
    native_cluster_info_p50_ms: nativeClusterInfo as number,
    kubectl_cluster_info_p50_ms: kubectlClusterInfo as number,
    native_explain_p50_ms: nativeExplain as number,
    kubectl_explain_p50_ms: kubectlExplain as number,
    native_go_template_p50_ms: nativeGoTemplate as number,
    kubectl_go_template_p50_ms: kubectlGoTemplate as number,
    native_follows_at_once_s: nativeTogether,
    kubectl_follows_at_once_s: kubectlTogether,
    native_reads_per_s_32_clients: Math.round(result.perSecond),
    executor_rss_idle_mb: round(idle, 1),
    executor_rss_under_load_mb: round(underLoad, 1),
  };
}

if (import.meta.main) {
  const dir = mkdtempSync(join(tmpdir(), "kubently-bench-native-"));
  try {
    console.log(JSON.stringify(await nativeReads(300, 5_000, dir), null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
