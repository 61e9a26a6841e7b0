/**
 * Client and admin API keys: entries `service:key`, the service name being the caller's identity
 * (its principal id), and the keys file's principals with their scopes (principals.ts). Keys are held
 * only as SHA-256 digests, so a lookup compares digests and never the secret itself.
 */
import type { Scope } from "../scopes/model";
import type { GroupMapping } from "./principals";

/**
 * Every client request digests its key, and every executor token check its token: Bun's one-shot
 * SHA-256 is the same digest at a third of node:crypto's createHash cost (0.3 against 1 µs).
 */
export const sha256 = (value: string): string => Bun.SHA256.hash(value, "hex");

export class KeyFormatError extends Error {}

export interface KeyEntry {
  service: string;
  key: string;
  /** The principal's scope; absent: unscoped (a `service:key` entry). */
  scope?: Scope;
}

export const SERVICE_RE = /^[A-Za-z0-9._-]{1,64}$/;
export const MIN_KEY_LENGTH = 16;

/**
 * Parses `svc:key` entries separated by commas or newlines; `#` starts a comment line. Errors name
 * the entry's position and service, never the key.
 */
export function parseKeyEntries(text: string, source: string): KeyEntry[] {
  const entries: KeyEntry[] = [];
  const items = text
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== "" && !item.startsWith("#"));
  for (const [index, item] of items.entries()) {
    const colon = item.indexOf(":");
    const service = colon > 0 ? item.slice(0, colon) : "";
    const key = colon > 0 ? item.slice(colon + 1) : "";
    if (!SERVICE_RE.test(service)) {
      throw new KeyFormatError(
        `${source}: entry ${index + 1} must be 'service:key' with a service name of [A-Za-z0-9._-]`,
      );
    }
    if (key.length < MIN_KEY_LENGTH) {
      throw new KeyFormatError(
        `${source}: the key of service '${service}' is shorter than ${MIN_KEY_LENGTH} characters`,
      );
    }
    entries.push({ service, key });
  }
  return entries;
}

/** A set of keys, looked up by digest. Replaced whole on reload, so readers never see half a set. */
export class KeyRing {
  private readonly byDigest: Map<string, string>;
  private readonly scopes: Map<string, Scope>;

  /**
   * A principal named in two sources, or a key given to two principals, is refused (KeyFormatError).
   * `groups`, in the keys file's order, say which principal's scope people in an OIDC group get.
   */
  constructor(
    entries: KeyEntry[],
    private readonly groups: readonly GroupMapping[] = [],
  ) {
    this.byDigest = new Map();
    this.scopes = new Map();
    const scoped = new Set(entries.filter((entry) => entry.scope).map((entry) => entry.service));
    for (const entry of entries) {
      if (scoped.has(entry.service) && !entry.scope) {
        throw new KeyFormatError(
          `principal '${entry.service}' has keys both in the keys file and as a service:key entry; keep it in one`,
        );
      }
      const digest = sha256(entry.key);
      const owner = this.byDigest.get(digest);
      if (owner !== undefined && owner !== entry.service) {
        throw new KeyFormatError(`one key is given to both '${owner}' and '${entry.service}'`);
      }
      this.byDigest.set(digest, entry.service);
      if (entry.scope) this.scopes.set(entry.service, entry.scope);
    }
  }

  /** The first mapping, in file order, of any of a person's groups; null when none maps. */
  mappingFor(groups: readonly string[]): GroupMapping | null {
    return this.groups.find((mapping) => groups.includes(mapping.group)) ?? null;
  }

  /** The principal's scope; null for an unscoped one. */
  scopeOf(service: string): Scope | null {
    return this.scopes.get(service) ?? null;
  }

  get size(): number {
    return this.byDigest.size;
  }

  /**
   * The service a presented credential belongs to, or null. Accepts the bare key, or the whole
   * `service:key` entry (the form the architecture guide's A2A example sends), in which case the
   * named service must be the key's owner.
   */
  identify(presented: string): string | null {
    const direct = this.byDigest.get(sha256(presented));
    if (direct) return direct;
    const colon = presented.indexOf(":");
    if (colon <= 0) return null;
    const owner = this.byDigest.get(sha256(presented.slice(colon + 1)));
    return owner === presented.slice(0, colon) ? owner : null;
  }
}
