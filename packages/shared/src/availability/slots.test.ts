/** computeSlots: weekly rules and daylight saving, notice and horizon, input validation. Busy time, exceptions, skills and rooms: slots-blocking.test.ts. */
import { describe, it, expect } from "vitest";
import { computeSlots } from "./slots.js";
import { MIN, ms, hm, local, clock, SERVICE, staff, weekly, MON_SAT, ALL_DAYS, input } from "./slots.fixtures.js";
import type { AvailabilityInput } from "./types.js";

describe("computeSlots: weekly rules and DST", () => {
  it("offers 09:00 … 17:30 every 15 minutes for a 09:00–18:00 rule", () => {
    const slots = computeSlots(input());
    expect(slots).toHaveLength(35);
    expect(local(slots[0]!.start)).toBe("2026-04-13T09:00:00+02:00");
    expect(local(slots[slots.length - 1]!.start)).toBe("2026-04-13T17:30:00+02:00");
    expect(slots[1]!.start - slots[0]!.start).toBe(15 * MIN);
    for (const s of slots) expect(s.end - s.start).toBe(30 * MIN);
  });

  it("starts at 09:00 local on the Monday after spring forward (+02:00)", () => {
    const slots = computeSlots(input({ fromDate: "2026-03-30" }));
    expect(local(slots[0]!.start)).toBe("2026-03-30T09:00:00+02:00");
    expect(local(slots[slots.length - 1]!.start)).toBe("2026-03-30T17:30:00+02:00");
    expect(slots).toHaveLength(35);
  });

  it("starts at 09:00 local on the Monday after fall back (+01:00)", () => {
    const slots = computeSlots(input({ fromDate: "2026-10-26" }));
    expect(local(slots[0]!.start)).toBe("2026-10-26T09:00:00+01:00");
    expect(local(slots[slots.length - 1]!.start)).toBe("2026-10-26T17:30:00+01:00");
  });

  it("keeps local 09:00 across a multi-day range spanning the transition, with no Sunday slots", () => {
    const slots = computeSlots(input({ fromDate: "2026-03-28", days: 3 }));
    const firstPerDay = new Map<string, string>();
    for (const s of slots) {
      const iso = local(s.start);
      if (!firstPerDay.has(iso.slice(0, 10))) firstPerDay.set(iso.slice(0, 10), iso);
    }
    expect([...firstPerDay.values()]).toEqual(["2026-03-28T09:00:00+01:00", "2026-03-30T09:00:00+02:00"]);
    expect(slots).toHaveLength(70);
  });

  it("offers no slot in the skipped hour of a night rule on spring-forward Sunday", () => {
    const slots = computeSlots(input({ fromDate: "2026-03-29", rules: weekly("anna", [7], hm(0), hm(4)) }));
    const times = slots.map((s) => clock(s.start));
    expect(times.some((t) => t.startsWith("02:"))).toBe(false);
    expect(times).toEqual(["00:00", "00:15", "00:30", "00:45", "01:00", "01:15", "01:30", "01:45", "03:00", "03:15", "03:30"]);
    // 01:45 CET + 30 min = 03:15 CEST: still inside the (3 h long) window.
    expect(local(slots[7]!.end)).toBe("2026-03-29T03:15:00+02:00");
  });

  it("measures the spring-forward night window in real time (3 h, not 4 h)", () => {
    const long = { ...SERVICE, durationMinutes: 180 };
    const slots = computeSlots(input({ fromDate: "2026-03-29", rules: weekly("anna", [7], hm(0), hm(4)), service: long }));
    expect(slots.map((s) => local(s.start))).toEqual(["2026-03-29T00:00:00+01:00"]);
  });

  it("offers each local time of the repeated hour exactly once (earlier instant) on fall-back Sunday", () => {
    const slots = computeSlots(input({ fromDate: "2026-10-25", rules: weekly("anna", [7], hm(0), hm(4)) }));
    const times = slots.map((s) => clock(s.start));
    const expected: string[] = [];
    for (let m = 0; m <= hm(3, 30); m += 15) {
      expected.push(`${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`);
    }
    expect(times).toEqual(expected);
    for (const t of ["02:00", "02:15", "02:30", "02:45"]) expect(times.filter((x) => x === t)).toHaveLength(1);
    expect(new Set(slots.map((s) => s.start)).size).toBe(slots.length);
    const at0230 = slots.find((s) => clock(s.start) === "02:30")!;
    expect(local(at0230.start)).toBe("2026-10-25T02:30:00+02:00");
    expect(slots.some((s) => local(s.start) === "2026-10-25T02:30:00+01:00")).toBe(false);
  });

  it("measures the fall-back night window in real time (5 h)", () => {
    const long = { ...SERVICE, durationMinutes: 270 };
    const rules = weekly("anna", [7], hm(0), hm(4));
    expect(computeSlots(input({ fromDate: "2026-10-25", rules, service: long })).map((s) => local(s.start))).toEqual([
      "2026-10-25T00:00:00+02:00",
      "2026-10-25T00:15:00+02:00",
      "2026-10-25T00:30:00+02:00",
    ]);
    expect(computeSlots(input({ fromDate: "2026-10-18", rules, service: long }))).toEqual([]);
  });

  it("steps from each rule's own start in local time", () => {
    const rules = [
      { staffId: "anna", weekday: 1, startMinute: hm(9, 10), endMinute: hm(10) },
      { staffId: "anna", weekday: 1, startMinute: hm(14), endMinute: hm(15) },
    ];
    const slots = computeSlots(input({ rules }));
    expect(slots.map((s) => clock(s.start))).toEqual(["09:10", "09:25", "14:00", "14:15", "14:30"]);
  });

  it("supports an uneven step and a service longer than the step", () => {
    const slots = computeSlots(
      input({ policy: { slotStepMinutes: 20, minNoticeMinutes: 0, horizonDays: 365 }, service: { ...SERVICE, durationMinutes: 50 } }),
    );
    expect(slots[0] && clock(slots[0].start)).toBe("09:00");
    expect(slots.map((s) => clock(s.start)).at(-1)).toBe("17:00"); // 17:20 + 50 > 18:00
    expect(slots).toHaveLength(25);
  });

  it("respects validFrom / validUntil (inclusive local dates)", () => {
    const rules = [
      ...weekly("anna", MON_SAT, hm(9), hm(12), { validUntil: "2026-04-14" }),
      ...weekly("anna", MON_SAT, hm(13), hm(17), { validFrom: "2026-04-15", validUntil: null }),
    ];
    const slots = computeSlots(input({ rules, days: 4 }));
    const byDay = (d: string) => slots.filter((s) => local(s.start).startsWith(d)).map((s) => clock(s.start));
    expect(byDay("2026-04-13")[0]).toBe("09:00");
    expect(byDay("2026-04-14")).toContain("11:30");
    expect(byDay("2026-04-14")).not.toContain("13:00");
    expect(byDay("2026-04-15")[0]).toBe("13:00");
    expect(byDay("2026-04-15")).not.toContain("09:00");
    expect(byDay("2026-04-16")[0]).toBe("13:00");
  });

  it("ignores staff who do not offer the service and rules of unknown staff", () => {
    const slots = computeSlots(
      input({
        staff: [staff("anna", { offersService: false }), staff("ben")],
        rules: [...weekly("anna", MON_SAT, hm(9), hm(18)), ...weekly("ben", MON_SAT, hm(9), hm(10)), ...weekly("ghost", MON_SAT, hm(9), hm(18))],
      }),
    );
    expect(new Set(slots.map((s) => s.staffId))).toEqual(new Set(["ben"]));
    expect(slots).toHaveLength(3);
  });

  it("sorts by start then staffId and never repeats a (start, staff) pair", () => {
    const slots = computeSlots(
      input({
        staff: [staff("zoe"), staff("anna")],
        rules: [
          ...weekly("zoe", [1], hm(9), hm(10)),
          ...weekly("anna", [1], hm(9), hm(10)),
          ...weekly("anna", [1], hm(9), hm(10)), // duplicate rule
        ],
        exceptions: [{ staffId: "anna", kind: "extra_availability", start: ms("2026-04-13T09:00:00+02:00"), end: ms("2026-04-13T10:00:00+02:00") }],
      }),
    );
    expect(slots.map((s) => `${clock(s.start)} ${s.staffId}`)).toEqual([
      "09:00 anna",
      "09:00 zoe",
      "09:15 anna",
      "09:15 zoe",
      "09:30 anna",
      "09:30 zoe",
    ]);
  });

  it("a slot may run past midnight into the next day's rule, even at the end of the range", () => {
    const rules = [
      { staffId: "anna", weekday: 1, startMinute: hm(22), endMinute: 1440 },
      { staffId: "anna", weekday: 2, startMinute: 0, endMinute: hm(1) },
    ];
    const service = { ...SERVICE, durationMinutes: 60 };
    const slots = computeSlots(input({ rules, service, days: 1 }));
    expect(slots.map((s) => local(s.start))).toEqual([
      "2026-04-13T22:00:00+02:00",
      "2026-04-13T22:15:00+02:00",
      "2026-04-13T22:30:00+02:00",
      "2026-04-13T22:45:00+02:00",
      "2026-04-13T23:00:00+02:00",
      "2026-04-13T23:15:00+02:00",
      "2026-04-13T23:30:00+02:00",
      "2026-04-13T23:45:00+02:00",
    ]);
  });

  it("merges touching windows so a slot may span two adjacent rules", () => {
    const rules = [
      { staffId: "anna", weekday: 1, startMinute: hm(9), endMinute: hm(12) },
      { staffId: "anna", weekday: 1, startMinute: hm(12), endMinute: hm(13) },
    ];
    const times = computeSlots(input({ rules })).map((s) => clock(s.start));
    expect(times).toContain("11:45");
    expect(times.at(-1)).toBe("12:30");
  });
});

