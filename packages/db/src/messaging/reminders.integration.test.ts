/**
 * Reminders with a controllable clock against the real PostgreSQL and the SMS gateway stand-in: when they
 * fire, how they follow a move or a cancellation, daylight-saving days and quiet hours.
 */
import { describe, expect, it } from "vitest";
import { cancelAppointment, rescheduleAppointment } from "../booking/index.js";
import { at, createFixtureCompany, localDate, type FixtureCompany } from "../testing/index.js";
import { useMessagingTestbed } from "../testing/messaging-testbed.js";
import { planDueReminders } from "./reminders.js";

const { bed, ctxAt, berlin, deliverAll, rowsOf, smsTo, book } = useMessagingTestbed();

describe("reminders (controllable clock)", () => {
  /** The scan is system-wide: each test looks at its own company's reminders only. */
  let company: FixtureCompany;
  const remindersAt = async (now: number) => (await planDueReminders(bed.scratch.db, now)).filter((p) => p.companyId === company.companyId);
  const deliverPlanned = async (f: FixtureCompany, now: number, planned: { companyId: string; messageId: string }[]) =>
    deliverAll(ctxAt(f, now), planned.map((p) => p.messageId));
  const fixture = async () => (company = await createFixtureCompany(bed.scratch.db, { staffCount: 1 }));

  it("fire at 24 h and 2 h before, once each, and follow a reschedule to the new time", async () => {
    const f = await fixture();
    const day = localDate(20);
    const start = berlin(`${day}T14:00`);
    const { appointment, phone: to } = await book(f, at(day, "14:00"));
    expect(await remindersAt(start - 24 * 3_600_000 - 60_000)).toEqual([]);
    const first = await remindersAt(start - 24 * 3_600_000);
    expect(first).toHaveLength(1);
    expect(await remindersAt(start - 24 * 3_600_000 + 60_000)).toEqual([]);
    await deliverPlanned(f, start - 24 * 3_600_000, first);
    expect(smsTo(to).map((m) => m.body)).toEqual([expect.stringMatching(/Erinnerung an Ihren Termin: Haarschnitt bei Staff 1, .* um 14:00 Uhr/)]);

    // Moved to 17:30 the same day: the 2 h reminder comes for 17:30, not 14:00 (and the "24 h before
    // 17:30" would be 18.5 hours late by then: not sent).
    const moved = await rescheduleAppointment(ctxAt(f), { id: appointment.id, start: at(day, "17:30"), expectedVersion: appointment.version });
    expect(await remindersAt(start - 2 * 3_600_000)).toEqual([]);
    const newStart = berlin(`${day}T17:30`);
    const second = await remindersAt(newStart - 2 * 3_600_000);
    await deliverPlanned(f, newStart - 2 * 3_600_000, second);
    expect(smsTo(to)).toHaveLength(2);
    expect(smsTo(to)[1]!.body).toMatch(/um 17:30 Uhr/);
    expect(moved.version).toBe(2);
    expect((await rowsOf(appointment.id)).map((r) => `${r.kind}/${r.reminder_offset_minutes}:${r.state}`)).toEqual(["reminder/1440:sent", "reminder/120:sent"]);
  });

  it("a reminder planned for the old time is skipped when the appointment moves before it goes out; cancelled → never sent", async () => {
    const f = await fixture();
    const day = localDate(21);
    const start = berlin(`${day}T11:00`);
    const { appointment, phone: to } = await book(f, at(day, "11:00"));
    const planned = await remindersAt(start - 24 * 3_600_000);
    await rescheduleAppointment(ctxAt(f), { id: appointment.id, start: at(day, "12:00"), expectedVersion: 1 });
    expect(await deliverPlanned(f, start - 24 * 3_600_000, planned)).toEqual([{ state: "skipped", detail: "appointment was moved" }]);

    const other = await book(f, at(day, "15:00"));
    const otherStart = berlin(`${day}T15:00`);
    const otherPlanned = await remindersAt(otherStart - 24 * 3_600_000);
    await cancelAppointment(ctxAt(f), { id: other.appointment.id });
    await deliverPlanned(f, otherStart - 24 * 3_600_000, otherPlanned);
    for (const t of [otherStart - 2 * 3_600_000, otherStart - 60_000]) await deliverPlanned(f, t, await remindersAt(t));
    expect((await rowsOf(other.appointment.id)).map((r) => `${r.reminder_offset_minutes}:${r.state}`)).toEqual(["1440:skipped"]);
    // The moved one is reminded of its new time instead (planned with the same scan).
    expect((await rowsOf(appointment.id)).map((r) => `${r.reminder_offset_minutes}:${r.state}`)).toEqual(["1440:skipped", "1440:sent"]);
    expect(smsTo(to).map((m) => m.body)).toEqual([expect.stringMatching(/um 12:00 Uhr/)]);
    expect(smsTo(other.phone)).toHaveLength(0);
  });

  it("on daylight-saving days at the right local time: the day before at 10:00 is 23 h (spring) or 25 h (autumn) earlier", async () => {
    const f = await fixture();
    await bed.scratch.db.company.update({ where: { id: f.companyId }, data: { horizonDays: 400 } });
    for (const [day, hours, shown] of [["2027-03-28", 23, "So., 28.03.2027"], ["2027-10-31", 25, "So., 31.10.2027"]] as const) {
      const start = berlin(`${day}T10:00`);
      const { phone: to } = await book(f, at(day, "10:00"));
      expect(await remindersAt(start - hours * 3_600_000 - 60_000)).toEqual([]);
      const dayBefore = await remindersAt(start - hours * 3_600_000);
      expect(dayBefore).toHaveLength(1);
      await deliverPlanned(f, start - hours * 3_600_000, dayBefore);
      // Two real hours before: 08:00 local on either day.
      expect(await remindersAt(berlin(`${day}T07:59`))).toEqual([]);
      await deliverPlanned(f, berlin(`${day}T08:00`), await remindersAt(berlin(`${day}T08:00`)));
      expect(smsTo(to).map((m) => m.body)).toEqual([expect.stringContaining(`${shown} um 10:00 Uhr`), expect.stringContaining(`${shown} um 10:00 Uhr`)]);
    }
  });

  it("never in quiet hours: a 2 h reminder of a 09:00 appointment goes at 08:00; one delayed past 21:00 waits for the morning", async () => {
    const f = await fixture();
    const day = localDate(22);
    const { phone: to } = await book(f, at(day, "09:00"));
    expect(await remindersAt(berlin(`${day}T07:00`))).toEqual([]);
    const planned = await remindersAt(berlin(`${day}T08:00`));
    expect(planned).toHaveLength(1);
    await deliverPlanned(f, berlin(`${day}T08:00`), planned);
    expect(smsTo(to)).toHaveLength(1);

    // A 24 h reminder planned at 17:30; the gateway was down until 21:10: it waits until 08:00.
    const next = localDate(23);
    const late = await book(f, at(next, "17:30"));
    const latePlanned = await remindersAt(berlin(`${next}T17:30`) - 24 * 3_600_000);
    expect(await deliverPlanned(f, berlin(`${day}T21:10`), latePlanned)).toEqual([{ state: "deferred", until: berlin(`${next}T08:00`) }]);
    expect(smsTo(late.phone)).toHaveLength(0);
    expect(await deliverPlanned(f, berlin(`${next}T08:00`), latePlanned)).toEqual([{ state: "sent" }]);
    expect(smsTo(late.phone)[0]!.body).toMatch(/um 17:30 Uhr/);
  });
});
