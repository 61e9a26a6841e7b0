/**
 * What the audit tests share: reading the trail over HTTP as an admin, and running the real
 * `kubently audit …` CLI against a server.
 */
import type { AuditEntry, AuditPage } from "../../src/models";
import { runKubently } from "../support/cli";
import { ADMIN_KEY, type TestServer } from "../support/server";

/** One page of GET /audit, failing the test on anything but 200. */
export async function auditPage(server: TestServer, query: Record<string, string | number> = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) params.set(name, String(value));
  const response = await server.admin(`/audit?${params}`);
  if (response.status !== 200) throw new Error(`GET /audit: ${response.status} ${await response.text()}`);
  return (await response.json()) as AuditPage;
}

/** Every entry matching `query`, following next_after to the end. */
export async function auditEntries(
  server: TestServer,
  query: Record<string, string | number> = {},
): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  let after: number | null = 0;
  while (after !== null) {
    const page = await auditPage(server, { ...query, after });
    entries.push(...page.entries);
    after = page.next_after;
  }
  return entries;
}

/** Runs `kubently <args>` as a user would, with the admin key in its environment. */
export const kubently = (url: string, args: string[]) =>
  runKubently(args, { KUBENTLY_URL: url, KUBENTLY_ADMIN_KEY: ADMIN_KEY });
