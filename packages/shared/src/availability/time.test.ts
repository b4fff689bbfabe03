import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, it, expect } from "vitest";
import {
  addLocalDays,
  isoWeekdayOf,
  isValidLocalDate,
  isValidTimeZone,
  localBoundaryToInstant,
  localDateOf,
  localDateRange,
  localDayInfo,
  localWallClockInstants,
  localWallClockToInstant,
  rezoneInstants,
  toZonedIso,
} from "./time.js";

const TZ = "Europe/Berlin";
const H = 3_600_000;
const ms = (iso: string) => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`bad test iso ${iso}`);
  return t;
};

describe("isValidTimeZone / isValidLocalDate", () => {
  it("accepts IANA zones and rejects garbage", () => {
    expect(isValidTimeZone("Europe/Berlin")).toBe(true);
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
    expect(isValidTimeZone(42)).toBe(false);
  });

  it("accepts only real dates written as YYYY-MM-DD", () => {
    expect(isValidLocalDate("2026-03-30")).toBe(true);
    expect(isValidLocalDate("2028-02-29")).toBe(true);
    expect(isValidLocalDate("2026-02-29")).toBe(false);
    expect(isValidLocalDate("2026-13-01")).toBe(false);
    expect(isValidLocalDate("2026-3-30")).toBe(false);
    expect(isValidLocalDate("30.03.2026")).toBe(false);
    expect(isValidLocalDate("2026-03-30T00:00")).toBe(false);
    expect(isValidLocalDate(null)).toBe(false);
  });
});

describe("localDateRange", () => {
  it("spans local midnights and is 23 h on the spring-forward day", () => {
    const r = localDateRange(TZ, "2026-03-29", 1);
    expect(r.start).toBe(ms("2026-03-29T00:00:00+01:00"));
    expect(r.end).toBe(ms("2026-03-30T00:00:00+02:00"));
    expect(r.end - r.start).toBe(23 * H);
  });

  it("is 25 h on the fall-back day", () => {
    const r = localDateRange(TZ, "2026-10-25", 1);
    expect(r.start).toBe(ms("2026-10-25T00:00:00+02:00"));
    expect(r.end - r.start).toBe(25 * H);
  });

  it("covers several days across a transition", () => {
    const r = localDateRange(TZ, "2026-03-28", 3);
    expect(r.start).toBe(ms("2026-03-28T00:00:00+01:00"));
    expect(r.end).toBe(ms("2026-03-31T00:00:00+02:00"));
    expect(r.end - r.start).toBe(71 * H);
  });

  it("rejects bad arguments with RangeError", () => {
    expect(() => localDateRange("Nope/Zone", "2026-03-28", 1)).toThrow(RangeError);
    expect(() => localDateRange(TZ, "2026-02-30", 1)).toThrow(RangeError);
    expect(() => localDateRange(TZ, "2026-03-28", 0)).toThrow(RangeError);
  });
});

describe("toZonedIso / localDateOf", () => {
  it("prints the zone offset without milliseconds", () => {
    expect(toZonedIso(ms("2026-03-30T07:00:00Z"), TZ)).toBe("2026-03-30T09:00:00+02:00");
    expect(toZonedIso(ms("2026-01-15T08:00:00Z"), TZ)).toBe("2026-01-15T09:00:00+01:00");
    expect(toZonedIso(ms("2026-01-15T08:00:00.789Z"), TZ)).toBe("2026-01-15T09:00:00+01:00");
    expect(toZonedIso(ms("2026-01-15T08:00:00Z"), "America/New_York")).toBe("2026-01-15T03:00:00-05:00");
  });

  it("gives the local date, which can differ from the UTC date", () => {
    expect(localDateOf(ms("2026-03-29T23:30:00Z"), TZ)).toBe("2026-03-30");
    expect(localDateOf(ms("2026-03-29T21:59:00Z"), TZ)).toBe("2026-03-29");
    expect(localDateOf(ms("2026-03-29T22:00:00Z"), TZ)).toBe("2026-03-30");
  });
});

describe("localWallClockToInstant", () => {
  it("converts ordinary local times", () => {
    expect(localWallClockToInstant(TZ, "2026-03-30", 9 * 60)).toBe(ms("2026-03-30T09:00:00+02:00"));
    expect(localWallClockToInstant(TZ, "2026-01-05", 0)).toBe(ms("2026-01-05T00:00:00+01:00"));
  });

  it("returns null for local times in the spring-forward gap", () => {
    expect(localWallClockToInstant(TZ, "2026-03-29", 2 * 60)).toBeNull();
    expect(localWallClockToInstant(TZ, "2026-03-29", 2 * 60 + 30)).toBeNull();
    expect(localWallClockToInstant(TZ, "2026-03-29", 2 * 60 + 59)).toBeNull();
    expect(localWallClockToInstant(TZ, "2026-03-29", 3 * 60)).toBe(ms("2026-03-29T03:00:00+02:00"));
    expect(localWallClockToInstant(TZ, "2026-03-29", 60 + 59)).toBe(ms("2026-03-29T01:59:00+01:00"));
  });

  it("returns the earlier instant for a repeated local time (fall back)", () => {
    expect(localWallClockToInstant(TZ, "2026-10-25", 2 * 60 + 30)).toBe(ms("2026-10-25T02:30:00+02:00"));
    expect(localWallClockToInstant(TZ, "2026-10-25", 2 * 60)).toBe(ms("2026-10-25T02:00:00+02:00"));
    expect(localWallClockInstants(TZ, "2026-10-25", 2 * 60 + 30)).toEqual([
      ms("2026-10-25T02:30:00+02:00"),
      ms("2026-10-25T02:30:00+01:00"),
    ]);
    expect(localWallClockInstants(TZ, "2026-10-25", 3 * 60)).toEqual([ms("2026-10-25T03:00:00+01:00")]);
  });

  it("treats minute 1440 as the next local midnight", () => {
    expect(localWallClockToInstant(TZ, "2026-03-28", 1440)).toBe(ms("2026-03-29T00:00:00+01:00"));
    expect(localWallClockToInstant(TZ, "2026-03-29", 1440)).toBe(ms("2026-03-30T00:00:00+02:00"));
  });

  it("rejects invalid arguments", () => {
    expect(() => localWallClockToInstant("Nope/Zone", "2026-03-29", 0)).toThrow(RangeError);
    expect(() => localWallClockToInstant(TZ, "2026-02-30", 0)).toThrow(RangeError);
    expect(() => localWallClockToInstant(TZ, "2026-03-29", -1)).toThrow(RangeError);
  });
});

