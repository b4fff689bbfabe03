import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { spokenDay, spokenSlots, spokenStaffName, spokenTime } from "./speech.js";
import { parseInstant, parseLocalDate, parseTimeOfDay, parseWish } from "./when.js";

const ZONE = "Europe/Berlin";
// Wednesday, 25 November 2026, 09:00 in Berlin.
const NOW = DateTime.fromISO("2026-11-25T09:00", { zone: ZONE }).toMillis();
const ms = (iso: string) => DateTime.fromISO(iso, { setZone: true }).toMillis();

describe("dates as an LLM passes them", () => {
  it.each([
    ["2026-12-01", "2026-12-01"],
    ["2026-12-1", "2026-12-01"],
    ["1.12.2026", "2026-12-01"],
    ["01.12.26", "2026-12-01"],
    ["1.12.", "2026-12-01"],
    ["20.11.", "2027-11-20"], // already past this year: the next one
    ["heute", "2026-11-25"],
    ["morgen", "2026-11-26"],
    ["übermorgen", "2026-11-27"],
    ["tomorrow", "2026-11-26"],
    ["Dienstag", "2026-12-01"],
    ["am Freitag", "2026-11-27"],
    ["Mittwoch", "2026-11-25"],
    ["2026-12-01T14:30:00+01:00", "2026-12-01"],
  ])("%s → %s", (said, date) => {
    expect(parseLocalDate(said, ZONE, NOW)).toEqual({ ok: true, value: date });
  });

  it.each(["2026-13-45", "2026-02-30", "31.02.2027", "gestern", "bald", "", "12/01/2026"])("%s is not a date", (said) => {
    expect(parseLocalDate(said, ZONE, NOW)).toEqual({ ok: false, problem: "bad_date" });
  });
});

describe("times of day", () => {
  it.each([
    ["14:30", 14 * 60 + 30],
    ["14.30", 14 * 60 + 30],
    ["14 Uhr", 14 * 60],
    ["14 Uhr 30", 14 * 60 + 30],
    ["14:30 Uhr", 14 * 60 + 30],
    ["um 9", 9 * 60],
    ["9h", 9 * 60],
    ["09:05", 9 * 60 + 5],
    ["2:30 pm", 14 * 60 + 30],
    ["12 am", 0],
    ["12 pm", 12 * 60],
    ["14:30:00", 14 * 60 + 30],
    ["2026-12-01T14:30:00+01:00", 14 * 60 + 30],
  ])("%s → minute %i", (said, minute) => {
    expect(parseTimeOfDay(said)).toEqual({ ok: true, value: minute });
  });

  it.each(["25:00", "14:60", "13 pm", "halb drei", "abends", "1430"])("%s is not a time", (said) => {
    expect(parseTimeOfDay(said)).toEqual({ ok: false, problem: "bad_time" });
  });
});

describe("starts and wishes in the branch's zone, daylight saving included", () => {
  it("an ISO start with offset is that instant; without one it is Berlin's wall clock", () => {
    expect(parseInstant("2026-12-01T14:30:00+01:00", ZONE)).toEqual({ ok: true, value: ms("2026-12-01T13:30:00Z") });
    expect(parseInstant("2026-12-01T13:30:00Z", ZONE)).toEqual({ ok: true, value: ms("2026-12-01T13:30:00Z") });
    expect(parseInstant("2026-12-01T14:30", ZONE)).toEqual({ ok: true, value: ms("2026-12-01T13:30:00Z") });
    expect(parseInstant("2027-07-01T14:30", ZONE)).toEqual({ ok: true, value: ms("2027-07-01T12:30:00Z") });
    expect(parseInstant("morgen 14 Uhr", ZONE)).toEqual({ ok: false, problem: "bad_date" });
  });

  it("a time the clocks skip is refused; a time that occurs twice is the earlier one", () => {
    expect(parseWish({ date: "2027-03-28", time: "02:30" }, ZONE, NOW)).toEqual({ ok: false, problem: "no_such_local_time" });
    expect(parseWish({ date: "2027-03-28", time: "10:00" }, ZONE, NOW)).toEqual({ ok: true, value: { date: "2027-03-28", start: ms("2027-03-28T08:00:00Z") } });
    expect(parseWish({ date: "2027-10-31", time: "02:30" }, ZONE, NOW)).toEqual({ ok: true, value: { date: "2027-10-31", start: ms("2027-10-31T00:30:00Z") } });
  });

  it("a day alone, a time alone (today), or nothing", () => {
    expect(parseWish({ date: "2026-12-01" }, ZONE, NOW)).toEqual({ ok: true, value: { date: "2026-12-01", start: null } });
    expect(parseWish({ time: "16:00" }, ZONE, NOW)).toEqual({ ok: true, value: { date: "2026-11-25", start: ms("2026-11-25T15:00:00Z") } });
    expect(parseWish({}, ZONE, NOW)).toEqual({ ok: true, value: { date: null, start: null } });
    expect(parseWish({ date: "2026-12-01", time: "25 Uhr" }, ZONE, NOW)).toEqual({ ok: false, problem: "bad_time" });
  });
});

describe("speech", () => {
  it("German: weekday, day, month, 24 h clock, staff by first name; the year only when it is not this one", () => {
    const slot = ms("2026-12-01T14:30:00+01:00");
    expect(spokenSlots("de", [{ start: slot, staffName: "Lena" }], ZONE, NOW)).toBe("Dienstag, 1. Dezember, um 14:30 Uhr bei Lena");
    expect(spokenTime("de", ms("2026-12-01T09:00:00+01:00"), ZONE)).toBe("9 Uhr");
    expect(spokenDay("de", ms("2027-03-28T10:00:00+02:00"), ZONE, NOW)).toBe("Sonntag, 28. März 2027");
    // the summer-time wall clock, not UTC
    expect(spokenTime("de", ms("2027-03-28T08:00:00Z"), ZONE)).toBe("10 Uhr");
    const three = [ms("2026-12-01T09:00:00+01:00"), ms("2026-12-01T11:15:00+01:00"), ms("2026-12-02T09:00:00+01:00")].map((start) => ({ start, staffName: "Murat" }));
    expect(spokenSlots("de", three, ZONE, NOW)).toBe("Dienstag, 1. Dezember, um 9 Uhr, um 11:15 Uhr oder Mittwoch, 2. Dezember, um 9 Uhr, jeweils bei Murat");
    // in time order, each with their staff member, the day already heard not repeated
    const mixed = [{ start: three[1]!.start, staffName: "Lena" }, { start: three[0]!.start, staffName: "Murat" }];
    expect(spokenSlots("de", mixed, ZONE, NOW, { knownDay: three[0]!.start })).toBe("um 9 Uhr bei Murat oder um 11:15 Uhr bei Lena");
  });

  it("English: month first, 12 h clock", () => {
    expect(spokenSlots("en", [{ start: ms("2026-12-01T14:30:00+01:00"), staffName: "Lena" }], ZONE, NOW)).toBe("Tuesday, December 1, at 2:30 PM with Lena");
  });

  it("staff names: title and surname for doctors, first names where they are the custom", () => {
    expect(spokenStaffName("Dr. Katharina Brandt", "full_name")).toBe("Dr. Brandt");
    expect(spokenStaffName("Tobias Richter", "full_name")).toBe("Tobias Richter");
    expect(spokenStaffName("Lena Hoffmann", "first_name")).toBe("Lena");
    expect(spokenStaffName("Prof. Dr. Ina Roth", "first_name")).toBe("Prof. Dr. Roth");
  });
});
