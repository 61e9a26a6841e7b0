/**
 * Files a page loads from the executable itself (the docs page, the status page): one route per set,
 * `PATH/:name`, answering each known file with its type and 404 ROUTE_NOT_FOUND for any other name.
 */
import { Elysia, t } from "elysia";
import { notFound } from "./errors";

export interface Asset {
  type: string;
  body(): Blob | string;
}

export const assetRoutes = (path: string, assets: Record<string, Asset>, cacheControl: string) =>
  new Elysia({ detail: { hide: true } }).get(
    `${path}/:name`,
    ({ params: { name } }) => {
      const asset = assets[name];
      if (!asset) throw notFound("ROUTE_NOT_FOUND", "no such route");
      return new Response(asset.body(), {
        headers: {
          "content-type": asset.type,
          "cache-control": cacheControl,
          "x-content-type-options": "nosniff",
        },
      });
    },
    { params: t.Object({ name: t.String() }) },
  );
