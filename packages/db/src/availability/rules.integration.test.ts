import { type DomainError } from "@askproai/shared";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { createAppointment } from "../booking/create.js";
import { at, bookingRequest as request, createFixtureCompany, localDate, ms, TEST_ZONE as ZONE } from "../testing/index.js";
import { useTestbed } from "../testing/testbed.js";
import { getAvailability } from "./answer.js";

const { bed, ctx: ctxFor, slots: slotsOf, changedBehindTheCache } = useTestbed();

describe("availability rules", () => {
  it("counts the service's buffers", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const date = localDate(17);
    // 90 min with 15 min after: 10:00–11:30, blocked until 11:45
    await createAppointment(ctxFor(f), request(f, { start: at(date, "10:00"), serviceId: f.serviceIds.long }));
    const starts = (await slotsOf(f, { from: date })).slots.map((s) => DateTime.fromMillis(ms(s.start), { zone: ZONE }).toFormat("HH:mm"));
    expect(starts).not.toContain("11:30");
    expect(starts).toContain("11:45");
    // the 90-minute service itself needs its own 15 minutes after, before the next booking
    await createAppointment(ctxFor(f), request(f, { start: at(date, "14:00") }));
    const long = (await slotsOf(f, { from: date, serviceId: f.serviceIds.long })).slots.map((s) => DateTime.fromMillis(ms(s.start), { zone: ZONE }).toFormat("HH:mm"));
    expect(long).not.toContain("12:30"); // 12:30–14:00 + 15 min buffer would reach into 14:00
    expect(long).toContain("12:15");
  });

  it("respects minimum notice, also when booking", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1, minNoticeMinutes: 120 });
    // every day is open 09:00–18:00; "now" is a Wednesday 10:00 in the test's clock
    const today = localDate(20);
    const now = ms(at(today, "10:00"));
    const ctx = { ...ctxFor(f), now: () => now };
    const { slots } = await getAvailability({ ...ctx, cache: null }, { branchId: f.branchId, serviceId: f.serviceIds.short, from: today, days: 1 });
    expect(Math.min(...slots.map((s) => ms(s.start)))).toBe(ms(at(today, "12:00")));
    const error = await createAppointment(ctx, request(f, { start: at(today, "11:00") })).catch((e: unknown) => e);
    expect((error as DomainError).code).toBe("BAD_REQUEST");
    expect((error as DomainError).details).toMatchObject({ reason: "min_notice", fields: ["start"] });
    // the soonest bookable starts instead
    expect(ms((error as DomainError).details.alternatives![0]!.start)).toBe(ms(at(today, "12:00")));
    await expect(createAppointment(ctx, request(f, { start: at(today, "12:00") }))).resolves.toMatchObject({ status: "confirmed" });
  });

  it("removes time off and branch-wide holidays, adds extra hours", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 2 });
    const off = localDate(21);
    const holiday = localDate(22);
    await bed.scratch.db.availabilityException.createMany({
      data: [
        { companyId: f.companyId, staffId: f.staffIds[0], kind: "time_off", startsAt: new Date(at(off, "00:00")), endsAt: new Date(at(off, "23:59")) },
        { companyId: f.companyId, branchId: f.branchId, kind: "holiday", startsAt: new Date(at(holiday, "00:00")), endsAt: new Date(at(holiday, "23:59")), reason: "Feiertag" },
        { companyId: f.companyId, staffId: f.staffIds[1], kind: "extra_availability", startsAt: new Date(at(off, "18:00")), endsAt: new Date(at(off, "20:00")) },
      ],
    });
    await changedBehindTheCache(f);
    const offSlots = (await slotsOf(f, { from: off })).slots;
    expect(offSlots.some((s) => s.staffId === f.staffIds[0])).toBe(false);
    expect(offSlots.some((s) => s.staffId === f.staffIds[1] && ms(s.start) === ms(at(off, "19:00")))).toBe(true);
    expect((await slotsOf(f, { from: holiday })).slots).toEqual([]);
    const error = await createAppointment(ctxFor(f), request(f, { start: at(holiday, "10:00") })).catch((e: unknown) => e);
    expect((error as DomainError).code).toBe("BAD_REQUEST");
    expect((error as DomainError).details.reason).toBe("outside_hours");
  });

  it("is correct on daylight-saving days and books across them", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    await bed.scratch.db.company.update({ where: { id: f.companyId }, data: { horizonDays: 800 } });
    // the next spring-forward and fall-back Sundays in Europe/Berlin (last Sunday of March / October)
    const lastSunday = (year: number, month: number) => {
      let d = DateTime.fromObject({ year, month, day: 1 }, { zone: ZONE }).endOf("month").startOf("day");
      while (d.weekday !== 7) d = d.minus({ days: 1 });
      return d;
    };
    const year = DateTime.now().setZone(ZONE).year + 1;
    for (const day of [lastSunday(year, 3), lastSunday(year, 10)]) {
      const date = day.toISODate()!;
      const { slots } = await slotsOf(f, { from: date });
      const locals = slots.map((s) => DateTime.fromMillis(ms(s.start), { zone: ZONE }).toFormat("HH:mm"));
      expect(locals[0]).toBe("09:00");
      expect(locals.at(-1)).toBe("17:30");
      expect(new Set(locals).size).toBe(locals.length);
      expect(slots).toHaveLength(35); // 09:00 … 17:30 every 15 minutes
      const offset = day.month === 3 ? "+02:00" : "+01:00";
      expect(slots[0]!.start).toBe(`${date}T09:00:00${offset}`);
      const booked = await createAppointment(ctxFor(f), request(f, { start: slots[0]!.start }));
      expect(booked.start).toBe(`${date}T09:00:00${offset}`);
    }
  });
});


