/**
 * The RBAC the stand-in's own user is given, so `kubectl auth can-i` has something true to say: the
 * read-only ClusterRole Kubently ships for its executor (deploy/executor/clusterrole.yaml, read as
 * it is, so what it grants is what these tests see), bound to the stand-in's service account; the
 * bootstrap system:basic-user every authenticated identity has (its self reviews); and, in lab, the
 * delivery pipeline's `deployer` Role bound to it too, so a namespace changes the answer.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { FixtureBuilder } from "./fixture-builders";
import { STANDIN_USER } from "./standin";
import type { KubeObject } from "./types";

const RBAC = "rbac.authorization.k8s.io";
const DAY = 24 * 60 * 60;
const MANIFEST = join(import.meta.dir, "../../deploy/executor/clusterrole.yaml");

export function executorRbac(b: FixtureBuilder): KubeObject[] {
  const shipped = parse(readFileSync(MANIFEST, "utf8")) as KubeObject & { rules: unknown[] };
  const role = (kind: string, name: string, namespace: string | undefined, rest: object) =>
    b.add({ apiVersion: `${RBAC}/v1`, kind, metadata: b.meta(kind, name, namespace, 30 * DAY), ...rest });
  const [, , namespace, name] = STANDIN_USER.split(":");
  const account = { kind: "ServiceAccount", name, namespace };
  return [
    role("ClusterRole", shipped.metadata.name, undefined, { rules: shipped.rules }),
    role("ClusterRoleBinding", shipped.metadata.name, undefined, {
      roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: shipped.metadata.name },
      subjects: [account],
    }),
    role("ClusterRole", "system:basic-user", undefined, {
      rules: [
        {
          apiGroups: ["authorization.k8s.io"],
          resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
          verbs: ["create"],
        },
      ],
    }),
    role("ClusterRoleBinding", "system:basic-user", undefined, {
      roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: "system:basic-user" },
      subjects: [{ apiGroup: RBAC, kind: "Group", name: "system:authenticated" }],
    }),
    role("RoleBinding", "kubently-deployer", "lab", {
      roleRef: { apiGroup: RBAC, kind: "Role", name: "deployer" },
      subjects: [account],
    }),
  ];
}
