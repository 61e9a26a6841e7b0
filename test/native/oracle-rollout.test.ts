/**
 * `kubectl rollout status` and `rollout history` of Deployments, StatefulSets and DaemonSets
 * against its oracle (oracle-harness.ts): real kubectl and native reads through the same gate and
 * stand-in, whose `lab` namespace has a Deployment in each state rollout status names and
 * StatefulSets and DaemonSets of each update strategy, with their ControllerRevisions
 * (describe-scenario.ts, describe-revisions.ts). Every line native reads answer must print what
 * kubectl prints: a rollout that is done, one whose progress deadline passed, one whose strategy
 * has no status, any state with --watch=false, each workload's revisions and change causes (none
 * for a Deployment without ReplicaSets, a revision nobody controls left out), a name that is not
 * there and a namespace the gate denies. A rollout still under way, watched, is left to kubectl, which waits.
 */
import { describe, expect, test } from "bun:test";
import type { RunOutcome } from "../../executor/runner";
import { describeScenario } from "../k8s/describe-scenario";
import type { KubeObject } from "../k8s/types";
import { useOracle } from "./oracle-harness";

const WAITING = ["rolling-web", "draining-web", "warming-web", "unobserved-web"];
const SETTLED: [string, string][] = [
  ["checkout", "shop"],
  ["frontend", "shop"],
  ["credit-service", "shop"],
  ["batch-runner", "lab"],
  ["external-secrets", "external-secrets"],
];

const LINES = [
  ...SETTLED.flatMap(([name, ns]) => [
    ["rollout", "status", `deployment/${name}`, "-n", ns],
    ["rollout", "status", "deploy", name, "--namespace", ns, "--timeout=30s"],
    ["rollout", "status", `deployments/${name}`, "-n", ns, "-w=false"],
  ]),
  ...WAITING.flatMap((name) => [
    ["rollout", "status", `deployment/${name}`, "-n", "lab", "--watch=false"],
    ["rollout", "status", "deploy", name, "-n", "lab", "-w=false", "--timeout=1m"],
  ]),
  ["rollout", "status", "deployment/nope", "-n", "shop"],
  ["rollout", "status", "deployment/checkout"],
  ["rollout", "status", "deployment/coredns", "-n", "kube-system"],
  // History: ReplicaSets with and without a change cause, one the Deployment does not control, none.
  ...[...SETTLED, ...WAITING.map((name): [string, string] => [name, "lab"])].flatMap(([name, ns]) => [
    ["rollout", "history", `deployment/${name}`, "-n", ns],
    ["rollout", "history", "deploy", name, "--namespace", ns],
  ]),
  ["rollout", "status", "deployment.apps/frontend", "-n", "shop"],
  // StatefulSets: a partitioned rollout complete, one waiting for a pod, one that updates on delete.
  ["rollout", "status", "statefulset/queue", "-n", "lab"],
  ["rollout", "status", "sts", "queue", "-n", "lab", "-w=false"],
  ["rollout", "status", "sts/postgres", "-n", "lab", "--watch=false"],
  ["rollout", "status", "statefulsets.apps/cache", "-n", "lab"],
  ["rollout", "status", "sts/nope", "-n", "lab"],
  // DaemonSets: rolled out, a pod not yet available, one that updates on delete.
  ["rollout", "status", "daemonset/node-exporter", "-n", "lab"],
  ["rollout", "status", "ds", "log-agent", "-n", "lab", "--watch=false"],
  ["rollout", "status", "daemonsets.apps/legacy-agent", "-n", "lab"],
  // Their histories: revisions with and without a change cause, out of order, one nobody controls.
  ...["postgres", "cache", "queue"].flatMap((name) => [
    ["rollout", "history", `sts/${name}`, "-n", "lab"],
    ["rollout", "history", "statefulset", name, "-n", "lab"],
  ]),
  ...["log-agent", "node-exporter", "legacy-agent"].flatMap((name) => [
    ["rollout", "history", `ds/${name}`, "-n", "lab"],
    ["rollout", "history", "daemonsets.apps", name, "-n", "lab"],
  ]),
  ["rollout", "history", "sts/nope", "-n", "lab"],
  ["rollout", "history", "ds/nope", "-n", "lab"],
  ["rollout", "history", "deployments.apps", "checkout", "-n", "shop"],
  ["rollout", "history", "deployment/nope", "-n", "shop"],
  ["rollout", "history", "deployment/coredns", "-n", "kube-system"],
];

