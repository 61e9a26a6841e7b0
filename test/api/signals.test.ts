/**
 * The in-process fan-out every waiting caller and executor stream listens on: a key holds its one
 * listener as is and a Set only from the second on, so these check that every listener of a key
 * hears each signal whichever way it is held, and that unsubscribing removes exactly its own.
 */
import { describe, expect, test } from "bun:test";
import { Signals } from "../../src/modules/queue/signals";

function recorder() {
  const heard: string[] = [];
  return { heard, listener: (value: string) => heard.push(value) };
}

describe("signals", () => {
  test("one listener, then a second: both hear, and each leaves alone", () => {
    const signals = new Signals<string>();
    const a = recorder();
    const b = recorder();
    const offA = signals.on("k", a.listener);
    signals.emit("k", "1");
    const offB = signals.on("k", b.listener);
    signals.emit("k", "2");
    offA();
    signals.emit("k", "3");
    offB();
    signals.emit("k", "4");
    expect(a.heard).toEqual(["1", "2"]);
    expect(b.heard).toEqual(["2", "3"]);
  });

  test("a key's signal reaches none of another key's listeners", () => {
    const signals = new Signals<string>();
    const a = recorder();
    const b = recorder();
    signals.on("a", a.listener);
    signals.on("b", b.listener);
    signals.emit("a", "x");
    expect(a.heard).toEqual(["x"]);
    expect(b.heard).toEqual([]);
  });

  test("a stale unsubscribe, called again after the same function subscribed anew, leaves the new one", () => {
    const signals = new Signals<string>();
    const a = recorder();
    const first = signals.on("k", a.listener);
    first();
    signals.on("k", a.listener);
    first();
    signals.emit("k", "still");
    expect(a.heard).toEqual(["still"]);
  });

  test("a listener that unsubscribes while being told does not stop the others hearing it", () => {
    const signals = new Signals<string>();
    const b = recorder();
    const off = signals.on("k", () => off());
    signals.on("k", b.listener);
    signals.emit("k", "x");
    signals.emit("k", "y");
    expect(b.heard).toEqual(["x", "y"]);
  });

  test("a watch started signalled, remembers a signal while busy, and stops hearing once stopped", async () => {
    const signals = new Signals();
    const watch = signals.watch("k");
    expect(watch.take()).toBe(true);
    expect(watch.take()).toBe(false);
    signals.emit("k", undefined);
    expect(watch.take()).toBe(true);
    const never = new AbortController();
    const waiting = watch.wait(10_000, never.signal);
    signals.emit("k", undefined);
    expect(await waiting).toBe(true);
    watch.stop();
    watch.take();
    signals.emit("k", undefined);
    expect(watch.take()).toBe(false);
  });
});
