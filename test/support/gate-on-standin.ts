/**
 * A cluster gate in front of the Kubernetes API stand-in, for a test file whose agent runs native
 * reads and kubectl through it: started before the file's tests, stopped after them.
 */
import { afterAll, beforeAll } from "bun:test";
import { type ClusterGate, resolveClusterAccess, startGate } from "../../executor/gate";
import { silentLog } from "../../executor/log";
import { DEFAULT_POLICY } from "../../executor/policy";
import { type KubeStandin, startKubeStandin } from "../k8s/standin";

/** Call at the top of a test file; the gate keeps its grants' files in `runtimeDir`. */
export function useGateOnStandin(runtimeDir: string): () => ClusterGate {
  let standin: KubeStandin | undefined;
  let gate: ClusterGate | undefined;
  beforeAll(async () => {
    standin = await startKubeStandin();
    const access = resolveClusterAccess(
      { KUBECONFIG: standin.kubeconfigPath },
      { serviceAccountDir: "/none" },
    );
    gate = await startGate({ policy: DEFAULT_POLICY, access, version: "t", runtimeDir, log: silentLog });
  });
  afterAll(async () => {
    await gate?.stop();
    await standin?.stop();
  });
  return () => {
    if (!gate) throw new Error("the gate starts in beforeAll");
    return gate;
  };
}
