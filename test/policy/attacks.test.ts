/**
 * Known attacks, each with the code it must be refused with. Modelled on published bypasses of
 * kubectl wrappers for agents: global flags that redirect the API server or swap credentials
 * (Azure/mcp-kubernetes#127), kubeconfig export and config writes passing as "read-only"
 * (containers/kubernetes-mcp-server#1415, Azure/mcp-kubernetes#137), raw API reads of secrets,
 * restricted resources in other spellings, flags hidden in values, shorthand runs and `--`, and
 * look-alike verbs; plus executor-side file reads through template files and high verbosity.
 */
import { describe, expect, test } from "bun:test";
import type { DenyCode, Policy } from "../../executor/policy";
import { EXTENDED, FULL, NO_KUBE, READ_ONLY, run, TEAM_ONLY } from "./helpers";

interface Attack {
  argv: string[];
  code: DenyCode;
  policy?: Policy;
  namespace?: string;
}

const credentialFlags: Attack[] = [
  { argv: ["get", "pods", "--kubeconfig=/tmp/x"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "--kubeconfig", "/tmp/x"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "-s", "https://evil"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "-shttps://evil"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "-s=https://evil"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "-As", "https://evil"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "--server=https://evil"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "--server", "https://evil"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "--token=abc"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "--token", "abc"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "--as=system:admin"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "--as", "system:admin"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "--as-group=system:masters"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "--as_group=system:masters"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "--as-uid=0"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "--username=admin", "--password=x"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "--client-certificate=/c", "--client-key=/k"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "--client_key=/k"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "--certificate-authority=/ca"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "--insecure-skip-tls-verify"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "--insecure-skip-tls-verify=false"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "--insecure_skip_tls_verify"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "--context=prod"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "--cluster", "prod"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "--user=admin"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "--tls-server-name=evil"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "--cache-dir=/tmp/poisoned"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "--kuberc=/tmp/aliases"], code: "FLAG_FORBIDDEN" },
  { argv: ["auth", "can-i", "--as=x", "get", "secrets"], code: "FLAG_FORBIDDEN" },
  {
    argv: ["auth", "can-i", "list", "secrets", "--as", "system:serviceaccount:kube-system:admin"],
    code: "FLAG_FORBIDDEN",
  },
  { argv: ["logs", "web", "--insecure-skip-tls-verify-backend"], code: "FLAG_FORBIDDEN" },
  // Forbidden in every mode, fullAccess included.
  { argv: ["delete", "pod", "x", "--server=https://evil"], code: "FLAG_FORBIDDEN", policy: FULL },
  { argv: ["apply", "-f", "x.yaml"], code: "FLAG_FORBIDDEN", policy: FULL },
];

const executorFiles: Attack[] = [
  { argv: ["get", "-f", "x.yaml"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "--filename=x.yaml"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "-k", "./overlay"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "-Afalse"], code: "FLAG_FORBIDDEN" }, // kubectl reads -A -f alse
  { argv: ["get", "pods", "-wf/etc/passwd"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "--profile=cpu", "--profile-output=/tmp/x"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "pods", "--vmodule=round_trippers=9"], code: "FLAG_FORBIDDEN" },
  {
    argv: ["get", "pods", "-o", "go-template-file=/var/run/secrets/kubernetes.io/serviceaccount/token"],
    code: "OUTPUT_FORMAT_NOT_ALLOWED",
  },
  { argv: ["get", "pods", "-o=jsonpath-file=/etc/passwd"], code: "OUTPUT_FORMAT_NOT_ALLOWED" },
  { argv: ["get", "pods", "-ocustom-columns-file=/etc/passwd"], code: "OUTPUT_FORMAT_NOT_ALLOWED" },
  {
    argv: ["get", "pods", "-o", "templatefile", "--template=/etc/passwd"],
    code: "OUTPUT_FORMAT_NOT_ALLOWED",
  },
  { argv: ["get", "pods", "--output=Go-Template-File=/x"], code: "OUTPUT_FORMAT_NOT_ALLOWED" },
  { argv: ["events", "-o", "jsonpath-file=/x"], code: "OUTPUT_FORMAT_NOT_ALLOWED" },
  {
    argv: ["create", "configmap", "x", "--from-file=/var/run/secrets/kubernetes.io/serviceaccount/token"],
    code: "FLAG_FORBIDDEN",
    policy: FULL,
  },
  {
    argv: ["create", "configmap", "x", "--from-env-file=/proc/self/environ"],
    code: "FLAG_FORBIDDEN",
    policy: FULL,
  },
  {
    argv: ["run", "x", "--image=busybox", '--overrides={"spec":{"hostPID":true}}'],
    code: "FLAG_FORBIDDEN",
    policy: FULL,
  },
  { argv: ["debug", "node/n1", "--custom=/tmp/profile.json"], code: "FLAG_FORBIDDEN", policy: FULL },
  { argv: ["cluster-info", "dump", "--output-directory=/tmp/dump"], code: "FLAG_FORBIDDEN", policy: FULL },
  { argv: ["exec", "-f", "pod.yaml", "--", "cat", "/etc/shadow"], code: "FLAG_FORBIDDEN", policy: EXTENDED },
];