describe("availability is the company's own", () => {
  it("another company's company-wide closure leaves this company's slots alone", async () => {
    const mine = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const theirs = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const date = localDate(23);
    const before = (await slotsOf(mine, { from: date })).slots.length;
    expect(before).toBeGreaterThan(0);
    // No branch, no staff member: closes every branch of THEIR company that day.
    await bed.scratch.db.availabilityException.create({
      data: { companyId: theirs.companyId, kind: "closure", startsAt: new Date(at(date, "00:00")), endsAt: new Date(at(date, "23:59")) },
    });
    await changedBehindTheCache(mine);
    await changedBehindTheCache(theirs);
    expect((await slotsOf(mine, { from: date })).slots).toHaveLength(before);
    expect((await slotsOf(theirs, { from: date })).slots).toEqual([]);
  });

  it("this company's service at another company's branch is NOT_FOUND, for availability and for a booking", async () => {
    const mine = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const theirs = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const date = localDate(24);
    const read = (await slotsOf(mine, { from: date, branchId: theirs.branchId }).catch((e: unknown) => e)) as DomainError;
    expect(read.code).toBe("NOT_FOUND");
    const book = (await createAppointment(ctxFor(mine), { ...request(mine, { start: at(date, "10:00") }), branchId: theirs.branchId }).catch(
      (e: unknown) => e,
    )) as DomainError;
    expect(book.code).toBe("NOT_FOUND");
    expect(await bed.scratch.db.appointment.count({ where: { companyId: { in: [mine.companyId, theirs.companyId] } } })).toBe(0);
  });

  it("another company's service at this company's branch is NOT_FOUND, for availability and for a booking", async () => {
    const mine = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const theirs = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const date = localDate(25);
    const read = (await slotsOf(mine, { from: date, serviceId: theirs.serviceIds.short }).catch((e: unknown) => e)) as DomainError;
    expect(read.code).toBe("NOT_FOUND");
    const book = (await createAppointment(ctxFor(mine), request(mine, { start: at(date, "10:00"), serviceId: theirs.serviceIds.short })).catch(
      (e: unknown) => e,
    )) as DomainError;
    expect(book.code).toBe("NOT_FOUND");
    expect(await bed.scratch.db.appointment.count({ where: { companyId: { in: [mine.companyId, theirs.companyId] } } })).toBe(0);
  });
});
