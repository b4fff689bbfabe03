import { describe, it, expect } from "vitest";
import { isSlotOffered, nearestAlternatives } from "./alternatives.js";
import type { Slot } from "./types.js";

const MIN = 60_000;
const T0 = Date.parse("2026-04-13T10:00:00+02:00");
const at = (minutesFromTen: number) => T0 + minutesFromTen * MIN;
const slot = (m: number, staffId: string): Slot => ({ start: at(m), end: at(m + 30), staffId });

// 09:30 ben, 10:00 ben + anna, 10:30 anna, 11:00 ben, 12:00 anna
const slots: Slot[] = [slot(-30, "ben"), slot(0, "ben"), slot(0, "anna"), slot(30, "anna"), slot(60, "ben"), slot(120, "anna")];
const fmt = (xs: { start: number; staffId: string }[]) => xs.map((x) => `${(x.start - T0) / MIN} ${x.staffId}`);

describe("nearestAlternatives", () => {
  it("the wanted staff member's own slots first, by distance, excluding the wanted pair; then others", () => {
    expect(fmt(nearestAlternatives(slots, { start: at(30), staffId: "anna" }))).toEqual(["0 anna", "120 anna", "60 ben"]);
  });

  it("one entry per instant, earlier first on equal distance", () => {
    const r = nearestAlternatives(slots, { start: at(15), staffId: "anna" }, 10);
    expect(fmt(r)).toEqual(["0 anna", "30 anna", "120 anna", "-30 ben", "60 ben"]);
    expect(new Set(r.map((x) => x.start)).size).toBe(r.length);
    expect(fmt(nearestAlternatives(slots, { start: at(15), staffId: "ben" }, 1))).toEqual(["0 ben"]);
  });

  it("after the wanted staff member's own times, the same instant with someone else", () => {
    expect(fmt(nearestAlternatives(slots, { start: at(0), staffId: "ben" }, 3))).toEqual(["-30 ben", "60 ben", "0 anna"]);
  });

  it("carries each alternative's end", () => {
    expect(nearestAlternatives(slots, { start: at(0), staffId: "ben" }, 1)).toEqual([{ start: at(-30), end: at(0), staffId: "ben" }]);
  });

  it("without staffId, the wanted instant itself is not an alternative", () => {
    expect(fmt(nearestAlternatives(slots, { start: at(0) }, 2))).toEqual(["-30 ben", "30 anna"]);
    expect(fmt(nearestAlternatives(slots, { start: at(0), staffId: null }, 2))).toEqual(["-30 ben", "30 anna"]);
  });

  it("offers the start looked from itself when it was not the wish", () => {
    expect(fmt(nearestAlternatives(slots, { start: at(0), excludeItself: false }, 2))).toEqual(["0 ben", "-30 ben"]);
    expect(fmt(nearestAlternatives(slots, { start: at(0), staffId: "anna", excludeItself: false }, 2))).toEqual(["0 anna", "30 anna"]);
  });

  it("without staffId takes the first slot of each instant", () => {
    expect(fmt(nearestAlternatives(slots, { start: at(5) }, 1))).toEqual(["0 ben"]);
  });

  it("respects the limit", () => {
    expect(nearestAlternatives(slots, { start: at(30), staffId: "anna" })).toHaveLength(3);
    expect(nearestAlternatives(slots, { start: at(30), staffId: "anna" }, 1)).toHaveLength(1);
    expect(nearestAlternatives(slots, { start: at(30), staffId: "anna" }, 0)).toEqual([]);
    expect(nearestAlternatives(slots, { start: at(30), staffId: "anna" }, 99)).toHaveLength(4); // 4 other instants
    expect(nearestAlternatives([], { start: at(30) })).toEqual([]);
  });
});

describe("isSlotOffered", () => {
  it("checks start and optional staff", () => {
    expect(isSlotOffered(slots, at(0))).toBe(true);
    expect(isSlotOffered(slots, at(0), "anna")).toBe(true);
    expect(isSlotOffered(slots, at(-30), "anna")).toBe(false);
    expect(isSlotOffered(slots, at(15))).toBe(false);
    expect(isSlotOffered(slots, at(60), null)).toBe(true);
  });
});
