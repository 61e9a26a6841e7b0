/**
 * Status controller: the status page at /ui (and / redirects there), its files under /ui/assets/, and
 * GET /admin/status, the one read the page needs beyond GET /audit (admin keys only). The page and its
 * files need no key: they hold none and show nothing until the browser signs in with an admin key.
 */
import { Elysia } from "elysia";
import { assetRoutes } from "../../http/assets";
import { ErrorBody } from "../../models";
import { nowMs } from "../../store";
import { authGuard } from "../auth/guard";
import type { AuthService } from "../auth/service";
import { StatusOverview } from "./model";
import { PAGE_ASSETS, PAGE_ASSETS_PATH, PAGE_PATH, STATUS_PAGE, STATUS_PAGE_CSP } from "./page";
import type { StatusService } from "./service";

const page = () =>
  new Elysia({ detail: { hide: true } })
    .get("/", ({ redirect }) => redirect(PAGE_PATH, 302))
    .get(
      PAGE_PATH,
      () =>
        new Response(STATUS_PAGE, {
          headers: {
            "content-type": "text/html; charset=utf-8",
            "content-security-policy": STATUS_PAGE_CSP,
            "cache-control": "no-store",
            "x-content-type-options": "nosniff",
            "referrer-policy": "no-referrer",
          },
        }),
    )
    // Revalidated on every load: a new binary's page never runs an old script.
    .use(assetRoutes(PAGE_ASSETS_PATH, PAGE_ASSETS, "no-cache"));

export const statusModule = (auth: AuthService, status: StatusService) =>
  new Elysia({ tags: ["Status"], detail: { security: [{ adminKey: [] }] } })
    .use(page())
    .use(authGuard(auth))
    .get("/admin/status", async () => status.overview(nowMs()), {
      admin: true,
      response: { 200: StatusOverview, 401: ErrorBody },
      detail: {
        operationId: "getStatus",
        summary: "Clusters with their load, and the audit chain's state",
        description:
          "What the status page (/ui) shows beyond GET /audit, in one read: every registered cluster as " +
          "GET /debug/clusters lists it, with its queue depth and the commands accepted for it in the last " +
          "60 s (counted from the newest 5,000 audit entries at most; `commands_last_minute_capped` says the " +
          "figure is a floor), the audit trail's head, and the answering replica's check of the hash chain. " +
          "That check resumes where the last one stopped and reads at most 20,000 entries per request " +
          "(`partial` until it reaches the head), and starts over from entry 1 every 10 minutes. It is a " +
          "convenience: `kubently audit verify` checks the chain without trusting the server.",
        responses: { 200: { description: "The overview." } },
      },
    });
