/** A command's scope survives each store on its way to the executor, the async path included. */
import { describe, expect, test } from "bun:test";
import type { Command } from "../../src/models";
import { eventually } from "../support/eventually";
import { connectSse } from "../support/protocol-executor";
import { json, startTestServer } from "../support/server";
import { useStores } from "../support/stores";

const { backends } = useStores("scopes");
const SHOP_KEY = "shop-key-0123456789abcdef";

describe.each(backends)("on the %s store", (_, storeUrl) => {
  test("the executor receives the scope the server admitted the command with", async () => {
    const server = await startTestServer({
      storeUrl: storeUrl(),
      keysFile: `principals:\n  shop-team:\n    keys: ["${SHOP_KEY}"]\n    namespaces: { allow: ["shop"] }\n    share: 4\n`,
    });
    const executor = await connectSse(server.url, "prod", await server.registerCluster("prod"));
    try {
      const shop = server.as(SHOP_KEY);
      const body = { cluster_id: "prod", command_type: "get", args: ["pods", "-A"] };
      expect((await shop("/debug/execute", json(body))).status).toBe(200);
      expect((await shop("/debug/execute/async", json(body))).status).toBe(202);
      const expected: Command["scope"] = {
        principal: "shop-team",
        namespaces: { allow: ["shop"], deny: [] },
        share: 4,
      };
      // The async one reaches the executor after its 202.
      const received = await eventually(async () => {
        expect(executor.received.length).toBe(2);
        return executor.received;
      });
      expect(received.map((command) => command.scope)).toEqual([expected, expected]);
    } finally {
      executor.close();
      await server.stop();
    }
  });
});
