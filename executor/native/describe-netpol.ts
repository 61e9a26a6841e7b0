/**
 * Owns what `kubectl describe networkpolicy` prints for one NetworkPolicy, as kubectl v1.32's
 * NetworkPolicyDescriber writes it (no events: it reads none): its fields, the pods it selects, then
 * for ingress and egress either that it does not affect them, or each rule's ports (a range, the
 * protocol TCP unless given) and peers (pods, namespaces, both, or an address block with its
 * exceptions) in kubectl's words, rules separated by dashes, and the policy types. Selectors print
 * as FormatLabelSelector prints them (describe-parts.ts). A port left unset (kubectl prints a panic's words for it) and a
 * selector kubectl could not parse or sort are not modeled.
 */
import { annotations, formatLabelSelector, labels, laidOutBy, unmodeled, Writer } from "./describe-parts";
import type { DescribedNetworkPolicy, PolicyPeer, PolicyPort } from "./describe-types";

/** Go's time.Time String() in UTC, for a timestamp of whole seconds. */
function goTime(text: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})Z$/.exec(text) ?? unmodeled();
  return `${match[1]} ${match[2]} +0000 UTC`;
}

const INDENT = "    ";

function ports(w: Writer, list: PolicyPort[] | undefined): void {
  if (!list?.length) {
    w.write(0, `${INDENT}To Port: <any> (traffic allowed to all ports)\n`);
    return;
  }
  for (const { protocol = "TCP", port, endPort } of list) {
    if (port === undefined) unmodeled();
    if (endPort === undefined) w.write(0, `${INDENT}To Port: ${port}/${protocol}\n`);
    else w.write(0, `${INDENT}To Port Range: ${port}-${endPort}/${protocol}\n`);
  }
}

function peers(w: Writer, title: "From" | "To", list: PolicyPeer[] | undefined): void {
  if (!list?.length) {
    const what = title === "From" ? "source" : "destination";
    w.write(0, `${INDENT}${title}: <any> (traffic not restricted by ${what})\n`);
    return;
  }
  for (const { podSelector, namespaceSelector, ipBlock } of list) {
    w.write(0, `${INDENT}${title}:\n`);
    if (namespaceSelector)
      w.write(1, `${INDENT}NamespaceSelector: ${formatLabelSelector(namespaceSelector)}\n`);
    if (podSelector) w.write(1, `${INDENT}PodSelector: ${formatLabelSelector(podSelector)}\n`);
    if (!podSelector && !namespaceSelector && ipBlock) {
      w.write(1, `${INDENT}IPBlock:\n`);
      w.write(2, `${INDENT}CIDR: ${ipBlock.cidr}\n`);
      w.write(2, `${INDENT}Except: ${(ipBlock.except ?? []).join(", ")}\n`);
    }
  }
}

function rules(
  w: Writer,
  direction: "ingress" | "egress",
  list: { ports?: PolicyPort[]; peers?: PolicyPeer[] }[],
): void {
  if (list.length === 0) {
    w.write(0, `${INDENT}<none> (Selected pods are isolated for ${direction} connectivity)\n`);
    return;
  }
  list.forEach((rule, i) => {
    ports(w, rule.ports);
    peers(w, direction === "ingress" ? "From" : "To", rule.peers);
    if (i !== list.length - 1) w.write(0, `${INDENT}----------\n`);
  });
}

function describe(policy: DescribedNetworkPolicy) {
  const { metadata, spec } = policy;
  const w = new Writer();
  w.write(0, `Name:\t${metadata.name}\n`);
  w.write(0, `Namespace:\t${metadata.namespace}\n`);
  w.write(0, `Created on:\t${goTime(metadata.creationTimestamp)}\n`);
  labels(w, "Labels", metadata.labels);
  annotations(w, "Annotations", metadata.annotations);
  w.write(0, "Spec:\n");
  w.write(1, "PodSelector: ");
  const everything =
    !Object.keys(spec.podSelector.matchLabels ?? {}).length && !spec.podSelector.matchExpressions?.length;
  w.write(
    2,
    everything
      ? "<none> (Allowing the specific traffic to all pods in this namespace)\n"
      : `${formatLabelSelector(spec.podSelector)}\n`,
  );
  const types = spec.policyTypes ?? [];
  const directions = [
    ["ingress", "Ingress", (spec.ingress ?? []).map(({ ports, from }) => ({ ports, peers: from }))],
    ["egress", "Egress", (spec.egress ?? []).map(({ ports, to }) => ({ ports, peers: to }))],
  ] as const;
  for (const [direction, type, list] of directions) {
    if (!types.includes(type)) {
      w.write(1, `Not affecting ${direction} traffic\n`);
      continue;
    }
    w.write(1, `Allowing ${direction} traffic:\n`);
    rules(w, direction, list);
  }
  w.write(1, `Policy Types: ${types.length === 0 ? "<none>" : types.join(", ")}\n`);
  return w.text;
}

/** What kubectl describe prints for `policy`, laid out; undefined where it holds what is not modeled. */
export const describeNetworkPolicy = laidOutBy(describe);
