/**
 * Regenerates openapi/kubently.json, the committed copy of the OpenAPI document: `bun run
 * scripts/openapi.ts` (npm run openapi). It asks a real app for /openapi.json, so the copy is byte for
 * byte what a server serves; test/docs fails while the two differ.
 */
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { createApp } from "../src/app";
import { KeyRing } from "../src/modules/auth/keys";
import { SPEC_PATH } from "../src/modules/docs/assets";
import { openStore } from "../src/store";

export const COMMITTED_DOCUMENT = join(import.meta.dir, "..", "openapi", "kubently.json");

/** The document a server with the default options serves (keys play no part in it). */
async function liveDocument(): Promise<string> {
  const store = await openStore("memory://", { redisPrefix: "openapi:" });
  const none = new KeyRing([]);
  const { app, stop } = createApp({
    store,
    keys: { clients: () => none, admins: () => none, insecureIdentity: null },
    maxBodyBytes: 1024 * 1024,
    resultTtlMs: 300_000,
  });
  try {
    const response = await app.handle(new Request(`http://localhost${SPEC_PATH}`));
    if (!response.ok) throw new Error(`${SPEC_PATH} answered ${response.status}: ${await response.text()}`);
    return await response.text();
  } finally {
    await stop();
    await store.close();
  }
}

if (import.meta.main) {
  mkdirSync(dirname(COMMITTED_DOCUMENT), { recursive: true });
  await Bun.write(COMMITTED_DOCUMENT, await liveDocument());
  console.log(`wrote ${COMMITTED_DOCUMENT}`);
}
