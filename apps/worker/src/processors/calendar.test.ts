import { CalcomRetryable } from "@askproai/db/calendar";
import { describe, expect, it } from "vitest";
import { calendarBackoff } from "./calendar.js";

describe("calendar backoff", () => {
  it("doubles per attempt up to the cap, with half of each delay random (jitter)", () => {
    const low = calendarBackoff(1_000, 8_000, () => 0);
    const high = calendarBackoff(1_000, 8_000, () => 0.999);
    expect([1, 2, 3, 4, 5, 6].map((n) => low(n))).toEqual([500, 1_000, 2_000, 4_000, 4_000, 4_000]);
    expect([1, 2, 3, 4, 5, 6].map((n) => high(n))).toEqual([1_000, 1_999, 3_998, 7_996, 7_996, 7_996]);
  });
  it("never retries sooner than Cal.com's Retry-After (capped at an hour)", () => {
    const backoff = calendarBackoff(1_000, 8_000, () => 0);
    expect(backoff(1, "calendar", new CalcomRetryable("429", 429, 30_000))).toBe(30_000);
    expect(backoff(1, "calendar", new CalcomRetryable("429", 429, 10))).toBe(500);
    expect(backoff(1, "calendar", new CalcomRetryable("429", 429, 86_400_000))).toBe(3_600_000);
    expect(backoff(1, "calendar", new Error("other"))).toBe(500);
  });
});
