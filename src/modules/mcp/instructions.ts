/**
 * What the MCP server tells an agent as it connects (`instructions` in the initialize answer): how
 * Kubently's tools fit together and what the limits mean, so an agent plans within them instead of
 * learning them from refusals. The tools' own descriptions repeat what matters at the point of use.
 */

export const POLICY_RESOURCE_TEMPLATE = "kubently://clusters/{cluster_id}/policy";

export const policyUri = (clusterId: string): string => `kubently://clusters/${clusterId}/policy`;

/** Results over about this size come back as a preview and an output handle (read_output). */
const PREVIEW_THRESHOLD = "about 64 KiB";

export const INSTRUCTIONS = `Kubently runs kubectl commands on remote Kubernetes clusters through an executor inside each cluster; you never hold cluster credentials.

Start with list_clusters: the clusters, whether their executor is connected, and each cluster's policy (also the resource ${POLICY_RESOURCE_TEMPLATE}). The policy is what that cluster allows: mode, allowed and denied namespaces, restricted resources, max_timeout_seconds, max_output_bytes, native reads, redaction rules, impersonation. It is null when the executor is too old to report it.

Sessions are optional. execute_kubectl takes a cluster_id alone; create_debug_session gives a session_id that ties a series of commands together (one correlation id in the audit trail) and marks the cluster as being debugged. End it with end_debug_session.

execute_kubectl takes one kubectl command line and runs it without a shell: pipes, redirections, ';', '&&' and '$(...)' are refused. Narrow output with kubectl itself: -l, --field-selector, -o jsonpath=..., -o custom-columns=..., --sort-by, --tail, --since; the executor answers the common reads (get in these forms, describe of pods, deployments, replicasets, statefulsets, daemonsets, services, nodes, namespaces, quotas and limit ranges, logs, events, top pod and top node, rollout status of a deployment, statefulset or daemonset and history of a deployment) itself, in milliseconds.

Read-only here means the cluster policy's mode: readOnly allows reads only (get, describe, logs, events, top, explain, api-resources, api-versions, auth can-i, cluster-info, rollout status and history, version); extendedReadOnly also lets exec and port-forward past the command check, but the cluster gate refuses their API requests in every mode; only fullAccess changes anything. Secrets are not readable: restricted_resources lists them by default, in any form (get, describe, -o yaml), and the executor's shipped RBAC role does not grant them. Every Kubernetes API request kubectl makes passes the executor's cluster gate, which checks it against the same policy, so a command can be refused for a request it makes behind the scenes (describe serviceaccount lists Secrets: refused, API_REQUEST_DENIED).

A denial is final for that command: it is a tool error with COMMAND_DENIED and a denial_code (VERB_NOT_ALLOWED, RESOURCE_RESTRICTED, NAMESPACE_DENIED, API_REQUEST_DENIED, ...). Sending it again, or rewording it to reach the same thing, is refused again; pick another command within the policy, or tell the user what the policy forbids.

Big outputs come as handles. stdout and stderr are each capped at the cluster's max_output_bytes. A result over ${PREVIEW_THRESHOLD} comes back as a preview (its first and last lines), its total bytes and lines, and an output handle: read the rest with read_output {command_id, stream?, offset?, limit?, tail?, grep?}, a page of lines at a time, from the end with tail (or a negative offset), or only the lines matching grep. Through MCP, logs without --tail gets a default tail; give --tail=N or --since to choose.`;
