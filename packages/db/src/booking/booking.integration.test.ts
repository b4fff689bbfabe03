import { DomainError } from "@askproai/shared";
import { describe, expect, it } from "vitest";
import { at, bookingRequest, createFixtureCompany, localDate, ms, overlappingPairs, settle } from "../testing/index.js";
import { useTestbed } from "../testing/testbed.js";
import { createAppointment } from "./create.js";
import { listAppointments } from "./list.js";
import { rescheduleAppointment } from "./reschedule.js";
import { cancelAppointment, completeAppointment, markNoShow } from "./status-change.js";

const { bed, ctx: ctxFor, slots: slotsOf, changedBehindTheCache } = useTestbed();
const request = bookingRequest;

describe("no double booking under concurrency", () => {
  it("50 concurrent creates for the same staff member and start: exactly one succeeds, the rest CONFLICT with alternatives", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 3 });
    const start = at(localDate(7), "10:00");
    const { ok, errors } = await settle(
      Array.from({ length: 50 }, () => createAppointment(ctxFor(f), request(f, { start, staffId: f.staffIds[0] }))),
    );
    expect(ok).toHaveLength(1);
    expect(errors).toHaveLength(49);
    for (const error of errors) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe("CONFLICT");
    }
    const alternatives = (errors[0] as DomainError).details.alternatives!;
    expect(alternatives.length).toBeGreaterThan(0);
    expect(alternatives.length).toBeLessThanOrEqual(3);
    // the requested staff member's nearest free starts (their day is open 09:00–18:00), each with end and name
    expect(alternatives.map((alt) => [ms(alt.start), alt.staffId])).toEqual([
      [ms(at(localDate(7), "09:30")), f.staffIds[0]],
      [ms(at(localDate(7), "10:30")), f.staffIds[0]],
      [ms(at(localDate(7), "09:15")), f.staffIds[0]],
    ]);
    expect(ms(alternatives[0]!.end)).toBe(ms(at(localDate(7), "10:00")));
    expect(alternatives[0]!.staffName).toBe("Staff 1");
    expect(await bed.scratch.db.appointment.count({ where: { companyId: f.companyId, status: "confirmed" } })).toBe(1);
    expect(await bed.scratch.db.appointmentLock.count({ where: { companyId: f.companyId } })).toBe(0);
  });

  it("overlapping but different starts (90 min at 10:00, 30 min at 10:30) concurrently: exactly one", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const date = localDate(8);
    const attempts = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0
        ? createAppointment(ctxFor(f), request(f, { start: at(date, "10:00"), serviceId: f.serviceIds.long, staffId: f.staffIds[0] }))
        : createAppointment(ctxFor(f), request(f, { start: at(date, "10:30"), serviceId: f.serviceIds.short, staffId: f.staffIds[0] })),
    );
    const { ok, errors } = await settle(attempts);
    expect(ok).toHaveLength(1);
    expect(errors.every((e) => e instanceof DomainError && e.code === "CONFLICT")).toBe(true);
    expect(await overlappingPairs(bed.scratch.db, f.companyId)).toEqual({ staff: 0, rooms: 0 });
  });

  it("without a staff member, concurrent bookings of one start fill the team and then conflict", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 3 });
    const start = at(localDate(9), "11:00");
    const { ok, errors } = await settle(Array.from({ length: 12 }, () => createAppointment(ctxFor(f), request(f, { start }))));
    expect(ok).toHaveLength(3);
    expect(new Set(ok.map((a) => a.staffId)).size).toBe(3);
    expect(errors).toHaveLength(9);
    expect(errors.every((e) => e instanceof DomainError && e.code === "CONFLICT")).toBe(true);
    expect(await overlappingPairs(bed.scratch.db, f.companyId)).toEqual({ staff: 0, rooms: 0 });
  });
});