const verbosity: Attack[] = [
  { argv: ["get", "pods", "-v=9"], code: "VERBOSITY_TOO_HIGH" },
  { argv: ["get", "pods", "-v", "9"], code: "VERBOSITY_TOO_HIGH" },
  { argv: ["get", "pods", "-v9"], code: "VERBOSITY_TOO_HIGH" },
  { argv: ["get", "pods", "--v=10"], code: "VERBOSITY_TOO_HIGH" },
  { argv: ["get", "pods", "--v", "07"], code: "VERBOSITY_TOO_HIGH" },
  { argv: ["get", "pods", "-v=high"], code: "FLAG_VALUE_INVALID" },
  { argv: ["apply", "view-last-applied", "deploy/x", "-v=8"], code: "VERBOSITY_TOO_HIGH", policy: FULL },
];

const rawAndSecrets: Attack[] = [
  { argv: ["get", "--raw", "/api/v1/namespaces/default/secrets"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "--raw=/api/v1/namespaces/default/secrets"], code: "FLAG_FORBIDDEN" },
  { argv: ["get", "secrets", "-A", "-o", "yaml"], code: "RESOURCE_RESTRICTED" },
  { argv: ["get", "secret/db", "-o", "jsonpath={.data}"], code: "RESOURCE_RESTRICTED" },
  { argv: ["get", "pods,secrets"], code: "RESOURCE_RESTRICTED" },
  { argv: ["get", "pods,secret", "-o", "yaml"], code: "RESOURCE_RESTRICTED" },
  { argv: ["describe", "secrets"], code: "RESOURCE_RESTRICTED" },
  { argv: ["describe", "secret", "db"], code: "RESOURCE_RESTRICTED" },
  { argv: ["get", "secret"], code: "RESOURCE_RESTRICTED" },
  { argv: ["get", "Secret", "db"], code: "RESOURCE_RESTRICTED" },
  { argv: ["get", "SECRETS"], code: "RESOURCE_RESTRICTED" },
  { argv: ["get", "Secrets/db"], code: "RESOURCE_RESTRICTED" },
  { argv: ["get", "secrets.v1."], code: "RESOURCE_RESTRICTED" },
  { argv: ["get", "secret.v1."], code: "RESOURCE_RESTRICTED" },
  { argv: ["get", "secrets.v1"], code: "RESOURCE_RESTRICTED" },
  { argv: ["get", "secrets.v1.core"], code: "RESOURCE_RESTRICTED" },
  { argv: ["get", "Secret.v1./db"], code: "RESOURCE_RESTRICTED" },
  { argv: ["get", "secrets,"], code: "RESOURCE_RESTRICTED" },
  { argv: ["get", "pods/web", "secret/db"], code: "RESOURCE_RESTRICTED" },
  { argv: ["get", "--all-namespaces", "secrets"], code: "RESOURCE_RESTRICTED" },
  { argv: ["get", "-o", "yaml", "--", "secrets"], code: "RESOURCE_RESTRICTED" },
  { argv: ["describe", "-A", "secrets", "-l", "app=db"], code: "RESOURCE_RESTRICTED" },
  { argv: ["logs", "secret/db"], code: "RESOURCE_RESTRICTED" },
  { argv: ["edit", "secret/db"], code: "RESOURCE_RESTRICTED", policy: FULL },
  {
    argv: ["create", "secret", "generic", "x", "--from-literal=a=b"],
    code: "RESOURCE_RESTRICTED",
    policy: FULL,
  },
  { argv: ["get", "secrets"], code: "RESOURCE_RESTRICTED", policy: FULL },
  // A look-alike spelling never reaches kubectl's resource lookup.
  { argv: ["get", "\u0455ecrets"], code: "ARGUMENT_INVALID" },
  { argv: ["get", "secr\u0435ts"], code: "ARGUMENT_INVALID" },
  // Configured restrictions cover short names and singulars.
  {
    argv: ["get", "cm", "app-config", "-o", "yaml"],
    code: "RESOURCE_RESTRICTED",
    policy: { ...READ_ONLY, restrictedResources: ["configmaps"] },
  },
  {
    argv: ["get", "sealedsecret"],
    code: "RESOURCE_RESTRICTED",
    policy: { ...READ_ONLY, restrictedResources: ["sealedsecrets.bitnami.com"] },
  },
];

