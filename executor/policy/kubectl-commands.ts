/**
 * Owns the model of kubectl's command tree (kubectl 1.32): the built-in verbs and the
 * subcommands (with their aliases) that cobra resolves. Any verb not listed here is not a
 * built-in: kubectl would go looking for a `kubectl-<verb>` plugin binary on the executor's
 * PATH, so the policy treats such verbs as unknown in every mode.
 */

export const KUBECTL_VERBS: ReadonlySet<string> = new Set([
  "alpha",
  "annotate",
  "api-resources",
  "api-versions",
  "apply",
  "attach",
  "auth",
  "autoscale",
  "certificate",
  "cluster-info",
  "completion",
  "config",
  "cordon",
  "cp",
  "create",
  "debug",
  "delete",
  "describe",
  "diff",
  "drain",
  "edit",
  "events",
  "exec",
  "explain",
  "expose",
  "get",
  "help",
  "kustomize",
  "label",
  "logs",
  "options",
  "patch",
  "plugin",
  "port-forward",
  "proxy",
  "replace",
  "rollout",
  "run",
  "scale",
  "set",
  "taint",
  "top",
  "uncordon",
  "version",
  "wait",
]);

/** Commands that hand everything after `--` to a process in a container rather than to kubectl. */
export const CONTAINER_COMMAND_VERBS: ReadonlySet<string> = new Set(["debug", "exec", "run"]);

/** Subcommand spellings (name or alias) to canonical name, for the verbs that have subcommands. */
const SUBCOMMANDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  apply: {
    "edit-last-applied": "edit-last-applied",
    "set-last-applied": "set-last-applied",
    "view-last-applied": "view-last-applied",
  },
  auth: { "can-i": "can-i", reconcile: "reconcile", whoami: "whoami" },
  certificate: { approve: "approve", deny: "deny" },
  "cluster-info": { dump: "dump" },
  config: {
    "current-context": "current-context",
    "delete-cluster": "delete-cluster",
    "delete-context": "delete-context",
    "delete-user": "delete-user",
    "get-clusters": "get-clusters",
    "get-contexts": "get-contexts",
    "get-users": "get-users",
    "rename-context": "rename-context",
    set: "set",
    "set-cluster": "set-cluster",
    "set-context": "set-context",
    "set-credentials": "set-credentials",
    unset: "unset",
    use: "use-context",
    "use-context": "use-context",
    view: "view",
  },
  create: {
    cj: "cronjob",
    clusterrole: "clusterrole",
    clusterrolebinding: "clusterrolebinding",
    cm: "configmap",
    configmap: "configmap",
    cronjob: "cronjob",
    deploy: "deployment",
    deployment: "deployment",
    ing: "ingress",
    ingress: "ingress",
    job: "job",
    namespace: "namespace",
    ns: "namespace",
    pc: "priorityclass",
    pdb: "poddisruptionbudget",
    poddisruptionbudget: "poddisruptionbudget",
    priorityclass: "priorityclass",
    quota: "quota",
    resourcequota: "quota",
    role: "role",
    rolebinding: "rolebinding",
    sa: "serviceaccount",
    secret: "secret",
    service: "service",
    serviceaccount: "serviceaccount",
    svc: "service",
    token: "token",
  },
  plugin: { list: "list" },
  rollout: {
    history: "history",
    pause: "pause",
    restart: "restart",
    resume: "resume",
    status: "status",
    undo: "undo",
  },
  set: {
    env: "env",
    image: "image",
    resources: "resources",
    sa: "serviceaccount",
    selector: "selector",
    serviceaccount: "serviceaccount",
    subject: "subject",
  },
  top: { no: "node", node: "node", nodes: "node", po: "pod", pod: "pod", pods: "pod" },
};

export function hasSubcommands(verb: string): boolean {
  return Object.hasOwn(SUBCOMMANDS, verb);
}

/** The canonical subcommand `token` names under `verb`, if it names one. */
export function resolveSubcommand(verb: string, token: string): string | undefined {
  const names = Object.hasOwn(SUBCOMMANDS, verb) ? SUBCOMMANDS[verb] : undefined;
  return names !== undefined && Object.hasOwn(names, token) ? names[token] : undefined;
}