describe("computeSlots: notice and horizon", () => {
  it("drops slots earlier than now + minNotice (boundary inclusive)", () => {
    const now = ms("2026-04-13T10:05:00+02:00");
    const times = computeSlots(input({ now, policy: { slotStepMinutes: 15, minNoticeMinutes: 60, horizonDays: 30 } })).map((s) => clock(s.start));
    expect(times[0]).toBe("11:15");
    const exact = computeSlots(
      input({ now: ms("2026-04-13T10:00:00+02:00"), policy: { slotStepMinutes: 15, minNoticeMinutes: 60, horizonDays: 30 } }),
    );
    expect(clock(exact[0]!.start)).toBe("11:00");
  });

  it("drops slots at or after now + horizonDays", () => {
    const now = ms("2026-04-13T12:00:00+02:00");
    const slots = computeSlots(input({ now, days: 3, policy: { slotStepMinutes: 15, minNoticeMinutes: 0, horizonDays: 1 } }));
    expect(local(slots[0]!.start)).toBe("2026-04-13T12:00:00+02:00");
    expect(local(slots.at(-1)!.start)).toBe("2026-04-14T11:45:00+02:00");
  });

  it("counts the horizon in local calendar days across DST", () => {
    const now = ms("2026-03-28T12:00:00+01:00");
    const rules = weekly("anna", ALL_DAYS, hm(9), hm(18));
    const slots = computeSlots(input({ now, rules, fromDate: "2026-03-28", days: 3, policy: { slotStepMinutes: 15, minNoticeMinutes: 0, horizonDays: 1 } }));
    expect(local(slots.at(-1)!.start)).toBe("2026-03-29T11:45:00+02:00");
  });

  it("returns nothing when the whole range is in the past", () => {
    expect(computeSlots(input({ now: ms("2026-05-01T00:00:00Z") }))).toEqual([]);
  });
});

