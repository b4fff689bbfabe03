import { describe, it, expect } from "vitest";
import { containedInOne, mergeIntervals, OverlapIndex, subtractIntervals } from "./intervals.js";
import type { Interval } from "./types.js";

const iv = (start: number, end: number): Interval => ({ start, end });

describe("mergeIntervals / subtractIntervals", () => {
  it("merges overlapping and touching intervals and drops empty ones", () => {
    expect(mergeIntervals([iv(5, 7), iv(0, 2), iv(2, 3), iv(6, 9), iv(4, 4)])).toEqual([iv(0, 3), iv(5, 9)]);
  });

  it("subtracts", () => {
    expect(subtractIntervals([iv(0, 10), iv(20, 30)], [iv(2, 4), iv(8, 22), iv(25, 40)])).toEqual([
      iv(0, 2),
      iv(4, 8),
      iv(22, 25),
    ]);
    expect(subtractIntervals([iv(0, 10)], [iv(-5, 15)])).toEqual([]);
    expect(subtractIntervals([iv(0, 10)], [])).toEqual([iv(0, 10)]);
  });

  it("containedInOne", () => {
    const w = [iv(0, 10), iv(20, 30)];
    expect(containedInOne(w, 0, 10)).toBe(true);
    expect(containedInOne(w, 5, 11)).toBe(false);
    expect(containedInOne(w, 15, 16)).toBe(false);
    expect(containedInOne(w, 20, 30)).toBe(true);
    expect(containedInOne(w, -1, 1)).toBe(false);
  });
});

describe("OverlapIndex", () => {
  it("agrees with a brute-force scan on random data", () => {
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 16807) % 2147483647) % n;
    const list: Interval[] = Array.from({ length: 80 }, () => {
      const s = rnd(1000);
      return iv(s, s + rnd(60));
    });
    const index = new OverlapIndex(list);
    for (let i = 0; i < 2000; i++) {
      const a = rnd(1100) - 50;
      const b = a + 1 + rnd(40);
      const brute = list.some((x) => x.end > x.start && x.start < b && x.end > a);
      expect(index.overlaps(a, b)).toBe(brute);
    }
  });

  it("treats intervals as half-open", () => {
    const index = new OverlapIndex([iv(10, 20)]);
    expect(index.overlaps(20, 30)).toBe(false);
    expect(index.overlaps(0, 10)).toBe(false);
    expect(index.overlaps(19, 21)).toBe(true);
  });
});
