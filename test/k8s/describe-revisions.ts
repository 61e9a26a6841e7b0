// The ControllerRevisions the `lab` StatefulSets and DaemonSets keep, as their controllers write
// them: one per template the workload has had, named by the template's hash, labelled with the
// template's labels and the hash, owned by the workload, carrying its change cause when it had one.
// One more has the queue's labels but no owner, as a revision left behind would: `rollout history`
// must not count it.

import type { FixtureBuilder } from "./fixture-builders";
import type { KubeObject } from "./types";

const MIN = 60;
const CHANGE_CAUSE = "kubernetes.io/change-cause";

interface Revision {
  revision: number;
  hash: string;
  cause?: string;
}

/** Each revision of `owner` (a StatefulSet or DaemonSet of `objects`, by name). */
function revisionsOf(b: FixtureBuilder, owner: KubeObject, revisions: Revision[]): KubeObject[] {
  const spec = owner.spec as { template: { metadata?: { labels?: Record<string, string> } } };
  const hashLabel =
    owner.kind === "StatefulSet" ? "controller.kubernetes.io/hash" : "controller-revision-hash";
  return revisions.map(({ revision, hash, cause }, i) =>
    b.add({
      apiVersion: "apps/v1",
      kind: "ControllerRevision",
      metadata: {
        ...b.meta(
          "ControllerRevision",
          `${owner.metadata.name}-${hash}`,
          owner.metadata.namespace,
          26 * MIN - i * 60,
        ),
        labels: { ...spec.template.metadata?.labels, [hashLabel]: hash },
        ...(cause ? { annotations: { [CHANGE_CAUSE]: cause } } : {}),
        ownerReferences: [
          {
            apiVersion: "apps/v1",
            kind: owner.kind,
            name: owner.metadata.name,
            uid: owner.metadata.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      data: { spec: { template: { ...spec.template, $patch: "replace" } } },
      revision,
    }),
  );
}

export function labRevisions(b: FixtureBuilder, objects: KubeObject[]): KubeObject[] {
  const named = (kind: string, name: string) => {
    const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
    if (!found) throw new Error(`no ${kind} ${name} to keep revisions of`);
    return found;
  };
  const queue = named("StatefulSet", "queue");
  const [orphan] = revisionsOf(b, queue, [{ revision: 9, hash: "9f8e7d6c5" }]);
  if (orphan) delete orphan.metadata.ownerReferences;
  return [
    ...revisionsOf(b, named("StatefulSet", "postgres"), [
      { revision: 1, hash: "5c6d7e8f9" },
      { revision: 2, hash: "7d4b9c8f6", cause: "kubectl apply --filename=postgres.yaml --record=true" },
    ]),
    ...revisionsOf(b, named("StatefulSet", "cache"), [{ revision: 1, hash: "7d4b9c8f6" }]),
    ...revisionsOf(b, queue, [
      { revision: 1, hash: "6b5c4d3e2" },
      { revision: 2, hash: "8a7b6c5d4", cause: "raise queue memory" },
      { revision: 3, hash: "7d4b9c8f6" },
    ]),
    ...(orphan ? [orphan] : []),
    ...revisionsOf(b, named("DaemonSet", "log-agent"), [
      { revision: 1, hash: "5d7c6b8a9" },
      { revision: 2, hash: "6f8d9c7b5", cause: "kubectl set image ds/log-agent log-agent=2.2.0" },
    ]),
    ...revisionsOf(b, named("DaemonSet", "node-exporter"), [{ revision: 1, hash: "6f8d9c7b5" }]),
    ...revisionsOf(b, named("DaemonSet", "legacy-agent"), [
      { revision: 3, hash: "4c5d6e7f8" },
      { revision: 1, hash: "6f8d9c7b5" },
    ]),
  ];
}
