/**
 * The kubectl process slots shared among principals: who gets a free slot and when. Order and
 * share are asserted, never timing (bench/scenarios/fair-shares.ts measures that).
 */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { isFollowing } from "../../executor/following";
import { type SlotRequest, Slots } from "../../executor/slots";

/** Slots with every request's grant recorded in order, and its release at hand. */
function harness(limit: number) {
  const slots = new Slots(limit);
  const granted: string[] = [];
  const releases = new Map<string, () => void>();
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    slots,
    granted,
    settle,
    async ask(id: string, request: Partial<SlotRequest> & { principal: string }) {
      void slots.acquire({ share: 1, following: false, ...request }).then((release) => {
        granted.push(id);
        releases.set(id, release);
      });
      await settle();
    },
    async release(id: string) {
      releases.get(id)?.();
      await settle();
    },
  };
}

describe("fair slots", () => {
  test("one principal's four follows take three slots; another's command gets the fourth at once", async () => {
    const h = harness(4);
    for (const id of ["f1", "f2", "f3", "f4"]) await h.ask(id, { principal: "follower", following: true });
    expect(h.granted).toEqual(["f1", "f2", "f3"]);
    await h.ask("version", { principal: "other" });
    expect(h.granted).toEqual(["f1", "f2", "f3", "version"]);
    // Its own short commands may still use every slot: only follows keep the last one free.
    const solo = harness(4);
    for (const id of ["a", "b", "c", "d"]) await solo.ask(id, { principal: "p" });
    expect(solo.granted).toEqual(["a", "b", "c", "d"]);
  });

  test("waiting principals with equal shares take turns, whoever came first", async () => {
    const h = harness(2);
    await h.ask("a1", { principal: "a" });
    await h.ask("a2", { principal: "a" });
    for (const id of ["a3", "a4", "a5"]) await h.ask(id, { principal: "a" });
    for (const id of ["b1", "b2", "b3"]) await h.ask(id, { principal: "b" });
    for (const id of ["a1", "a2", "b1", "a3", "b2", "a4"]) await h.release(id);
    expect(h.granted).toEqual(["a1", "a2", "b1", "a3", "b2", "a4", "b3", "a5"]);
  });

  test("a share of 2 gets twice the slots of a share of 1 while both wait", async () => {
    const h = harness(3);
    for (const id of ["x1", "x2", "x3"]) await h.ask(id, { principal: "blocker" });
    for (let i = 1; i <= 4; i++) await h.ask(`big${i}`, { principal: "big", share: 2 });
    for (let i = 1; i <= 4; i++) await h.ask(`small${i}`, { principal: "small" });
    for (const id of ["x1", "x2", "x3"]) await h.release(id);
    // Three slots among shares 2 and 1: two for big, one for small.
    expect(h.granted.slice(3).sort()).toEqual(["big1", "big2", "small1"]);
    expect(h.slots.holding("big")).toBe(2);
    expect(h.slots.holding("small")).toBe(1);
  });

  test("property: no slot idles while a request could take it, and none is given over a share while others wait", async () => {
    type Op =
      | { kind: "ask"; principal: string; share: number; following: boolean }
      | { kind: "release"; pick: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({
        kind: fc.constant("ask" as const),
        principal: fc.constantFrom("a", "b", "c"),
        share: fc.constantFrom(1, 2),
        following: fc.boolean(),
      }),
      fc.record({ kind: fc.constant("release" as const), pick: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(op, { maxLength: 40 }),
        async (limit, ops) => {
          const slots = new Slots(limit);
          // Shares are fixed per principal, as a scope gives them.
          const shareOf: Record<string, number> = {};
          const waiting: (SlotRequest & { id: number })[] = [];
          const holding: { id: number; principal: string; release: () => void }[] = [];
          const settle = () => new Promise((resolve) => setImmediate(resolve));
          let next = 0;
          for (const step of ops) {
            const waitingBefore = [...waiting];
            if (step.kind === "ask") {
              shareOf[step.principal] ??= step.share;
              const request = {
                principal: step.principal,
                share: shareOf[step.principal] ?? 1,
                following: step.following,
              };
              const id = next++;
              waiting.push({ ...request, id });
              void slots.acquire(request).then((release) => {
                waiting.splice(
                  waiting.findIndex((w) => w.id === id),
                  1,
                );
                holding.push({ id, principal: request.principal, release });
              });
            } else if (holding.length > 0) {
              const [gone] = holding.splice(step.pick % holding.length, 1);
              gone?.release();
            }
            const heldBefore = new Map<string, number>();
            for (const h of holding) heldBefore.set(h.principal, (heldBefore.get(h.principal) ?? 0) + 1);
            await settle();
            const held = (p: string) => holding.filter((h) => h.principal === p).length;
            expect(holding.length).toBeLessThanOrEqual(limit);
            // A grant made while another principal waited stayed within the grantee's share.
            for (const p of Object.keys(shareOf)) {
              const others =
                waitingBefore.some((w) => w.principal !== p) && waiting.some((w) => w.principal !== p);
              if (others && held(p) > (heldBefore.get(p) ?? 0)) {
                const active = new Set([
                  ...waitingBefore.map((w) => w.principal),
                  ...holding.map((h) => h.principal),
                ]);
                const total = [...active].reduce((sum, q) => sum + (shareOf[q] ?? 1), 0);
                expect(held(p)).toBeLessThanOrEqual(
                  Math.max(1, Math.floor((limit * (shareOf[p] ?? 1)) / total)),
                );
              }
            }
            // Work-conserving: a free slot and a lone principal's ordinary request never both wait.
            if (holding.length < limit) {
              const principals = new Set(waiting.map((w) => w.principal));
              if (principals.size === 1) expect(waiting.every((w) => w.following)).toBe(true);
            }
          }
          for (const h of holding.splice(0)) h.release();
          await settle();
        },
      ),
      { numRuns: 200 },
    );
  });
});

test.each([
  [["logs", "api-0", "-f"], true],
  [["logs", "api-0", "--follow=true"], true],
  [["logs", "api-0", "--follow=false"], false],
  [["get", "pods", "-w"], true],
  [["get", "pods", "--watch-only"], true],
  [["get", "pods", "-o", "wide"], false],
  [["rollout", "status", "deploy/api"], true],
  [["rollout", "status", "deploy/api", "--watch=false"], false],
  [["version"], false],
])("isFollowing %p is %p", (argv, following) => {
  expect(isFollowing(argv)).toBe(following);
});