const verbs: Attack[] = [
  { argv: ["config", "view", "--raw"], code: "VERB_NOT_ALLOWED" },
  { argv: ["config", "view"], code: "VERB_NOT_ALLOWED" },
  { argv: ["config", "set-credentials", "x", "--token=y"], code: "VERB_NOT_ALLOWED" },
  { argv: ["config", "view", "--raw"], code: "FLAG_FORBIDDEN", policy: FULL },
  { argv: ["apply", "-f", "x.yaml"], code: "VERB_NOT_ALLOWED" },
  { argv: ["delete", "pod", "x"], code: "VERB_NOT_ALLOWED" },
  { argv: ["patch", "deploy", "x", "-p", "{}"], code: "VERB_NOT_ALLOWED" },
  { argv: ["scale", "deploy/x", "--replicas=0"], code: "VERB_NOT_ALLOWED" },
  { argv: ["create", "token", "default"], code: "VERB_NOT_ALLOWED" },
  { argv: ["exec", "web", "--", "cat", "/etc/passwd"], code: "VERB_NOT_ALLOWED" },
  { argv: ["port-forward", "pod/web", "8080:80"], code: "VERB_NOT_ALLOWED" },
  { argv: ["proxy", "--port=8001"], code: "VERB_NOT_ALLOWED" },
  { argv: ["proxy"], code: "VERB_NOT_ALLOWED", policy: EXTENDED },
  { argv: ["cp", "web:/etc/passwd", "/tmp/x"], code: "VERB_NOT_ALLOWED", policy: EXTENDED },
  { argv: ["run", "x", "--image=busybox"], code: "VERB_NOT_ALLOWED", policy: EXTENDED },
  { argv: ["debug", "node/n1", "-it", "--image=busybox"], code: "VERB_NOT_ALLOWED", policy: EXTENDED },
  { argv: ["attach", "web"], code: "VERB_NOT_ALLOWED", policy: EXTENDED },
  { argv: ["cluster-info", "dump"], code: "VERB_NOT_ALLOWED" },
  { argv: ["cluster-info", "--request-timeout", "5s", "dump"], code: "VERB_NOT_ALLOWED" },
  { argv: ["rollout", "restart", "deploy/x"], code: "VERB_NOT_ALLOWED" },
  { argv: ["rollout", "-n", "shop", "undo", "deploy/x"], code: "VERB_NOT_ALLOWED" },
  { argv: ["rollout"], code: "VERB_NOT_ALLOWED" },
  { argv: ["top", "-A", "pod"], code: "VERB_NOT_ALLOWED" }, // cobra takes "pod" as -A's value: bare `top`
  { argv: ["auth", "reconcile", "-f", "rbac.yaml"], code: "VERB_NOT_ALLOWED" },
  { argv: ["wait", "--for=delete", "pod/x"], code: "VERB_NOT_ALLOWED" },
  // Not built in: kubectl would run a kubectl-<verb> plugin from the executor's PATH.
  { argv: ["GET", "pods"], code: "VERB_UNKNOWN" },
  { argv: ["Get", "pods"], code: "VERB_UNKNOWN" },
  { argv: ["g\u0435t", "pods"], code: "VERB_UNKNOWN" },
  { argv: ["\uff47\uff45\uff54", "pods"], code: "VERB_UNKNOWN" },
  { argv: ["get ", "pods"], code: "VERB_UNKNOWN" },
  { argv: ["get pods"], code: "VERB_UNKNOWN" },
  { argv: ["ctx", "prod"], code: "VERB_UNKNOWN", policy: FULL },
  { argv: ["--kubeconfig=/tmp/x", "get", "pods"], code: "VERB_UNKNOWN" },
  { argv: ["constructor"], code: "VERB_UNKNOWN" },
  { argv: [""], code: "VERB_UNKNOWN" },
  // A policy object claiming fullAccess without the acknowledgement runs nothing.
  {
    argv: ["get", "pods"],
    code: "FULL_ACCESS_NOT_ACKNOWLEDGED",
    policy: { ...READ_ONLY, mode: "fullAccess" },
  },
];