describe("locks left by a process that died", () => {
  it("hide the slot while they live, and are taken over once expired (before any sweep)", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const date = localDate(13);
    const start = at(date, "15:00");
    const lock = await bed.scratch.db.appointmentLock.create({
      data: {
        companyId: f.companyId, branchId: f.branchId, staffId: f.staffIds[0]!, startsAt: new Date(start),
        endsAt: new Date(ms(start) + 30 * 60_000), expiresAt: new Date(Date.now() + 60_000), holder: "dead-process", correlationId: "dead",
      },
    });
    await changedBehindTheCache(f);
    expect((await slotsOf(f, { from: date })).slots.some((s) => ms(s.start) === ms(start))).toBe(false);
    const blocked = (await createAppointment(ctxFor(f), request(f, { start, staffId: f.staffIds[0] })).catch((e: unknown) => e)) as DomainError;
    expect(blocked.code).toBe("CONFLICT");

    await bed.scratch.db.appointmentLock.update({ where: { id: lock.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    await changedBehindTheCache(f);
    expect((await slotsOf(f, { from: date })).slots.some((s) => ms(s.start) === ms(start))).toBe(true);
    await expect(createAppointment(ctxFor(f), request(f, { start, staffId: f.staffIds[0] }))).resolves.toMatchObject({ status: "confirmed" });
    expect(await bed.scratch.db.appointmentLock.count({ where: { companyId: f.companyId } })).toBe(0);
  });
});

describe("idempotency", () => {
  it("the same key twice gives the same appointment", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 2 });
    const input = request(f, { start: at(localDate(10), "09:00") });
    const first = await createAppointment(ctxFor(f), input);
    const second = await createAppointment(ctxFor(f), input);
    expect(second.id).toBe(first.id);
    expect(await bed.scratch.db.appointment.count({ where: { companyId: f.companyId } })).toBe(1);
  });

  it("the same key concurrently (with and without a staff member) gives one appointment", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 3 });
    for (const staffId of [f.staffIds[0], undefined]) {
      const input = request(f, { start: at(localDate(11), staffId ? "09:00" : "13:00"), staffId });
      const { ok, errors } = await settle(Array.from({ length: 15 }, () => createAppointment(ctxFor(f), input)));
      expect(errors).toEqual([]);
      expect(new Set(ok.map((a) => a.id)).size).toBe(1);
      // one request booked it; every other answer says it is a repeat
      expect(ok.filter((a) => !a.replayed)).toHaveLength(1);
      expect(await bed.scratch.db.appointment.count({ where: { companyId: f.companyId, idempotencyKey: input.idempotencyKey } })).toBe(1);
    }
    expect(await bed.scratch.db.appointment.count({ where: { companyId: f.companyId } })).toBe(2);
  });

  it("a sequential retry naming a staff member answers the original, without a second row", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 2 });
    const input = request(f, { start: at(localDate(10), "15:00"), staffId: f.staffIds[1] });
    const first = await createAppointment(ctxFor(f), input);
    const again = await createAppointment(ctxFor(f), input);
    expect(again).toEqual({ ...first, replayed: true });
    expect(first.replayed).toBe(false);
    expect(await bed.scratch.db.appointment.count({ where: { companyId: f.companyId } })).toBe(1);
  });

  it("refuses a key reused for a different booking", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const input = request(f, { start: at(localDate(12), "09:00") });
    await createAppointment(ctxFor(f), input);
    const error = await createAppointment(ctxFor(f), { ...input, start: at(localDate(12), "10:00") }).catch((e: unknown) => e);
    expect((error as DomainError).code).toBe("BAD_REQUEST");
    expect((error as DomainError).details.fields).toEqual(["idempotencyKey"]);
  });
});

