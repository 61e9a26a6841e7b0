/** Schemas of the admin token routes. */
import { t } from "elysia";
import { ClusterId } from "../../models";

export const ClusterParams = t.Object({ cluster_id: ClusterId });

export const IssueTokenQuery = t.Object({
  rotate: t.Optional(
    t.Boolean({ description: "Replace the cluster's existing token (the old one stops working at once)." }),
  ),
});