const smuggling: Attack[] = [
  { argv: ["get", "pods", "--", "--kubeconfig=x"], code: "ARGUMENT_INVALID" },
  { argv: ["get", "pods", "-l=--token=x"], code: "FLAG_VALUE_INVALID" },
  { argv: ["get", "pods", "-l", "--token=x"], code: "FLAG_VALUE_INVALID" },
  { argv: ["get", "pods", "--selector", "--server=https://evil"], code: "FLAG_VALUE_INVALID" },
  { argv: ["get", "pods", "-c", "x"], code: "FLAG_NOT_ALLOWED" },
  { argv: ["get", "pods", "--KUBECONFIG=/tmp/x"], code: "FLAG_NOT_ALLOWED" },
  { argv: ["get", "pods", "-R"], code: "FLAG_NOT_ALLOWED" },
  { argv: ["get", "pods", "--show-events"], code: "FLAG_NOT_ALLOWED" },
  { argv: ["get", "pods", "--all-namespaces=yes"], code: "FLAG_VALUE_INVALID" },
  { argv: ["get", "pods", "---kubeconfig=x"], code: "FLAG_SYNTAX_INVALID" },
  { argv: ["get", "pods", "--=x"], code: "FLAG_SYNTAX_INVALID" },
  { argv: ["get", "pods", "-l"], code: "FLAG_VALUE_MISSING" },
  { argv: ["get", "pods\u0000", "-A"], code: "ARGUMENT_INVALID" },
  { argv: ["get", "pods", ""], code: "ARGUMENT_INVALID" },
  { argv: ["get", "pods", "web server"], code: "ARGUMENT_INVALID" },
  { argv: ["version", "--client", "extra"], code: "ARGUMENT_NOT_ALLOWED" },
  { argv: ["cluster-info", "kubernetes"], code: "ARGUMENT_NOT_ALLOWED" },
  { argv: ["exec", "-i", "-t", "web", "--", "sh"], code: "FLAG_NOT_ALLOWED", policy: EXTENDED },
  {
    argv: ["port-forward", "--address=0.0.0.0", "pod/web", "8080:80"],
    code: "FLAG_NOT_ALLOWED",
    policy: EXTENDED,
  },
];

