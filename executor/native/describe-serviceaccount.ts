/**
 * Owns what `kubectl describe serviceaccount` prints for one ServiceAccount, as kubectl v1.32's
 * ServiceAccountDescriber writes it: labels and annotations (where an IRSA or workload identity
 * role shows), then its image pull secrets, mountable secrets and tokens (the namespace's
 * service-account-token Secrets naming it by name and uid), each marked `(not found)` when the
 * namespace has no such Secret, and its events. kubectl tolerates a failed list of the namespace's
 * Secrets (the executor's role grants none): it then finds no tokens and marks nothing missing.
 */
import { events, laidOutBy, nameAndLabels, Writer } from "./describe-parts";
import type { DescribedServiceAccount, ListedSecret } from "./describe-types";
import type { KubeEvent } from "./kube-types";

const TOKEN_TYPE = "kubernetes.io/service-account-token";
const NAME_KEY = "kubernetes.io/service-account.name";
const UID_KEY = "kubernetes.io/service-account.uid";
// The headers as kubectl pads them, in the order of its sorted key set.
const PULL = "Image pull secrets:";
const MOUNT = "Mountable secrets: ";
const TOKENS = "Tokens:            ";
const CONTINUED = "                   ";

function describe(
  sa: DescribedServiceAccount,
  secrets: ListedSecret[] | undefined,
  list: KubeEvent[] | undefined,
  now: number,
) {
  const { metadata } = sa;
  const pulls = (sa.imagePullSecrets ?? []).map((s) => s.name ?? "");
  const mounts = (sa.secrets ?? []).map((s) => s.name ?? "");
  const existing = new Set(secrets?.map((s) => s.metadata.name));
  const tokens = (secrets ?? [])
    .filter((s) => s.type === TOKEN_TYPE)
    .filter((s) => s.metadata.annotations?.[NAME_KEY] === metadata.name)
    .filter((s) => s.metadata.annotations?.[UID_KEY] === metadata.uid)
    .map((s) => s.metadata.name);
  const missing = (name: string) => secrets !== undefined && !existing.has(name);
  const w = new Writer();
  nameAndLabels(w, metadata);
  for (const [header, names] of [
    [PULL, pulls],
    [MOUNT, mounts],
    [TOKENS, tokens],
  ] as const) {
    if (names.length === 0) w.write(0, `${header}\t<none>\n`);
    names.forEach((name, i) => {
      const note = missing(name) ? " (not found)" : "";
      w.write(0, `${i === 0 ? header : CONTINUED}\t${name}${note}\n`);
    });
  }
  events(w, list, now);
  return w.text;
}

/** What kubectl describe prints for `sa`, the namespace's Secrets (undefined where the list failed) and its events, laid out. */
export const describeServiceAccount = laidOutBy(describe);
