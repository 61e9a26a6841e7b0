/** The kubectl runner with real processes: separate streams, caps, timeouts that kill the whole group. */
import { describe, expect, test } from "bun:test";
import { createRunner, kubectlEnv } from "../../executor/runner";

const sh = createRunner({ kubectl: "/bin/sh", env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });

describe("runner", () => {
  test("keeps stdout, stderr and the exit code apart", async () => {
    const outcome = await sh({
      argv: ["-c", "echo out; echo err >&2; exit 3"],
      timeoutMs: 10_000,
      maxOutputBytes: 1024,
      keep: "head",
    });
    expect(outcome).toMatchObject({
      exitCode: 3,
      stdout: "out\n",
      stderr: "err\n",
      truncated: false,
      timedOut: false,
    });
  });

  test("caps each stream and says so, while draining the rest", async () => {
    const outcome = await sh({
      argv: ["-c", "head -c 300000 /dev/zero | tr '\\0' a; echo done >&2"],
      timeoutMs: 10_000,
      maxOutputBytes: 1000,
      keep: "head",
    });
    expect(outcome.stdout).toBe("a".repeat(1000));
    expect(outcome.stderr).toBe("done\n");
    expect(outcome.truncated).toBe(true);
    expect(outcome.exitCode).toBe(0);
  });

  test("a timeout kills the whole process group, children included", async () => {
    const outcome = await sh({
      argv: ["-c", "sleep 30 & sleep 30; wait"],
      timeoutMs: 300,
      maxOutputBytes: 1024,
      keep: "head",
    });
    expect(outcome.timedOut).toBe(true);
    expect(outcome.exitCode).toBeNull();
  });

  test("arguments reach the program verbatim: no shell interprets them", async () => {
    const printf = createRunner({ kubectl: "printf", env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });
    const outcome = await printf({
      argv: ["%s|", "$(id)", "a b", ";rm -rf /", "`x`"],
      timeoutMs: 5_000,
      maxOutputBytes: 1024,
      keep: "head",
    });
    expect(outcome.stdout).toBe("$(id)|a b|;rm -rf /|`x`|");
  });

  test("a missing binary is reported, not thrown", async () => {
    const missing = createRunner({ kubectl: "/nonexistent/kubectl", env: {} });
    const outcome = await missing({
      argv: ["version"],
      timeoutMs: 1_000,
      maxOutputBytes: 1024,
      keep: "head",
    });
    expect(outcome.exitCode).toBeNull();
    expect(outcome.spawnError).toContain("/nonexistent/kubectl");
  });

  test("kubectl's environment carries no credential: not the executor token, not the cluster's", () => {
    const env = kubectlEnv(
      {
        PATH: "/bin",
        HOME: "/root",
        KUBECONFIG: "/root/.kube/config",
        KUBERNETES_SERVICE_HOST: "10.0.0.1",
        KUBERNETES_SERVICE_PORT: "443",
        KUBENTLY_TOKEN: "kbt_secret",
        AWS_SECRET_ACCESS_KEY: "x",
      },
      "/cache",
      "/run/gate",
    );
    expect(env).toEqual({ PATH: "/bin", HOME: "/run/gate", KUBECACHEDIR: "/cache" });
  });

  test("a run's own variables are added to the runner's environment for that run only", async () => {
    const printenv = createRunner({
      kubectl: "printenv",
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    });
    const run = (env?: Record<string, string>) =>
      printenv({ argv: ["KUBECONFIG"], timeoutMs: 5_000, maxOutputBytes: 1024, keep: "head", env });
    expect((await run({ KUBECONFIG: "/run/gate/one.kubeconfig" })).stdout).toBe("/run/gate/one.kubeconfig\n");
    expect((await run()).exitCode).toBe(1);
  });
});