describe("localBoundaryToInstant", () => {
  it("maps a gap time to the transition instant", () => {
    expect(localBoundaryToInstant(TZ, "2026-03-29", 2 * 60 + 30)).toBe(ms("2026-03-29T01:00:00Z"));
    expect(localBoundaryToInstant(TZ, "2026-03-29", 2 * 60)).toBe(ms("2026-03-29T03:00:00+02:00"));
  });

  it("equals localWallClockToInstant outside gaps", () => {
    expect(localBoundaryToInstant(TZ, "2026-10-25", 2 * 60 + 30)).toBe(ms("2026-10-25T02:30:00+02:00"));
    expect(localBoundaryToInstant(TZ, "2026-06-01", 18 * 60)).toBe(ms("2026-06-01T18:00:00+02:00"));
  });
});

describe("local day helpers", () => {
  it("computes weekdays and date arithmetic", () => {
    expect(isoWeekdayOf("2026-03-29")).toBe(7);
    expect(isoWeekdayOf("2026-03-30")).toBe(1);
    expect(addLocalDays("2026-02-28", 1)).toBe("2026-03-01");
    expect(addLocalDays("2026-03-01", -1)).toBe("2026-02-28");
  });

  it("flags DST days as non-uniform", () => {
    expect(localDayInfo(TZ, "2026-03-28").uniform).toBe(true);
    expect(localDayInfo(TZ, "2026-03-29").uniform).toBe(false);
    expect(localDayInfo(TZ, "2026-10-25").uniform).toBe(false);
    const d = localDayInfo(TZ, "2026-10-25");
    expect(d.end - d.start).toBe(25 * H);
    expect(d.weekday).toBe(7);
  });
});

describe("fast paths agree with Luxon", () => {
  // addLocalDays, isoWeekdayOf and localDateOf skip Luxon, and day facts are remembered per zone and
  // date: each is checked against Luxon itself over random dates, zones and instants (DST days included).
  const zones = fc.constantFrom("Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "America/Santiago", "UTC", "Pacific/Chatham");
  const date = fc.date({ min: new Date("1950-01-01T00:00:00Z"), max: new Date("2150-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

  it("date arithmetic and weekdays", () => {
    fc.assert(
      fc.property(date, fc.integer({ min: -800, max: 800 }), (d, days) => {
        const luxon = DateTime.fromISO(d, { zone: "utc" });
        expect(addLocalDays(d, days)).toBe(luxon.plus({ days }).toISODate());
        expect(isoWeekdayOf(d)).toBe(luxon.weekday);
      }),
      { numRuns: 2000 },
    );
  });

  it("local dates of instants and day facts", () => {
    fc.assert(
      fc.property(zones, fc.integer({ min: Date.parse("1970-01-01T00:00:00Z"), max: Date.parse("2100-01-01T00:00:00Z") }), (zone, ms) => {
        const local = DateTime.fromMillis(ms, { zone });
        expect(localDateOf(ms, zone)).toBe(local.toISODate());
        const day = localDayInfo(zone, local.toISODate()!);
        const start = local.startOf("day");
        expect(day.start).toBe(start.toMillis());
        expect(day.weekday).toBe(start.weekday);
        expect(ms >= day.start && ms < day.end).toBe(true);
        expect(localDateRange(zone, day.date, 1)).toEqual({ start: day.start, end: day.end });
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps rejecting bad input", () => {
    expect(() => addLocalDays("2026-02-30", 1)).toThrow(RangeError);
    expect(() => addLocalDays("2026-02-01", 1.5)).toThrow(RangeError);
    expect(() => localDateOf(Number.NaN, TZ)).toThrow(RangeError);
    expect(() => localDateOf(0, "Mars/Olympus")).toThrow(RangeError);
  });
});

describe("rezoneInstants", () => {
  it("rewrites every instant inside a JSON value with the zone's offset, keeping other strings and kept keys", () => {
    const value = {
      start: "2026-03-30T07:00:00+00:00",
      nested: [{ at: "2026-01-10T09:30:00.123Z" }, "2026-01-10", "not a time", 5, null],
      request: { start: "2026-03-30T07:00:00.000Z" },
    };
    expect(rezoneInstants(value, "Europe/Berlin", ["request"])).toEqual({
      start: "2026-03-30T09:00:00+02:00",
      nested: [{ at: "2026-01-10T10:30:00+01:00" }, "2026-01-10", "not a time", 5, null],
      request: { start: "2026-03-30T07:00:00.000Z" },
    });
  });
});
