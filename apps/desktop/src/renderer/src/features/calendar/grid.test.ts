import { describe, expect, it } from "vitest";
import { buildDayGrid, dayBounds, dayRangeIso, rowIndexAt, rowOffset, weekOf } from "./grid";

const ZONE = "Europe/Berlin";

describe("the day grid, built from instants", () => {
  it("has 96 quarter-hour rows on an ordinary day and places 10:00 at row 40", () => {
    const grid = buildDayGrid({ date: "2026-06-10", zone: ZONE, fromHour: 0, toHour: 24 });
    expect(grid.rows).toHaveLength(96);
    expect(grid.rows[0]!.label).toBe("00:00");
    expect(rowOffset(grid, Date.parse("2026-06-10T10:00:00+02:00"))).toBe(40);
  });

  it("has 92 rows on the spring-forward day: 02:00–03:00 does not exist, and 10:00 sits 4 rows higher", () => {
    const grid = buildDayGrid({ date: "2026-03-29", zone: ZONE, fromHour: 0, toHour: 24 });
    expect(grid.dayEnd - grid.dayStart).toBe(23 * 3_600_000);
    expect(grid.rows).toHaveLength(92);
    const labels = grid.rows.map((r) => r.label);
    expect(labels).not.toContain("02:30");
    expect(labels.slice(7, 9)).toEqual(["01:45", "03:00"]);
    expect(rowOffset(grid, Date.parse("2026-03-29T10:00:00+02:00"))).toBe(36);
  });

  it("has 100 rows on the fall-back day: 02:00–03:00 twice, told apart by offset", () => {
    const grid = buildDayGrid({ date: "2026-10-25", zone: ZONE, fromHour: 0, toHour: 24 });
    expect(grid.dayEnd - grid.dayStart).toBe(25 * 3_600_000);
    expect(grid.rows).toHaveLength(100);
    const twice = grid.rows.filter((r) => r.label === "02:30");
    expect(twice.map((r) => r.offsetLabel)).toEqual(["+02:00", "+01:00"]);
    expect(grid.rows.find((r) => r.label === "10:00")!.offsetLabel).toBeNull();
    // 02:30 summer time and 02:30 winter time are an hour apart: 4 rows.
    expect(rowIndexAt(grid, Date.parse("2026-10-25T02:30:00+01:00")) - rowIndexAt(grid, Date.parse("2026-10-25T02:30:00+02:00"))).toBe(4);
  });

  it("shows 07–21 by default and widens to include appointments outside those hours, within the day", () => {
    const normal = buildDayGrid({ date: "2026-06-10", zone: ZONE });
    expect(normal.rows[0]!.label).toBe("07:00");
    expect(normal.rows.at(-1)!.label).toBe("20:45");
    const early = buildDayGrid({
      date: "2026-06-10",
      zone: ZONE,
      include: [{ start: Date.parse("2026-06-10T06:10:00+02:00"), end: Date.parse("2026-06-10T06:40:00+02:00") }, { start: Date.parse("2026-06-11T23:00:00+02:00"), end: Date.parse("2026-06-11T23:30:00+02:00") }],
    });
    expect(early.rows[0]!.label).toBe("06:00");
    expect(early.rows.at(-1)!.label).toBe("20:45");
  });

  it("gives the list range of a local day with offsets and the ISO week from Monday", () => {
    expect(dayRangeIso("2026-03-29", ZONE)).toEqual({ from: "2026-03-29T00:00:00+01:00", to: "2026-03-30T00:00:00+02:00" });
    expect(dayBounds("2026-01-15", ZONE).start).toBe(Date.parse("2026-01-15T00:00:00+01:00"));
    expect(weekOf("2026-03-05", ZONE)).toEqual(["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08"]);
  });
});

describe("dates as the desk types them", () => {
  const now = Date.parse("2026-06-10T12:00:00+02:00");
  it("reads 27.11.2026, 27.11.26, 27.11. (this year), 1/2/2027 and ISO; refuses impossible dates", async () => {
    const { parseDeskDate, formatDeskDate } = await import("./desk-date");
    expect(parseDeskDate("27.11.2026", ZONE, now)).toBe("2026-11-27");
    expect(parseDeskDate("27.11.26", ZONE, now)).toBe("2026-11-27");
    expect(parseDeskDate(" 27.11. ", ZONE, now)).toBe("2026-11-27");
    expect(parseDeskDate("1/2/2027", ZONE, now)).toBe("2027-02-01");
    expect(parseDeskDate("2026-03-29", ZONE, now)).toBe("2026-03-29");
    for (const bad of ["31.02.2026", "32.1.2026", "tomorrow", "", "2026-13-01"]) expect(parseDeskDate(bad, ZONE, now), bad).toBeNull();
    expect(formatDeskDate("2026-03-05")).toBe("05.03.2026");
  });
});