describe("computeSlots: input validation", () => {
  it.each([
    ["timezone", { timezone: "Mars/Olympus" }, /timezone/],
    ["fromDate format", { fromDate: "13.04.2026" }, /fromDate/],
    ["fromDate calendar", { fromDate: "2026-02-30" }, /fromDate/],
    ["days 0", { days: 0 }, /days/],
    ["days 32", { days: 32 }, /days/],
    ["days fractional", { days: 1.5 }, /days/],
    ["now NaN", { now: Number.NaN }, /now/],
    ["step 0", { policy: { slotStepMinutes: 0, minNoticeMinutes: 0, horizonDays: 30 } }, /slotStepMinutes/],
    ["step negative", { policy: { slotStepMinutes: -15, minNoticeMinutes: 0, horizonDays: 30 } }, /slotStepMinutes/],
    ["duration 0", { service: { ...SERVICE, durationMinutes: 0 } }, /durationMinutes/],
    ["duration negative", { service: { ...SERVICE, durationMinutes: -30 } }, /durationMinutes/],
    ["duration NaN", { service: { ...SERVICE, durationMinutes: Number.NaN } }, /durationMinutes/],
    ["negative buffer", { service: { ...SERVICE, bufferAfterMinutes: -5 } }, /bufferAfterMinutes/],
    ["rule minutes", { rules: [{ staffId: "anna", weekday: 1, startMinute: 600, endMinute: 540 }] }, /rule/],
    ["rule weekday", { rules: [{ staffId: "anna", weekday: 0, startMinute: 540, endMinute: 600 }] }, /weekday/],
    ["rule validFrom", { rules: [{ staffId: "anna", weekday: 1, startMinute: 540, endMinute: 600, validFrom: "2026-13-01" }] }, /validFrom/],
    ["business model", { businessModel: "franchise" as never }, /business model/],
  ] as [string, Partial<AvailabilityInput>, RegExp][])("throws RangeError for invalid %s", (_name, o, msg) => {
    expect(() => computeSlots(input(o))).toThrow(RangeError);
    expect(() => computeSlots(input(o))).toThrow(msg);
  });

  it("accepts the 31-day maximum", () => {
    expect(() => computeSlots(input({ days: 31 }))).not.toThrow();
  });
});