const namespaces: Attack[] = [
  { argv: ["get", "pods", "-nkube-system"], code: "NAMESPACE_DENIED", policy: NO_KUBE },
  { argv: ["get", "pods", "-n", "kube-system"], code: "NAMESPACE_DENIED", policy: NO_KUBE },
  { argv: ["get", "pods", "-n=kube-system"], code: "NAMESPACE_DENIED", policy: NO_KUBE },
  { argv: ["get", "pods", "--namespace=kube-system"], code: "NAMESPACE_DENIED", policy: NO_KUBE },
  { argv: ["get", "pods", "--namespace", "kube-public"], code: "NAMESPACE_DENIED", policy: NO_KUBE },
  { argv: ["get", "pods", "-n", "shop", "-n", "kube-system"], code: "NAMESPACE_DENIED", policy: NO_KUBE },
  { argv: ["get", "pods"], namespace: "kube-system", code: "NAMESPACE_DENIED", policy: NO_KUBE },
  { argv: ["logs", "coredns-abc", "-n", "kube-system"], code: "NAMESPACE_DENIED", policy: NO_KUBE },
  {
    argv: ["exec", "-n", "kube-system", "etcd-0", "--", "ls"],
    code: "NAMESPACE_DENIED",
    policy: { ...NO_KUBE, mode: "extendedReadOnly" },
  },
  { argv: ["get", "namespace", "kube-system", "-o", "yaml"], code: "NAMESPACE_DENIED", policy: NO_KUBE },
  { argv: ["get", "ns/kube-system"], code: "NAMESPACE_DENIED", policy: NO_KUBE },
  { argv: ["get", "pods", "-A"], code: "ALL_NAMESPACES_DENIED", policy: NO_KUBE },
  { argv: ["get", "pods", "--all-namespaces"], code: "ALL_NAMESPACES_DENIED", policy: NO_KUBE },
  { argv: ["get", "pods", "--all_namespaces=true"], code: "ALL_NAMESPACES_DENIED", policy: NO_KUBE },
  { argv: ["get", "pods", "-wA"], code: "ALL_NAMESPACES_DENIED", policy: NO_KUBE },
  { argv: ["get", "pods", "-A=1"], code: "ALL_NAMESPACES_DENIED", policy: NO_KUBE },
  { argv: ["get", "pods", "-A"], code: "ALL_NAMESPACES_DENIED", policy: TEAM_ONLY },
  { argv: ["top", "pod", "-A"], code: "ALL_NAMESPACES_DENIED", policy: TEAM_ONLY },
  { argv: ["get", "pods", "-n", "team-b"], code: "NAMESPACE_DENIED", policy: TEAM_ONLY },
  { argv: ["get", "pods"], code: "NAMESPACE_DENIED", policy: { ...TEAM_ONLY, defaultNamespace: "default" } },
  { argv: ["get", "pods", "-n", ""], code: "NAMESPACE_INVALID" },
  { argv: ["get", "pods", "--namespace="], code: "NAMESPACE_INVALID" },
  { argv: ["get", "pods", "-n="], code: "NAMESPACE_INVALID" }, // pflag reads namespace "="
  { argv: ["get", "pods", "-n", "KUBE-SYSTEM"], code: "NAMESPACE_INVALID", policy: NO_KUBE },
  { argv: ["get", "pods", "-n", "kube\u2010system"], code: "NAMESPACE_INVALID", policy: NO_KUBE },
  { argv: ["get", "pods"], namespace: "", code: "NAMESPACE_INVALID" },
  { argv: ["get", "pods"], namespace: "--kubeconfig=/tmp/x", code: "NAMESPACE_INVALID" },
  { argv: ["get", "pods"], namespace: "shop -A", code: "NAMESPACE_INVALID" },
  { argv: ["get", "pods", "-n", "shop"], namespace: "kube-system", code: "NAMESPACE_CONFLICT" },
  { argv: ["get", "pods", "--namespace=kube-system"], namespace: "shop", code: "NAMESPACE_CONFLICT" },
  {
    argv: ["cp", "kube-system/etcd-0:/var/lib/etcd", "/tmp/x"],
    code: "NAMESPACE_DENIED",
    policy: { ...NO_KUBE, mode: "fullAccess", acknowledgeFullAccess: true },
  },
  {
    argv: ["delete", "namespace", "kube-system"],
    code: "NAMESPACE_DENIED",
    policy: { ...NO_KUBE, mode: "fullAccess", acknowledgeFullAccess: true },
  },
];

