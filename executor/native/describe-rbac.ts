/**
 * Owns what `kubectl describe` prints for the RBAC kinds, as kubectl v1.32's Role, ClusterRole,
 * RoleBinding and ClusterRoleBinding describers write them. A role's rules are printed as kubectl
 * rewrites them (rbac-rules.ts). A binding prints its role and its subjects as they are.
 */
import { annotations, labels, laidOutBy, Writer } from "./describe-parts";
import type { DescribedBinding, DescribedRole } from "./describe-types";
import { ruleCells } from "./rbac-rules";

function role({ metadata, rules }: DescribedRole) {
  const w = new Writer();
  w.write(0, `Name:\t${metadata.name}\n`);
  labels(w, "Labels", metadata.labels);
  annotations(w, "Annotations", metadata.annotations);
  w.write(0, "PolicyRule:\n");
  w.write(1, "Resources\tNon-Resource URLs\tResource Names\tVerbs\n");
  w.write(1, "---------\t-----------------\t--------------\t-----\n");
  for (const cells of ruleCells(rules ?? [])) w.write(1, `${cells.join("\t")}\n`);
  return w.text;
}

function binding({ metadata, roleRef, subjects = [] }: DescribedBinding) {
  const w = new Writer();
  w.write(0, `Name:\t${metadata.name}\n`);
  labels(w, "Labels", metadata.labels);
  annotations(w, "Annotations", metadata.annotations);
  w.write(0, "Role:\n");
  w.write(1, `Kind:\t${roleRef.kind}\n`);
  w.write(1, `Name:\t${roleRef.name}\n`);
  w.write(0, "Subjects:\n");
  w.write(1, "Kind\tName\tNamespace\n");
  w.write(1, "----\t----\t---------\n");
  for (const s of subjects) w.write(1, `${s.kind}\t${s.name}\t${s.namespace ?? ""}\n`);
  return w.text;
}

/** What kubectl describe prints for a Role or ClusterRole, laid out; undefined where it holds what is not modeled. */
export const describeRole = laidOutBy(role);
/** What kubectl describe prints for a RoleBinding or ClusterRoleBinding, laid out. */
export const describeBinding = laidOutBy(binding);
