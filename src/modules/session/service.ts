/**
 * Session: the lifecycle of a debugging session on one cluster. Sessions expire by themselves;
 * each command run in a session extends it by its original TTL (a session lives while it is used).
 * A session belongs to the principal that created it (`service_identity`): for any other it does
 * not exist, with the very 404 an unknown id gets, so its id tells a stranger nothing.
 */
import { notFound } from "../../http/errors";
import type { Session } from "../../models";
import { nowMs, type Store } from "../../store";
import type { ClusterService } from "../clusters/service";
import type { Scope } from "../scopes/model";
import { needsLabels, requireCluster } from "../scopes/service";

export const DEFAULT_SESSION_TTL_SECONDS = 300;

export interface NewSession {
  cluster_id: string;
  user_id?: string;
  correlation_id: string;
  ttl_seconds?: number;
  identity: string;
  scope: Scope | null;
}

export interface SessionService {
  create(input: NewSession): Promise<Session>;
  /** The owner's live session; 404 SESSION_NOT_FOUND when unknown, expired or another's. */
  get(sessionId: string, owner: string): Promise<Session>;
  /** Ends the owner's session; 404 SESSION_NOT_FOUND as for get. */
  end(sessionId: string, owner: string): Promise<void>;
  /** Extends a live session by its TTL from now. */
  touch(session: Session): Promise<void>;
}

export function createSessionService(
  store: Pick<Store, "putSession" | "getSession" | "deleteSession">,
  clusters: ClusterService,
): SessionService {
  async function owned(sessionId: string, owner: string): Promise<Session> {
    const session = await store.getSession(sessionId);
    if (!session || session.service_identity !== owner) throw sessionNotFound(sessionId);
    return session;
  }

  return {
    async create({ cluster_id, user_id, correlation_id, ttl_seconds, identity, scope }) {
      // Before the registry answers, so a cluster out of scope answers alike whether it exists or not.
      const labels = needsLabels(scope)
        ? await clusters.require(cluster_id).then(
            ({ labels }) => labels,
            () => null,
          )
        : null;
      requireCluster(identity, scope, cluster_id, labels);
      await clusters.require(cluster_id);
      const ttl = ttl_seconds ?? DEFAULT_SESSION_TTL_SECONDS;
      const now = nowMs();
      const session: Session = {
        session_id: crypto.randomUUID(),
        cluster_id,
        user_id: user_id ?? identity,
        service_identity: identity,
        correlation_id,
        created_at: new Date(now).toISOString(),
        expires_at: new Date(now + ttl * 1000).toISOString(),
        ttl_seconds: ttl,
      };
      await store.putSession(session);
      return session;
    },
    get: (sessionId, owner) => owned(sessionId, owner),
    async end(sessionId, owner) {
      // The owner never changes, so the session read here is the one deleted (or already gone).
      await owned(sessionId, owner);
      if (!(await store.deleteSession(sessionId))) throw sessionNotFound(sessionId);
    },
    async touch(session) {
      const expires = new Date(nowMs() + session.ttl_seconds * 1000).toISOString();
      await store.putSession({ ...session, expires_at: expires });
    },
  };
}

const sessionNotFound = (sessionId: string) =>
  notFound("SESSION_NOT_FOUND", "no such session, or it has expired", { session_id: sessionId });
