/** The agent's memory of command ids: bounded, the one remembered longest ago forgotten first. */
import { expect, test } from "bun:test";
import { Remembered } from "../../executor/remembered";

test("past the limit the id remembered longest ago is forgotten first", () => {
  const seen = new Remembered<number>(3);
  for (const [i, id] of ["a", "b", "c", "d"].entries()) seen.remember(id, i);
  expect(seen.size).toBe(3);
  expect(seen.get("a")).toBeUndefined();
  expect([seen.get("b"), seen.get("c"), seen.get("d")]).toEqual([1, 2, 3]);
});

test("an id remembered again is the newest; an update keeps its place", () => {
  const seen = new Remembered<string>(3);
  seen.remember("a", "queued");
  seen.remember("b", "queued");
  seen.remember("c", "queued");
  seen.remember("a", "done"); // now the newest: b goes first
  seen.update("b", "running"); // keeps its place: still the oldest
  seen.remember("d", "queued");
  expect(seen.get("b")).toBeUndefined();
  expect(seen.get("a")).toBe("done");
  seen.remember("e", "queued");
  expect(seen.get("c")).toBeUndefined();
  expect(seen.get("a")).toBe("done");
  expect(seen.size).toBe(3);
});

test("an update of a forgotten id remembers it anew; a forgotten id is not counted", () => {
  const seen = new Remembered<string>(2);
  seen.remember("a", "queued");
  seen.forget("a");
  expect(seen.size).toBe(0);
  seen.update("a", "running");
  expect(seen.get("a")).toBe("running");
  seen.remember("b", "queued");
  seen.remember("c", "queued");
  expect([seen.get("a"), seen.get("b"), seen.get("c")]).toEqual([undefined, "queued", "queued"]);
});

test("over many ids, each moved once, exactly the newest `limit` stay (a Map's order is the model)", () => {
  const limit = 50;
  const seen = new Remembered<number>(limit);
  const model = new Map<string, number>();
  const remember = (id: string, value: number) => {
    seen.remember(id, value);
    model.delete(id);
    model.set(id, value);
    if (model.size > limit) model.delete(model.keys().next().value as string);
  };
  for (let i = 0; i < 5_000; i++) {
    remember(`id-${i}`, i);
    // Every third id finishes a little later, as commands do: it moves to the newest.
    if (i >= 7 && i % 3 === 0) remember(`id-${i - 7}`, -i);
  }
  expect(seen.size).toBe(model.size);
  for (let i = 0; i < 5_000; i++) expect(seen.get(`id-${i}`)).toBe(model.get(`id-${i}`));
});