describe("state changes", () => {
  it("a stale expectedVersion gets PRECONDITION_FAILED and changes nothing", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const date = localDate(30);
    const booked = await createAppointment(ctxFor(f), request(f, { start: at(date, "10:00") }));
    const moved = await rescheduleAppointment(ctxFor(f), { id: booked.id, start: at(date, "11:00"), expectedVersion: booked.version });
    expect(moved.version).toBe(booked.version + 1);
    const error = await rescheduleAppointment(ctxFor(f), { id: booked.id, start: at(date, "15:00"), expectedVersion: booked.version }).catch((e: unknown) => e);
    expect((error as DomainError).code).toBe("PRECONDITION_FAILED");
    const row = await bed.scratch.db.appointment.findUniqueOrThrow({ where: { id: booked.id } });
    expect(row.version).toBe(moved.version);
    expect(row.startsAt.getTime()).toBe(ms(at(date, "11:00")));
  });

  it("concurrent reschedules with one expectedVersion: exactly one wins, the others are PRECONDITION_FAILED", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const date = localDate(30);
    const booked = await createAppointment(ctxFor(f), request(f, { start: at(date, "09:00") }));
    const targets = ["11:00", "12:00", "13:00", "14:00", "15:00"];
    const { ok, errors } = await settle(
      targets.map((hhmm) => rescheduleAppointment(ctxFor(f), { id: booked.id, start: at(date, hhmm), expectedVersion: booked.version })),
    );
    expect(ok).toHaveLength(1);
    expect(errors.map((e) => (e as DomainError).code)).toEqual(Array(targets.length - 1).fill("PRECONDITION_FAILED"));
    const row = await bed.scratch.db.appointment.findUniqueOrThrow({ where: { id: booked.id } });
    expect(row.version).toBe(booked.version + 1);
    expect(row.startsAt.getTime()).toBe(ms(ok[0]!.start));
    expect(await bed.scratch.db.appointmentAudit.count({ where: { appointmentId: booked.id, action: "rescheduled" } })).toBe(1);
  });

  it("reschedule onto a taken time is a CONFLICT with alternatives and changes nothing", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const date = localDate(31);
    const a = await createAppointment(ctxFor(f), request(f, { start: at(date, "10:00") }));
    await createAppointment(ctxFor(f), request(f, { start: at(date, "12:00") }));
    const error = (await rescheduleAppointment(ctxFor(f), { id: a.id, start: at(date, "12:00"), expectedVersion: a.version }).catch((e: unknown) => e)) as DomainError;
    expect(error.code).toBe("CONFLICT");
    expect(error.details.alternatives!.length).toBeGreaterThan(0);
    expect((await bed.scratch.db.appointment.findUniqueOrThrow({ where: { id: a.id } })).version).toBe(a.version);
    // moving within its own time (10:00 → 10:15 overlaps itself) is allowed
    await expect(rescheduleAppointment(ctxFor(f), { id: a.id, start: at(date, "10:15"), expectedVersion: a.version })).resolves.toMatchObject({ version: a.version + 1 });
  });

  it("writes audit rows and outbox rows in the same transaction, with the correlation id and no personal data", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    await bed.scratch.db.company.update({ where: { id: f.companyId }, data: { calcomSyncEnabled: true } });
    const booked = await createAppointment(ctxFor(f, "corr-audit-1"), request(f, { start: at(localDate(32), "10:00") }));
    await cancelAppointment(ctxFor(f, "corr-audit-2"), { id: booked.id });
    const audit = await bed.scratch.db.appointmentAudit.findMany({ where: { appointmentId: booked.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => [a.action, a.correlationId])).toEqual([["created", "corr-audit-1"], ["cancelled", "corr-audit-2"]]);
    const outbox = await bed.scratch.db.outboxEvent.findMany({ where: { aggregateId: booked.id }, orderBy: { createdAt: "asc" } });
    expect(outbox.map((o) => o.topic).sort()).toEqual(["calendar.sync", "calendar.sync", "notification.send", "notification.send"]);
    const text = JSON.stringify(outbox.map((o) => o.payload));
    expect(text).not.toMatch(/\+49|Test Kunde/);
    expect((await bed.scratch.db.appointment.findUniqueOrThrow({ where: { id: booked.id } })).calendarSyncStatus).toBe("pending");
  });

  it("marks no-show and completed only once the appointment has started", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const date = localDate(33);
    const booked = await createAppointment(ctxFor(f), request(f, { start: at(date, "10:00") }));
    const early = (await markNoShow(ctxFor(f), { id: booked.id }).catch((e: unknown) => e)) as DomainError;
    expect(early.code).toBe("PRECONDITION_FAILED");
    const later = { ...ctxFor(f), now: () => ms(at(date, "10:40")) };
    expect((await markNoShow(later, { id: booked.id })).status).toBe("no_show");
    const other = await createAppointment(ctxFor(f), request(f, { start: at(date, "12:00") }));
    expect((await completeAppointment({ ...later, now: () => ms(at(date, "12:30")) }, { id: other.id })).status).toBe("completed");
    // a no-show cannot be cancelled any more
    expect(((await cancelAppointment(ctxFor(f), { id: booked.id }).catch((e: unknown) => e)) as DomainError).code).toBe("PRECONDITION_FAILED");
  });

  it("keeps a booking that fails for another reason than a conflict as `failed`, with its reason and correlation id", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    // Fault injection inside the real database of this test file only.
    await bed.scratch.db.$executeRawUnsafe(`
      CREATE FUNCTION fail_marked_booking() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.notes = 'inject-failure' AND NEW.status = 'confirmed' THEN RAISE EXCEPTION 'injected storage failure'; END IF;
        RETURN NEW;
      END $$`);
    await bed.scratch.db.$executeRawUnsafe(`CREATE TRIGGER fail_marked_booking BEFORE INSERT ON appointments FOR EACH ROW EXECUTE FUNCTION fail_marked_booking()`);
    try {
    const input = request(f, { start: at(localDate(34), "10:00"), notes: "inject-failure" });
    const error = (await createAppointment(ctxFor(f, "corr-failure"), input).catch((e: unknown) => e)) as DomainError;
    expect(error.code).toBe("INTERNAL");
    const failed = await bed.scratch.db.appointment.findMany({ where: { companyId: f.companyId, status: "failed" } });
    expect(failed).toHaveLength(1);
    expect(failed[0]!.correlationId).toBe("corr-failure");
    expect(failed[0]!.failureReason).toContain("injected storage failure");
    expect(await bed.scratch.db.appointmentAudit.count({ where: { correlationId: "corr-failure", action: "failed" } })).toBe(1);
    // nothing else is left behind: no confirmed row, no lock, no outbox rows; and the slot is still free
    expect(await bed.scratch.db.appointment.count({ where: { companyId: f.companyId, status: "confirmed" } })).toBe(0);
    expect(await bed.scratch.db.appointmentLock.count({ where: { companyId: f.companyId } })).toBe(0);
    expect(await bed.scratch.db.outboxEvent.count({ where: { companyId: f.companyId } })).toBe(0);
    await expect(createAppointment(ctxFor(f), { ...input, notes: undefined })).resolves.toMatchObject({ status: "confirmed" });
    } finally {
      await bed.scratch.db.$executeRawUnsafe(`DROP TRIGGER fail_marked_booking ON appointments`);
    }
  });
});

