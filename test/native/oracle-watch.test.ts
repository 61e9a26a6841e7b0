/**
 * `get -w` and `--watch-only` answered natively, held to real kubectl through the same gate and
 * stand-in: both are started at once, and once both watches are open at the stand-in, objects
 * change as a controller would change them (`standin.change`); when both have printed the last
 * change, both are stopped. What each printed must be the same, byte for byte, and what each passed
 * on as it arrived the same as its result. The lines that end by themselves (a missing name, a
 * denied namespace) and those native reads leave to kubectl run to their end.
 */
import { describe, expect, test } from "bun:test";
import type { RunOutcome } from "../../executor/runner";
import type { KubeObject } from "../k8s/types";
import { useOracle } from "./oracle-harness";
import { passedOn } from "./passed-on";

const oracle = useOracle();
const WINDOW_MS = 20_000;
/** A line whose initial table spans a second boundary (ages) is run again, at most this often. */
const ATTEMPTS = 3;

const FRONTEND = "frontend-6b8d9c7f4d-k7m2p";
const CHECKOUT = "checkout-7d9f8b6c5-x2x9q";
const HEALTHY = "credit-service-58c4b6d9f7-m4p8z";

interface Change {
  resource: string;
  name: string;
  mutate: (obj: KubeObject) => void;
  /** Printed by the watch: the last such change is waited for in both outputs. */
  shows?: string;
  /** How often `shows` is in the output once the change is printed (once, unless said). */
  times?: number;
}

/** How a restart count is printed: in a table's cell, or as -o json and -o yaml print the field. */
type Shown = (count: number) => string;
const inTable: Shown = String;
const inJson: Shown = (count) => `"restartCount": ${count}`;
const inYaml: Shown = (count) => `restartCount: ${count}`;
const inJsonLine: Shown = (count) => `"restartCount":${count}`;

let restarts = 7000;
/** A pod's first container restarted once more: its RESTARTS cell shows the new count. */
function restarted(name: string, printed: Shown | false = inTable): Change {
  restarts += 1;
  const count = restarts;
  return {
    resource: "pods",
    name,
    mutate: (pod) => {
      const status = (pod as unknown as { status: { containerStatuses: { restartCount: number }[] } }).status;
      (status.containerStatuses[0] as { restartCount: number }).restartCount = count;
    },
    ...(printed ? { shows: printed(count) } : {}),
  };
}

function scaled(name: string, ready: number, shows = `${ready}/`): Change {
  return {
    resource: "deployments",
    name,
    mutate: (deployment) => {
      (deployment as unknown as { status: { readyReplicas: number } }).status.readyReplicas = ready;
    },
    shows,
  };
}

/** Runs `argv` both ways at once, making `changes` once both watch; undefined when native reads fall back. */
async function both(argv: string[], changes: Change[], resource = "pods") {
  const stops = { kubectl: new AbortController(), native: new AbortController() };
  const seen = { kubectl: passedOn(), native: passedOn() };
  const run = (by: "kubectl" | "native") =>
    oracle.gated.follow(
      argv,
      by,
      { windowMs: WINDOW_MS },
      { signal: stops[by].signal, onOutput: seen[by].onOutput },
    );
  const before = oracle.standin.watched(resource);
  const runs = [run("kubectl"), run("native")] as const;
  if (changes.length > 0) {
    await oracle.standin.watching(resource, before + 2);
    for (const change of changes) oracle.standin.change(change.resource, "shop", change.name, change.mutate);
    const last = changes.findLast((change) => change.shows !== undefined);
    // Either wait ends early where both runs ended first (by their window): their outputs differ.
    const ended = Promise.all(runs);
    if (last?.shows !== undefined) {
      const { shows, times } = last;
      await Promise.race([
        Promise.all([seen.kubectl.printed(shows, times), seen.native.printed(shows, times)]),
        ended,
      ]);
      // Native reads write each object whole, kubectl a line at a time: all of it came once
      // kubectl's is as long.
      await Promise.race([seen.kubectl.reached(seen.native.text.stdout.length), ended]);
    }
    stops.kubectl.abort();
    stops.native.abort();
  }
  const [printed, native] = await Promise.all(runs);
  return { printed: printed as RunOutcome, native, seen };
}

