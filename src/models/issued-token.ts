/** An executor token as an admin receives it, once: only its digest is stored. */
import { type Static, Type as t } from "@sinclair/typebox";
import { ClusterId } from "./ids";

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
export type IssuedToken = Static<typeof IssuedToken>;