describe("tenant isolation", () => {
  it("another company's appointment ids get NOT_FOUND from list, cancel and reschedule, and change nothing", async () => {
    const a = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const b = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const date = localDate(40);
    const theirs = await createAppointment(ctxFor(b), request(b, { start: at(date, "10:00") }));
    const cancel = (await cancelAppointment(ctxFor(a), { id: theirs.id }).catch((e: unknown) => e)) as DomainError;
    expect(cancel.code).toBe("NOT_FOUND");
    const move = (await rescheduleAppointment(ctxFor(a), { id: theirs.id, start: at(date, "11:00"), expectedVersion: 1 }).catch((e: unknown) => e)) as DomainError;
    expect(move.code).toBe("NOT_FOUND");
    const list = (await listAppointments(ctxFor(a), { branchId: b.branchId, from: at(date, "00:00"), to: at(date, "23:00") }).catch((e: unknown) => e)) as DomainError;
    expect(list.code).toBe("NOT_FOUND");
    const row = await bed.scratch.db.appointment.findUniqueOrThrow({ where: { id: theirs.id } });
    expect([row.status, row.version, row.startsAt.getTime()]).toEqual(["confirmed", 1, ms(at(date, "10:00"))]);
    // and a's own list does not include it
    expect(await listAppointments(ctxFor(a), { branchId: a.branchId, from: at(date, "00:00"), to: at(date, "23:00") })).toEqual([]);
    // another company's staff member, or an id that exists nowhere: NOT_FOUND, and no lock left behind
    for (const staffId of [b.staffIds[0]!, "00000000-0000-4000-8000-000000000000"]) {
      const foreign = (await createAppointment(ctxFor(a), request(a, { start: at(date, "13:00"), staffId })).catch((e: unknown) => e)) as DomainError;
      expect(foreign.code).toBe("NOT_FOUND");
    }
    expect(await bed.scratch.db.appointmentLock.count({ where: { companyId: { in: [a.companyId, b.companyId] } } })).toBe(0);
    // b cannot be booked through a's context either
    const cross = (await createAppointment(ctxFor(a), request(b, { start: at(date, "12:00") })).catch((e: unknown) => e)) as DomainError;
    expect(cross.code).toBe("NOT_FOUND");
  });
});