async function compareWatch(argv: string[], changes: () => Change[], resource?: string) {
  const line = argv.join(" ");
  for (let attempt = 1; ; attempt++) {
    const { printed, native, seen } = await both(argv, changes(), resource);
    if (native === undefined) return "fellBack";
    const same = (["stdout", "stderr", "exitCode"] as const).every((key) => native[key] === printed[key]);
    if (!same && attempt < ATTEMPTS) continue;
    const ended = ({ stdout, stderr, exitCode }: RunOutcome) => ({ line, stdout, stderr, exitCode });
    expect(ended(native)).toEqual(ended(printed));
    expect({ line, ...seen.native.text }).toEqual({ line, stdout: native.stdout, stderr: native.stderr });
    expect({ line, ...seen.kubectl.text }).toEqual({ line, stdout: printed.stdout, stderr: printed.stderr });
    return "answered";
  }
}

const NS = ["-n", "shop"];
const RESTART_COLUMNS =
  "custom-columns=NAME:.metadata.name,RESTARTS:.status.containerStatuses[*].restartCount";

describe("get -w answered natively prints what kubectl prints", () => {
  const watchLines: [string[], () => Change[]][] = [
    [["get", "pods", ...NS, "-w"], () => [restarted(FRONTEND), restarted(HEALTHY)]],
    [["get", "pods", ...NS, "--watch", "-o", "wide"], () => [restarted(CHECKOUT)]],
    [["get", "po", "-A", "-w"], () => [restarted(FRONTEND), restarted(FRONTEND)]],
    [["get", "pods", ...NS, "-w", "--no-headers"], () => [restarted(HEALTHY)]],
    [["get", "pods", ...NS, "--watch-only"], () => [restarted(FRONTEND), restarted(CHECKOUT)]],
    [["get", "pods", ...NS, "--watch-only", "--no-headers", "-o", "wide"], () => [restarted(HEALTHY)]],
    [
      ["get", "pods", ...NS, "-w", "-l", "app=frontend"],
      () => [restarted(CHECKOUT, false), restarted(FRONTEND)],
    ],
    [["get", "pods", ...NS, "-w", "--show-labels"], () => [restarted(FRONTEND)]],
    [["get", "pods", ...NS, "-w", "-L", "app", "-L", "pod-template-hash"], () => [restarted(FRONTEND)]],
    [["get", "pods", ...NS, "-w", "--field-selector", "status.phase=Running"], () => [restarted(HEALTHY)]],
    [["get", "pod", FRONTEND, ...NS, "-w"], () => [restarted(HEALTHY, false), restarted(FRONTEND)]],
    [["get", "pod", FRONTEND, ...NS, "--watch-only"], () => [restarted(FRONTEND), restarted(FRONTEND)]],
    [["get", `pods/${CHECKOUT}`, ...NS, "-w", "-o", "wide"], () => [restarted(CHECKOUT)]],
  ];

  test(`${watchLines.length} watches of pods, changed while both watch: byte for byte`, async () => {
    for (const [argv, changes] of watchLines) {
      if (process.env.SHOW_WATCH) console.log("watch:", argv.join(" "));
      expect(await compareWatch(argv, changes)).toBe("answered");
    }
  }, 120_000);

  test("watches printing objects: -o json, yaml, name, jsonpath, go-template and custom columns, alone and inside their events", async () => {
    const lines: [string[], () => Change[]][] = [
      [["get", "pods", ...NS, "-w", "-o", "json"], () => [restarted(FRONTEND, inJson)]],
      [
        ["get", "pods", ...NS, "-w", "-o", "yaml"],
        () => [restarted(HEALTHY, inYaml), restarted(CHECKOUT, inYaml)],
      ],
      [
        ["get", "pods", ...NS, "--watch-only", "-o", "yaml"],
        () => [restarted(FRONTEND, inYaml), restarted(HEALTHY, inYaml)],
      ],
      [
        ["get", "pods", ...NS, "--watch-only", "-o", "json", "-l", "app=frontend"],
        () => [restarted(CHECKOUT, false), restarted(FRONTEND, inJson)],
      ],
      [["get", "pod", FRONTEND, ...NS, "-w", "-o", "json"], () => [restarted(FRONTEND, inJson)]],
      [
        ["get", "pod", FRONTEND, ...NS, "--watch-only", "-o", "yaml"],
        () => [restarted(FRONTEND, inYaml), restarted(FRONTEND, inYaml)],
      ],
      [["get", `pods/${CHECKOUT}`, ...NS, "-w", "-o", "yaml"], () => [restarted(CHECKOUT, inYaml)]],
      [["get", "pods", "-A", "-w", "-o", "yaml"], () => [restarted(FRONTEND, inYaml)]],
      [
        ["get", "pods", ...NS, "-w", "-o", "name"],
        () => [{ ...restarted(FRONTEND), shows: `pod/${FRONTEND}`, times: 2 }],
      ],
      [
        ["get", "pods", ...NS, "--watch-only", "-o", "name"],
        () => [{ ...restarted(CHECKOUT), shows: `pod/${CHECKOUT}` }],
      ],
      [
        [
          "get",
          "pods",
          ...NS,
          "-w",
          "-o",
          'jsonpath={.metadata.name} {.status.containerStatuses[0].restartCount}{"\\n"}',
        ],
        () => [restarted(HEALTHY)],
      ],
      [
        [
          "get",
          "pods",
          ...NS,
          "-w",
          "-o",
          'go-template={{.metadata.name}} {{(index .status.containerStatuses 0).restartCount}}{{"\\n"}}',
        ],
        () => [restarted(FRONTEND)],
      ],
      [["get", "deploy", ...NS, "-w", "-o", "json"], () => [scaled("frontend", 1, '"readyReplicas": 1')]],
      [["get", "pods", ...NS, "-w", "-o", RESTART_COLUMNS], () => [restarted(FRONTEND), restarted(HEALTHY)]],
      [
        ["get", "pods", ...NS, "--watch-only", "-o", RESTART_COLUMNS],
        () => [restarted(CHECKOUT), restarted(FRONTEND)],
      ],
      [
        ["get", "pod", FRONTEND, ...NS, "-w", "--no-headers", "-o", RESTART_COLUMNS],
        () => [restarted(FRONTEND)],
      ],
      [
        [
          "get",
          "deploy",
          ...NS,
          "-w",
          "-o",
          "custom-columns=NAME:.metadata.name,READY:.status.readyReplicas",
        ],
        () => [{ ...scaled("checkout", 11), shows: "11" }],
      ],
      [
        ["get", "pods", ...NS, "-w", "-o", "json", "--output-watch-events"],
        () => [restarted(FRONTEND, inJsonLine)],
      ],
      [
        ["get", "pods", ...NS, "--watch-only", "-o", "yaml", "--output-watch-events"],
        () => [restarted(HEALTHY, inYaml), restarted(CHECKOUT, inYaml)],
      ],
      [
        ["get", "pod", FRONTEND, ...NS, "-w", "-o", "name", "--output-watch-events"],
        () => [{ ...restarted(FRONTEND), shows: `pod/${FRONTEND}`, times: 2 }],
      ],
      [
        [
          "get",
          "pods",
          ...NS,
          "-w",
          "--output-watch-events",
          "-o",
          'jsonpath={.type} {.object.metadata.name}{"\\n"}',
        ],
        () => [{ ...restarted(CHECKOUT), shows: `MODIFIED ${CHECKOUT}` }],
      ],
      [
        [
          "get",
          "pods",
          ...NS,
          "--watch-only",
          "--output-watch-events",
          "-o",
          'go-template={{.type}} {{.object.metadata.name}}{{"\\n"}}',
        ],
        () => [{ ...restarted(HEALTHY), shows: `MODIFIED ${HEALTHY}` }],
      ],
      [
        ["get", "deployment", "checkout", ...NS, "-w", "-o", "name"],
        () => [{ ...scaled("checkout", 0), shows: "deployment.apps/checkout", times: 2 }],
      ],
    ];
    for (const [argv, changes] of lines) {
      const resource = argv[1]?.startsWith("deploy") ? "deployments" : "pods";
      expect(await compareWatch(argv, changes, resource)).toBe("answered");
    }
  }, 180_000);

  test("a Deployment scaled while watched", async () => {
    const lines: [string[], () => Change[]][] = [
      [["get", "deploy", ...NS, "-w"], () => [scaled("frontend", 1), scaled("frontend", 2)]],
      [["get", "deployment", "checkout", ...NS, "--watch", "-o", "wide"], () => [scaled("checkout", 0)]],
    ];
    for (const [argv, changes] of lines)
      expect(await compareWatch(argv, changes, "deployments")).toBe("answered");
  }, 60_000);

  test("watches that end by themselves, and those left to kubectl", async () => {
    const ending = [
      ["get", "pod", "nope", ...NS, "-w"],
      ["get", "pods", "-n", "kube-system", "-w"],
      ["get", "pdos", ...NS, "-w"],
      ["get", "pods", FRONTEND, "-A", "-w"],
    ];
    for (const argv of ending) expect(await compareWatch(argv, () => [])).toBe("answered");
    const left = [
      ["get", "pods,svc", ...NS, "-w"],
      ["get", "pods", ...NS, "-w", "-o", "custom-columns=NAME:.metadata.name", "--output-watch-events"],
      ["get", "pods", ...NS, "-w", "--sort-by=.metadata.name"],
      ["get", "pods", ...NS, "-w", "--output-watch-events"],
      ["get", "pods", ...NS, "-o", "json", "--output-watch-events"],
    ];
    for (const argv of left)
      expect(await oracle.gated.follow(argv, "native", { windowMs: WINDOW_MS })).toBeUndefined();
  }, 60_000);

  test("events -w: every event there is, then one that changes, as each comes", async () => {
    const [first = ""] =
      (await oracle.gated.native(["get", "events", ...NS, "-o", "name"])).output?.stdout.split("\n") ?? [];
    const name = first.slice("event/".length);
    let told = 0;
    /** The event told again with new words, as a kubelet repeats one: its row is printed again. */
    const retold = (): Change[] => {
      told += 1;
      const message = `retold ${told} ${crypto.randomUUID()}`;
      return [{ resource: "events", name, mutate: (e) => Object.assign(e, { message }), shows: message }];
    };
    for (const argv of [
      ["events", ...NS, "-w"],
      ["events", "-A", "--watch"],
      ["events", ...NS, "-w", "--no-headers"],
      ["events", ...NS, "-w", "--for", `pod/${CHECKOUT}`],
      ["events", ...NS, "-w", "--types=Normal,Warning"],
      ["events", ...NS, "-w", "-o", "json"],
      ["events", "-A", "-w", "-o", "yaml"],
      ["events", ...NS, "-w", "-o", 'go-template={{.reason}}: {{.message}}{{"\\n"}}'],
    ]) {
      expect(await compareWatch(argv, retold, "events")).toBe("answered");
    }
    // Ended by themselves: a denied namespace, a --types kubectl refuses.
    for (const argv of [
      ["events", "-n", "kube-system", "-w"],
      ["events", ...NS, "-w", "--types=Bogus"],
    ]) {
      expect(await compareWatch(argv, () => [])).toBe("answered");
    }
  }, 120_000);
});