// `get --subresource` names what kubectl GETs under the object; only reads of the object pass.
const subresources: Attack[] = [
  { argv: ["get", "pod/web", "--subresource=proxy"], code: "FLAG_VALUE_INVALID" },
  { argv: ["get", "svc/web", "--subresource", "proxy", "-o", "yaml"], code: "FLAG_VALUE_INVALID" },
  { argv: ["get", "node/n1", "--subresource=proxy"], code: "FLAG_VALUE_INVALID" },
  { argv: ["get", "pod/web", "--subresource=exec"], code: "FLAG_VALUE_INVALID" },
  { argv: ["get", "pod/web", "--subresource=attach"], code: "FLAG_VALUE_INVALID" },
  { argv: ["get", "pod/web", "--subresource=portforward"], code: "FLAG_VALUE_INVALID" },
  { argv: ["get", "pod/web", "--subresource=log"], code: "FLAG_VALUE_INVALID" },
  { argv: ["get", "serviceaccount/default", "--subresource=token"], code: "FLAG_VALUE_INVALID" },
  { argv: ["get", "pod/web", "--subresource=eviction"], code: "FLAG_VALUE_INVALID" },
  { argv: ["get", "pod/web", "--subresource=Status"], code: "FLAG_VALUE_INVALID" },
  { argv: ["get", "pod/web", "--subresource=status/../proxy"], code: "FLAG_VALUE_INVALID" },
  { argv: ["get", "pod/web", "--subresource="], code: "FLAG_VALUE_INVALID" },
  { argv: ["get", "pod/web", "--subresource=proxy"], code: "FLAG_VALUE_INVALID", policy: FULL },
];

const tables: Record<string, Attack[]> = {
  "credential and endpoint flags": credentialFlags,
  "executor files": executorFiles,
  verbosity,
  "raw API and restricted resources": rawAndSecrets,
  "subresources that are not reads": subresources,
  "verbs and subcommands": verbs,
  "smuggled flags and malformed tokens": smuggling,
  namespaces,
};

for (const [title, attacks] of Object.entries(tables)) {
  describe(title, () => {
    test.each(attacks.map((attack) => [JSON.stringify(attack.argv), attack] as const))("%s", (_, attack) => {
      const decision = run(attack.policy ?? READ_ONLY, attack.argv, attack.namespace);
      expect(decision).toMatchObject({ allowed: false, code: attack.code });
      if (!decision.allowed) {
        expect(decision.reason.length).toBeGreaterThan(0);
        expect(decision.reason.length).toBeLessThan(200);
      }
    });
  });
}

describe("reasons name the offending token", () => {
  test.each([
    [["get", "pods", "--kubeconfig=/tmp/x"], "--kubeconfig"],
    [["get", "pods", "-As", "https://evil"], '-s (in "-As")'],
    [["get", "pods,secrets"], '"secrets"'],
    [["exec", "web"], '"exec"'],
    [["get", "pods", "--vmodule=x=9"], "--vmodule"],
    [["get", "pods", "-n", "kube-system"], '"kube-system"'],
  ])("%j", (argv, token) => {
    const decision = run(NO_KUBE, argv);
    expect(decision.allowed).toBe(false);
    if (!decision.allowed) expect(decision.reason).toContain(token);
  });
});

const credentialsInReasons: string[][] = [
  ["get", "pods", "-l", "--token=kbt_secret1"],
  ["get", "pods", "-l=--password=kbt_secret1"],
  ["get", "pods", "--", "--token=kbt_secret1"],
  ["get", "pods", "---token=kbt_secret1"],
  ["get", "pods", "--token=kbt_secret1"],
];

describe("reasons never repeat a credential the caller passed", () => {
  test.each(credentialsInReasons.map((argv) => [JSON.stringify(argv), argv] as const))("%s", (_, argv) => {
    const decision = run(READ_ONLY, argv);
    expect(decision.allowed).toBe(false);
    if (!decision.allowed) {
      expect(decision.reason).not.toContain("kbt_secret1");
      expect(decision.reason).not.toContain("kbt_secret1".slice(0, 6));
    }
  });
});
