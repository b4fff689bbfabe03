import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { localDateTime } from "./local-time.js";
import { isQuietTime, outsideQuietHours } from "./quiet-hours.js";
import { dueReminder, nominalReminderAt, reminderSendAt } from "./reminder-times.js";

const Z = "Europe/Berlin";
const berlin = (iso: string) => DateTime.fromISO(iso, { zone: Z }).toMillis();
const show = (ms: number | null) => (ms === null ? null : DateTime.fromMillis(ms, { zone: Z }).toISO({ suppressMilliseconds: true }));

describe("quiet hours (21:00–08:00 local)", () => {
  it("are quiet from 21:00 up to 07:59 and move a send to the next 08:00", () => {
    expect(isQuietTime(berlin("2027-05-10T20:59"), Z)).toBe(false);
    expect(isQuietTime(berlin("2027-05-10T21:00"), Z)).toBe(true);
    expect(isQuietTime(berlin("2027-05-11T07:59"), Z)).toBe(true);
    expect(isQuietTime(berlin("2027-05-11T08:00"), Z)).toBe(false);
    expect(show(outsideQuietHours(berlin("2027-05-10T22:30"), Z))).toBe("2027-05-11T08:00:00+02:00");
    expect(show(outsideQuietHours(berlin("2027-05-11T03:00"), Z))).toBe("2027-05-11T08:00:00+02:00");
    expect(show(outsideQuietHours(berlin("2027-05-11T12:00"), Z))).toBe("2027-05-11T12:00:00+02:00");
  });

  it("end at 08:00 local on the night the clocks change", () => {
    expect(show(outsideQuietHours(berlin("2027-03-27T23:00"), Z))).toBe("2027-03-28T08:00:00+02:00");
    expect(show(outsideQuietHours(berlin("2027-10-30T23:00"), Z))).toBe("2027-10-31T08:00:00+01:00");
  });
});

describe("reminder times", () => {
  it("count whole days in local calendar days, so 24 h before is the same wall-clock time across DST", () => {
    // Spring forward (28 March 2027): the day before 10:00 is only 23 hours earlier.
    const spring = berlin("2027-03-28T10:00");
    expect(show(nominalReminderAt(spring, 1440, Z))).toBe("2027-03-27T10:00:00+01:00");
    expect((spring - nominalReminderAt(spring, 1440, Z)) / 3_600_000).toBe(23);
    // Fall back (31 October 2027): 25 hours.
    const fall = berlin("2027-10-31T10:00");
    expect(show(nominalReminderAt(fall, 1440, Z))).toBe("2027-10-30T10:00:00+02:00");
    expect((fall - nominalReminderAt(fall, 1440, Z)) / 3_600_000).toBe(25);
    // Hours are real hours: 2 h before 10:00 on the spring day is 08:00 local.
    expect(show(nominalReminderAt(spring, 120, Z))).toBe("2027-03-28T08:00:00+02:00");
  });

  it("wait for 08:00 when due in quiet hours, and drop the reminder when 08:00 is not before the start", () => {
    expect(show(reminderSendAt(berlin("2027-05-11T09:00"), 120, Z))).toBe("2027-05-11T08:00:00+02:00");
    expect(reminderSendAt(berlin("2027-05-11T08:00"), 120, Z)).toBeNull();
    expect(show(reminderSendAt(berlin("2027-05-11T07:30"), 1440, Z))).toBe("2027-05-10T08:00:00+02:00");
  });

  it("pick the closest due offset, never one before the appointment got its time", () => {
    const start = berlin("2027-05-12T15:00");
    const c = { startMs: start, zone: Z, offsetsMinutes: [1440, 120], scheduledAtMs: berlin("2027-05-01T12:00") };
    expect(dueReminder(c, berlin("2027-05-11T14:59"))).toBeNull();
    expect(dueReminder(c, berlin("2027-05-11T15:00"))).toEqual({ offsetMinutes: 1440, sendAt: berlin("2027-05-11T15:00") });
    expect(dueReminder(c, berlin("2027-05-12T13:00"))).toEqual({ offsetMinutes: 120, sendAt: berlin("2027-05-12T13:00") });
    expect(dueReminder(c, start)).toBeNull();
    // Missed by a worker that was down: a "24 h before" 13 hours late is not sent any more.
    expect(dueReminder(c, berlin("2027-05-12T03:00"))).toEqual({ offsetMinutes: 1440, sendAt: berlin("2027-05-11T15:00") });
    expect(dueReminder(c, berlin("2027-05-12T04:00"))).toBeNull();
    // Booked at 10:00 the day before: no "24 h before" reminder, the 2 h one still comes.
    const late = { ...c, scheduledAtMs: berlin("2027-05-11T16:00") };
    expect(dueReminder(late, berlin("2027-05-11T16:01"))).toBeNull();
    expect(dueReminder(late, berlin("2027-05-12T13:00"))?.offsetMinutes).toBe(120);
  });
});

describe("local date and time in messages", () => {
  it("reads as German (default) or English, in the branch's zone", () => {
    const at = berlin("2027-03-28T10:00");
    expect(localDateTime(at, Z, "de")).toEqual({ date: "So., 28.03.2027", time: "10:00" });
    expect(localDateTime(at, Z, "en")).toEqual({ date: "Sun, 28 Mar 2027", time: "10:00" });
    expect(localDateTime(at, "Europe/London", "de").time).toBe("09:00");
  });
});
