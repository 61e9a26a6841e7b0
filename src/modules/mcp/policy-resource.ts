/**
 * The MCP resource per cluster, `kubently://clusters/{cluster_id}/policy`: what the cluster's
 * executor reported of its policy, as JSON. Listed (one per registered cluster) and read through
 * KubentlyApi, so /mcp and `kubently mcp` serve the same resource.
 */
import { type McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import type { KubentlyApi } from "../../client/api";
import { type ClusterView, isClusterId } from "../../models";
import { POLICY_RESOURCE_TEMPLATE, policyUri } from "./instructions";

const NO_POLICY =
  "the executor reported no policy: it is older than policy reports, or its report could not be read";

/** One line for a resource listing, so an agent can tell clusters apart before reading any. */
function summary({ policy }: ClusterView): string {
  if (!policy) return NO_POLICY;
  const restricted = policy.restricted_resources.join(", ") || "none";
  return (
    `${policy.mode}; namespaces ${policy.allowed_namespaces.join(", ")}` +
    (policy.denied_namespaces.length > 0 ? ` except ${policy.denied_namespaces.join(", ")}` : "") +
    `; restricted: ${restricted}`
  );
}

function document({ cluster_id, connected, executor_version, policy }: ClusterView): string {
  const body = { cluster_id, connected, executor_version, policy, ...(policy ? {} : { note: NO_POLICY }) };
  return JSON.stringify(body, null, 2);
}

export function registerPolicyResource(server: McpServer, apiOf: () => KubentlyApi): void {
  const template = new ResourceTemplate(POLICY_RESOURCE_TEMPLATE, {
    list: async () => ({
      resources: (await apiOf().listClusters()).map((cluster) => ({
        uri: policyUri(cluster.cluster_id),
        name: `${cluster.cluster_id} policy`,
        description: summary(cluster),
        mimeType: "application/json",
      })),
    }),
    complete: {
      cluster_id: async (prefix) =>
        (await apiOf().listClusters()).map((c) => c.cluster_id).filter((id) => id.startsWith(prefix)),
    },
  });
  server.registerResource(
    "cluster-policy",
    template,
    {
      title: "A cluster's policy",
      description:
        "What the cluster's executor reported of its policy when it last connected: mode, allowed and denied " +
        "namespaces, restricted resources, max_timeout_seconds, max_output_bytes, native reads, redaction rules, " +
        "impersonation on or off. policy is null for an executor too old to report it.",
      mimeType: "application/json",
    },
    async (uri, { cluster_id }) => {
      const clusterId = String(cluster_id);
      if (!isClusterId(clusterId)) {
        throw new McpError(ErrorCode.InvalidParams, `'${clusterId.slice(0, 80)}' is not a cluster id`);
      }
      const cluster = (await apiOf().listClusters()).find((c) => c.cluster_id === clusterId);
      if (!cluster) {
        throw new McpError(
          ErrorCode.InvalidParams,
          `no cluster '${clusterId}' is registered; list_clusters shows those that are`,
        );
      }
      return { contents: [{ uri: uri.href, mimeType: "application/json", text: document(cluster) }] };
    },
  );
}
