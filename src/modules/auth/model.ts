/** Schemas of the admin token routes. */
import { t } from "elysia";
import { ClusterId } from "../../models";

export const ClusterParams = t.Object({ cluster_id: ClusterId });

export const IssueTokenQuery = t.Object({
  rotate: t.Optional(
    t.Boolean({ description: "Replace the cluster's existing token (the old one stops working at once)." }),
  ),
});

export const IssuedToken = t.Object(
  {
    cluster_id: ClusterId,
    token: t.String({ description: "The executor token. Shown once: only its digest is stored." }),
    rotated: t.Boolean({ description: "True when this token replaced the cluster's previous one." }),
  },
  {
    title: "IssuedToken",
    examples: [
      {
        cluster_id: "production",
        token: "kbt_Q2hhbmdlIG1lOiB0aGlzIGlzIGFuIGV4YW1wbGUgdG9rZW4",
        rotated: false,
      },
    ],
  },
);
