import { describe, expect, it } from "vitest";
import { InFlight } from "./process-caches.js";

const deferred = <T>() => {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe("InFlight", () => {
  it("lets callers who asked before a computation began share it", async () => {
    const flights = new InFlight<number>();
    const asked = performance.now();
    const first = deferred<number>();
    let runs = 0;
    const a = flights.join("k", asked, () => (runs++, first.promise));
    const b = flights.join("k", asked, () => (runs++, Promise.resolve(-1)));
    first.resolve(7);
    expect(await Promise.all([a, b])).toEqual([7, 7]);
    expect(runs).toBe(1);
    expect(flights.size).toBe(0);
  });

  it("never hands a caller a computation that began before the caller asked", async () => {
    const flights = new InFlight<string>();
    const old = deferred<string>();
    const early = flights.join("k", performance.now(), () => old.promise);
    await new Promise((resolve) => setTimeout(resolve, 5));
    // This caller asked after the running computation began: it may have missed a booking made meanwhile.
    const late = flights.join("k", performance.now(), () => Promise.resolve("fresh"));
    old.resolve("stale");
    expect(await early).toBe("stale");
    expect(await late).toBe("fresh");
  });

  it("keys are separate, and a failure reaches every joiner and is forgotten", async () => {
    const flights = new InFlight<number>();
    const asked = performance.now();
    const failing = deferred<number>();
    const a = flights.join("x", asked, () => failing.promise);
    const b = flights.join("x", asked, () => Promise.resolve(1));
    const other = flights.join("y", asked, () => Promise.resolve(2));
    failing.reject(new Error("database gone"));
    await expect(a).rejects.toThrow("database gone");
    await expect(b).rejects.toThrow("database gone");
    expect(await other).toBe(2);
    expect(await flights.join("x", performance.now(), () => Promise.resolve(3))).toBe(3);
  });
});