const oracle = useOracle({ scenario: describeScenario() });

describe("rollout status and history print what kubectl prints", () => {
  test(`${LINES.length} rollout status and history lines over Deployments, StatefulSets and DaemonSets in every state`, async () => {
    const { answered } = await oracle.compare(LINES);
    console.log(`native reads answered ${answered.length} of ${LINES.length} rollout command lines`);
    expect(answered.length).toBe(LINES.length);
  }, 240_000);

  test("a rollout still under way, watched, is answered only as a follow; forms it does not model are kubectl's", async () => {
    for (const argv of [
      ...WAITING.map((name) => ["rollout", "status", `deployment/${name}`, "-n", "lab"]),
      ["rollout", "status", "deployment/checkout", "-n", "shop", "--revision=2"],
      ["rollout", "status", "deployment", "-n", "shop", "-l", "app=checkout"],
      ["rollout", "status", "ds/log-agent", "-n", "lab"],
      ["rollout", "status", "sts/postgres", "-n", "lab"],
      ["rollout", "history", "sts/postgres", "-n", "lab", "--revision=1"],
      ["rollout", "history", "deployment/checkout", "-n", "shop", "--revision=2"],
      ["rollout", "history", "deployment/checkout", "-n", "shop", "-o", "yaml"],
    ]) {
      expect((await oracle.gated.native(argv)).output).toBeUndefined();
    }
  });

  test("a rollout under way, followed while its controller moves it: each step printed as kubectl prints it, to its end", async () => {
    type Status = {
      observedGeneration: number;
      replicas: number;
      updatedReplicas: number;
      availableReplicas: number;
    };
    const status = (d: KubeObject) => (d as unknown as { status: Status & { conditions: object[] } }).status;
    /** A change to a Deployment's status, as its controller would make it. */
    const set = (fields: Partial<Status> | { conditions: object[] }) => (d: KubeObject) => {
      Object.assign(status(d), fields);
    };
    const steps: [string, ((d: KubeObject) => void)[]][] = [
      ["rolling-web", [set({ updatedReplicas: 2 }), set({ updatedReplicas: 3 }), set({ replicas: 3 })]],
      ["draining-web", [set({ replicas: 2 })]],
      [
        "warming-web",
        [
          set({
            conditions: [
              {
                type: "Progressing",
                status: "False",
                reason: "ProgressDeadlineExceeded",
                message: "timed out",
              },
            ],
          }),
        ],
      ],
      ["unobserved-web", [set({ observedGeneration: 5 })]],
    ];
    for (const [name, changes] of steps) {
      const argv = ["rollout", "status", `deployment/${name}`, "-n", "lab"];
      const before = oracle.standin.watched("deployments");
      const runs = (["kubectl", "native"] as const).map((by) =>
        oracle.gated.follow(argv, by, { windowMs: 20_000 }),
      );
      await oracle.standin.watching("deployments", before + 2);
      for (const change of changes) oracle.standin.change("deployments", "lab", name, change);
      const [printed, native] = await Promise.all(runs);
      const ended = (outcome: RunOutcome | undefined) =>
        outcome && {
          name,
          stdout: outcome.stdout,
          stderr: outcome.stderr,
          exitCode: outcome.exitCode,
          stoppedBy: outcome.stoppedBy,
        };
      expect(ended(native)).toEqual(ended(printed));
      expect(native?.stdout.split("\n")).toHaveLength(changes.length + 2 - (name === "warming-web" ? 1 : 0));
    }
  }, 120_000);
});
