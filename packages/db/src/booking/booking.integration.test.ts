import { DomainError, type CreateAppointmentInput } from "@askproai/shared";
import { Redis } from "ioredis";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { poolOf } from "../client.js";
import { clearRedisPrefix, createFixtureCompany, createScratchDatabase, scratchRedisPrefix, type FixtureCompany, type ScratchDatabase } from "../testing/index.js";
import {
  cancelAppointment,
  completeAppointment,
  createAppointment,
  listAppointments,
  markNoShow,
  rescheduleAppointment,
} from "./appointments.js";
import { createAvailabilityCache, getAvailability, getAvailabilityAnswer, type AnswerCache } from "./availability.js";
import type { BookingContext } from "./context.js";

const ZONE = "Europe/Berlin";
let scratch: ScratchDatabase;
let redis: Redis;
let cache: AnswerCache;
const redisPrefix = scratchRedisPrefix();

beforeAll(async () => {
  scratch = await createScratchDatabase();
  redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  cache = createAvailabilityCache(redis, redisPrefix);
});
afterAll(async () => {
  redis?.disconnect();
  await clearRedisPrefix(redisPrefix);
  await scratch?.drop();
});

/** A local date `days` from today in Berlin, inside the default 180-day horizon. */
const localDate = (days: number) => DateTime.now().setZone(ZONE).plus({ days }).toISODate()!;
const at = (date: string, hhmm: string) => DateTime.fromISO(`${date}T${hhmm}`, { zone: ZONE }).toISO()!;
const ms = (iso: string) => Date.parse(iso);

let keySeq = 0;
const ctxFor = (f: FixtureCompany, correlationId = `test-${keySeq++}`): BookingContext => ({
  db: scratch.db,
  companyId: f.companyId,
  cache,
  correlationId,
  actor: { type: "system" },
  source: "api",
});
const request = (f: FixtureCompany, overrides: Partial<CreateAppointmentInput> & { start: string }): CreateAppointmentInput => ({
  branchId: f.branchId,
  serviceId: f.serviceIds.short,
  customer: { phone: `+49151${String(100000 + (keySeq % 899999)).padStart(7, "0")}`, name: "Test Kunde" },
  idempotencyKey: `key-${Date.now()}-${keySeq++}-${Math.random().toString(36).slice(2)}`,
  ...overrides,
});

const settle = async <T>(promises: Promise<T>[]) => {
  const results = await Promise.allSettled(promises);
  const ok = results.filter((r): r is PromiseFulfilledResult<Awaited<T>> => r.status === "fulfilled").map((r) => r.value);
  const errors = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason as unknown);
  return { ok, errors };
};

const overlappingPairs = async () => {
  const [row] = await scratch.db.$queryRaw<{ staff: bigint; rooms: bigint }[]>`
    SELECT
      (SELECT count(*) FROM appointments a JOIN appointments b
         ON a.id < b.id AND a.staff_id = b.staff_id
        AND tstzrange(a.blocked_from, a.blocked_until) && tstzrange(b.blocked_from, b.blocked_until)
       WHERE a.status NOT IN ('cancelled', 'failed') AND b.status NOT IN ('cancelled', 'failed')) AS staff,
      (SELECT count(*) FROM appointments a JOIN appointments b
         ON a.id < b.id AND a.resource_id = b.resource_id
        AND tstzrange(a.blocked_from, a.blocked_until) && tstzrange(b.blocked_from, b.blocked_until)
       WHERE a.status NOT IN ('cancelled', 'failed') AND b.status NOT IN ('cancelled', 'failed')) AS rooms`;
  return { staff: Number(row!.staff), rooms: Number(row!.rooms) };
};

const slotsOf = async (f: FixtureCompany, q: { from: string; days?: number; serviceId?: string; staffId?: string }) =>
  getAvailability({ db: poolOf(scratch.db), cache }, f.companyId, {
    branchId: f.branchId,
    serviceId: q.serviceId ?? f.serviceIds.short,
    staffId: q.staffId,
    from: q.from,
    days: q.days ?? 1,
  });

describe("no double booking under concurrency", () => {
  it("50 concurrent creates for the same staff member and start: exactly one succeeds, the rest CONFLICT with alternatives", async () => {
    const f = await createFixtureCompany(scratch.db, { staffCount: 3 });
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
    // the nearest free starts: the same time with another staff member, or the neighbouring slots
    for (const alt of alternatives) {
      expect(alt.staffId === f.staffIds[0] && ms(alt.start) === ms(start)).toBe(false);
      expect(Math.abs(ms(alt.start) - ms(start))).toBeLessThanOrEqual(30 * 60_000);
    }
    expect(await scratch.db.appointment.count({ where: { companyId: f.companyId, status: "confirmed" } })).toBe(1);
    expect(await scratch.db.appointmentLock.count({ where: { companyId: f.companyId } })).toBe(0);
  });

  it("overlapping but different starts (90 min at 10:00, 30 min at 10:30) concurrently: exactly one", async () => {
    const f = await createFixtureCompany(scratch.db, { staffCount: 1 });
    const date = localDate(8);
    const attempts = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0
        ? createAppointment(ctxFor(f), request(f, { start: at(date, "10:00"), serviceId: f.serviceIds.long, staffId: f.staffIds[0] }))
        : createAppointment(ctxFor(f), request(f, { start: at(date, "10:30"), serviceId: f.serviceIds.short, staffId: f.staffIds[0] })),
    );
    const { ok, errors } = await settle(attempts);
    expect(ok).toHaveLength(1);
    expect(errors.every((e) => e instanceof DomainError && e.code === "CONFLICT")).toBe(true);
    expect(await overlappingPairs()).toEqual({ staff: 0, rooms: 0 });
  });

  it("without a staff member, concurrent bookings of one start fill the team and then conflict", async () => {
    const f = await createFixtureCompany(scratch.db, { staffCount: 3 });
    const start = at(localDate(9), "11:00");
    const { ok, errors } = await settle(Array.from({ length: 12 }, () => createAppointment(ctxFor(f), request(f, { start }))));
    expect(ok).toHaveLength(3);
    expect(new Set(ok.map((a) => a.staffId)).size).toBe(3);
    expect(errors).toHaveLength(9);
    expect(errors.every((e) => e instanceof DomainError && e.code === "CONFLICT")).toBe(true);
    expect(await overlappingPairs()).toEqual({ staff: 0, rooms: 0 });
  });
});

describe("locks left by a process that died", () => {
  it("hide the slot while they live, and are taken over once expired (before any sweep)", async () => {
    const f = await createFixtureCompany(scratch.db, { staffCount: 1 });
    const date = localDate(13);
    const start = at(date, "15:00");
    const lock = await scratch.db.appointmentLock.create({
      data: {
        companyId: f.companyId, branchId: f.branchId, staffId: f.staffIds[0]!, startsAt: new Date(start),
        endsAt: new Date(ms(start) + 30 * 60_000), expiresAt: new Date(Date.now() + 60_000), holder: "dead-process", correlationId: "dead",
      },
    });
    await cache.invalidate([f.branchId]);
    expect((await slotsOf(f, { from: date })).slots.some((s) => ms(s.start) === ms(start))).toBe(false);
    const blocked = (await createAppointment(ctxFor(f), request(f, { start, staffId: f.staffIds[0] })).catch((e: unknown) => e)) as DomainError;
    expect(blocked.code).toBe("CONFLICT");

    await scratch.db.appointmentLock.update({ where: { id: lock.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    await cache.invalidate([f.branchId]);
    expect((await slotsOf(f, { from: date })).slots.some((s) => ms(s.start) === ms(start))).toBe(true);
    await expect(createAppointment(ctxFor(f), request(f, { start, staffId: f.staffIds[0] }))).resolves.toMatchObject({ status: "confirmed" });
    expect(await scratch.db.appointmentLock.count({ where: { companyId: f.companyId } })).toBe(0);
  });
});

describe("idempotency", () => {
  it("the same key twice gives the same appointment", async () => {
    const f = await createFixtureCompany(scratch.db, { staffCount: 2 });
    const input = request(f, { start: at(localDate(10), "09:00") });
    const first = await createAppointment(ctxFor(f), input);
    const second = await createAppointment(ctxFor(f), input);
    expect(second.id).toBe(first.id);
    expect(await scratch.db.appointment.count({ where: { companyId: f.companyId } })).toBe(1);
  });

  it("the same key concurrently (with and without a staff member) gives one appointment", async () => {
    const f = await createFixtureCompany(scratch.db, { staffCount: 3 });
    for (const staffId of [f.staffIds[0], undefined]) {
      const input = request(f, { start: at(localDate(11), staffId ? "09:00" : "13:00"), staffId });
      const { ok, errors } = await settle(Array.from({ length: 15 }, () => createAppointment(ctxFor(f), input)));
      expect(errors).toEqual([]);
      expect(new Set(ok.map((a) => a.id)).size).toBe(1);
      expect(await scratch.db.appointment.count({ where: { companyId: f.companyId, idempotencyKey: input.idempotencyKey } })).toBe(1);
    }
    expect(await scratch.db.appointment.count({ where: { companyId: f.companyId } })).toBe(2);
  });

  it("refuses a key reused for a different booking", async () => {
    const f = await createFixtureCompany(scratch.db, { staffCount: 1 });
    const input = request(f, { start: at(localDate(12), "09:00") });
    await createAppointment(ctxFor(f), input);
    const error = await createAppointment(ctxFor(f), { ...input, start: at(localDate(12), "10:00") }).catch((e: unknown) => e);
    expect((error as DomainError).code).toBe("BAD_REQUEST");
    expect((error as DomainError).details.fields).toEqual(["idempotencyKey"]);
  });
});

describe("the cache never offers a booked slot", () => {
  it("book, then ask at once, in concurrent loops with readers warming the cache", async () => {
    const f = await createFixtureCompany(scratch.db, { staffCount: 2 });
    const date = localDate(14);
    let stop = false;
    const reader = (async () => {
      let reads = 0;
      while (!stop) {
        await slotsOf(f, { from: date });
        reads++;
      }
      return reads;
    })();
    const times = ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "12:00", "12:30", "13:00", "13:30"];
    await Promise.all(
      f.staffIds.map(async (staffId) => {
        for (const hhmm of times) {
          const booked = await createAppointment(ctxFor(f), request(f, { start: at(date, hhmm), staffId }));
          const { slots } = await slotsOf(f, { from: date });
          expect(slots.some((s) => s.staffId === staffId && ms(s.start) === ms(booked.start))).toBe(false);
        }
      }),
    );
    stop = true;
    expect(await reader).toBeGreaterThan(0);
  });

  it("a read computed before a booking but stored after its invalidation is never served", async () => {
    const f = await createFixtureCompany(scratch.db, { staffCount: 1 });
    const date = localDate(15);
    const query = { branchId: f.branchId, serviceId: f.serviceIds.short, from: date, days: 1 };
    const bucket = Math.ceil(Date.now() / 300_000);
    const key = `${f.companyId}:${query.serviceId}:*:${date}:1:${bucket}`;
    // 1. a slow reader reads the generation and loads the (still free) day …
    const generation = await cache.generation(f.branchId);
    const stale = await getAvailabilityAnswer({ db: poolOf(scratch.db), cache: null }, f.companyId, query);
    expect(stale.out.slots.some((s) => ms(s.start) === ms(at(date, "10:00")))).toBe(true);
    // 2. … a booking commits and invalidates …
    await createAppointment(ctxFor(f), request(f, { start: at(date, "10:00") }));
    // 3. … and the slow reader stores its outdated answer afterwards.
    await cache.store(f.branchId, generation!, key, stale.json, stale);
    const fresh = await getAvailability({ db: poolOf(scratch.db), cache }, f.companyId, query);
    expect(fresh.slots.some((s) => ms(s.start) === ms(at(date, "10:00")))).toBe(false);
  });

  it("cancel and reschedule free the old time at once", async () => {
    const f = await createFixtureCompany(scratch.db, { staffCount: 1 });
    const date = localDate(16);
    await slotsOf(f, { from: date }); // warm
    const booked = await createAppointment(ctxFor(f), request(f, { start: at(date, "10:00") }));
    const moved = await rescheduleAppointment(ctxFor(f), { id: booked.id, start: at(date, "14:00"), expectedVersion: booked.version });
    const afterMove = (await slotsOf(f, { from: date })).slots.map((s) => ms(s.start));
    expect(afterMove).toContain(ms(at(date, "10:00")));
    expect(afterMove).not.toContain(ms(at(date, "14:00")));
    await cancelAppointment(ctxFor(f), { id: moved.id, reason: "Kunde krank" });
    expect((await slotsOf(f, { from: date })).slots.map((s) => ms(s.start))).toContain(ms(at(date, "14:00")));
  });
});

describe("availability rules", () => {
  it("counts the service's buffers", async () => {
    const f = await createFixtureCompany(scratch.db, { staffCount: 1 });
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
    const f = await createFixtureCompany(scratch.db, { staffCount: 1, minNoticeMinutes: 120 });
    // every day is open 09:00–18:00; "now" is a Wednesday 10:00 in the test's clock
    const today = localDate(20);
    const now = ms(at(today, "10:00"));
    const ctx = { ...ctxFor(f), now: () => now };
    const { slots } = await getAvailability({ db: poolOf(scratch.db), cache: null }, f.companyId, { branchId: f.branchId, serviceId: f.serviceIds.short, from: today, days: 1 }, now);
    expect(Math.min(...slots.map((s) => ms(s.start)))).toBe(ms(at(today, "12:00")));
    const error = await createAppointment(ctx, request(f, { start: at(today, "11:00") })).catch((e: unknown) => e);
    expect((error as DomainError).code).toBe("CONFLICT");
    await expect(createAppointment(ctx, request(f, { start: at(today, "12:00") }))).resolves.toMatchObject({ status: "confirmed" });
  });

  it("removes time off and branch-wide holidays, adds extra hours", async () => {
    const f = await createFixtureCompany(scratch.db, { staffCount: 2 });
    const off = localDate(21);
    const holiday = localDate(22);
    await scratch.db.availabilityException.createMany({
      data: [
        { companyId: f.companyId, staffId: f.staffIds[0], kind: "time_off", startsAt: new Date(at(off, "00:00")), endsAt: new Date(at(off, "23:59")) },
        { companyId: f.companyId, branchId: f.branchId, kind: "holiday", startsAt: new Date(at(holiday, "00:00")), endsAt: new Date(at(holiday, "23:59")), reason: "Feiertag" },
        { companyId: f.companyId, staffId: f.staffIds[1], kind: "extra_availability", startsAt: new Date(at(off, "18:00")), endsAt: new Date(at(off, "20:00")) },
      ],
    });
    await cache.invalidate([f.branchId]);
    const offSlots = (await slotsOf(f, { from: off })).slots;
    expect(offSlots.some((s) => s.staffId === f.staffIds[0])).toBe(false);
    expect(offSlots.some((s) => s.staffId === f.staffIds[1] && ms(s.start) === ms(at(off, "19:00")))).toBe(true);
    expect((await slotsOf(f, { from: holiday })).slots).toEqual([]);
    const error = await createAppointment(ctxFor(f), request(f, { start: at(holiday, "10:00") })).catch((e: unknown) => e);
    expect((error as DomainError).code).toBe("CONFLICT");
  });

  it("is correct on daylight-saving days and books across them", async () => {
    const f = await createFixtureCompany(scratch.db, { staffCount: 1 });
    await scratch.db.company.update({ where: { id: f.companyId }, data: { horizonDays: 800 } });
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

describe("state changes", () => {
  it("a stale expectedVersion gets PRECONDITION_FAILED and changes nothing", async () => {
    const f = await createFixtureCompany(scratch.db, { staffCount: 1 });
    const date = localDate(30);
    const booked = await createAppointment(ctxFor(f), request(f, { start: at(date, "10:00") }));
    const moved = await rescheduleAppointment(ctxFor(f), { id: booked.id, start: at(date, "11:00"), expectedVersion: booked.version });
    expect(moved.version).toBe(booked.version + 1);
    const error = await rescheduleAppointment(ctxFor(f), { id: booked.id, start: at(date, "15:00"), expectedVersion: booked.version }).catch((e: unknown) => e);
    expect((error as DomainError).code).toBe("PRECONDITION_FAILED");
    const row = await scratch.db.appointment.findUniqueOrThrow({ where: { id: booked.id } });
    expect(row.version).toBe(moved.version);
    expect(row.startsAt.getTime()).toBe(ms(at(date, "11:00")));
  });

  it("reschedule onto a taken time is a CONFLICT with alternatives and changes nothing", async () => {
    const f = await createFixtureCompany(scratch.db, { staffCount: 1 });
    const date = localDate(31);
    const a = await createAppointment(ctxFor(f), request(f, { start: at(date, "10:00") }));
    await createAppointment(ctxFor(f), request(f, { start: at(date, "12:00") }));
    const error = (await rescheduleAppointment(ctxFor(f), { id: a.id, start: at(date, "12:00"), expectedVersion: a.version }).catch((e: unknown) => e)) as DomainError;
    expect(error.code).toBe("CONFLICT");
    expect(error.details.alternatives!.length).toBeGreaterThan(0);
    expect((await scratch.db.appointment.findUniqueOrThrow({ where: { id: a.id } })).version).toBe(a.version);
    // moving within its own time (10:00 → 10:15 overlaps itself) is allowed
    await expect(rescheduleAppointment(ctxFor(f), { id: a.id, start: at(date, "10:15"), expectedVersion: a.version })).resolves.toMatchObject({ version: a.version + 1 });
  });

  it("writes audit rows and outbox rows in the same transaction, with the correlation id and no personal data", async () => {
    const f = await createFixtureCompany(scratch.db, { staffCount: 1 });
    await scratch.db.company.update({ where: { id: f.companyId }, data: { calcomSyncEnabled: true } });
    const booked = await createAppointment(ctxFor(f, "corr-audit-1"), request(f, { start: at(localDate(32), "10:00") }));
    await cancelAppointment(ctxFor(f, "corr-audit-2"), { id: booked.id });
    const audit = await scratch.db.appointmentAudit.findMany({ where: { appointmentId: booked.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => [a.action, a.correlationId])).toEqual([["created", "corr-audit-1"], ["cancelled", "corr-audit-2"]]);
    const outbox = await scratch.db.outboxEvent.findMany({ where: { aggregateId: booked.id }, orderBy: { createdAt: "asc" } });
    expect(outbox.map((o) => o.topic).sort()).toEqual(["calendar.sync", "calendar.sync", "notification.send", "notification.send"]);
    const text = JSON.stringify(outbox.map((o) => o.payload));
    expect(text).not.toMatch(/\+49|Test Kunde/);
    expect((await scratch.db.appointment.findUniqueOrThrow({ where: { id: booked.id } })).calendarSyncStatus).toBe("pending");
  });

  it("marks no-show and completed only once the appointment has started", async () => {
    const f = await createFixtureCompany(scratch.db, { staffCount: 1 });
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
    const f = await createFixtureCompany(scratch.db, { staffCount: 1 });
    // Fault injection inside the real database of this test file only.
    await scratch.db.$executeRawUnsafe(`
      CREATE FUNCTION fail_marked_booking() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.notes = 'inject-failure' AND NEW.status = 'confirmed' THEN RAISE EXCEPTION 'injected storage failure'; END IF;
        RETURN NEW;
      END $$`);
    await scratch.db.$executeRawUnsafe(`CREATE TRIGGER fail_marked_booking BEFORE INSERT ON appointments FOR EACH ROW EXECUTE FUNCTION fail_marked_booking()`);
    const input = request(f, { start: at(localDate(34), "10:00"), notes: "inject-failure" });
    const error = (await createAppointment(ctxFor(f, "corr-failure"), input).catch((e: unknown) => e)) as DomainError;
    expect(error.code).toBe("INTERNAL");
    const failed = await scratch.db.appointment.findMany({ where: { companyId: f.companyId, status: "failed" } });
    expect(failed).toHaveLength(1);
    expect(failed[0]!.correlationId).toBe("corr-failure");
    expect(failed[0]!.failureReason).toContain("injected storage failure");
    expect(await scratch.db.appointmentAudit.count({ where: { correlationId: "corr-failure", action: "failed" } })).toBe(1);
    // nothing else is left behind: no confirmed row, no lock, no outbox rows; and the slot is still free
    expect(await scratch.db.appointment.count({ where: { companyId: f.companyId, status: "confirmed" } })).toBe(0);
    expect(await scratch.db.appointmentLock.count({ where: { companyId: f.companyId } })).toBe(0);
    expect(await scratch.db.outboxEvent.count({ where: { companyId: f.companyId } })).toBe(0);
    await expect(createAppointment(ctxFor(f), { ...input, notes: undefined })).resolves.toMatchObject({ status: "confirmed" });
    await scratch.db.$executeRawUnsafe(`DROP TRIGGER fail_marked_booking ON appointments`);
  });
});

describe("tenant isolation", () => {
  it("another company's appointment ids get NOT_FOUND from list, cancel and reschedule, and change nothing", async () => {
    const a = await createFixtureCompany(scratch.db, { staffCount: 1 });
    const b = await createFixtureCompany(scratch.db, { staffCount: 1 });
    const date = localDate(40);
    const theirs = await createAppointment(ctxFor(b), request(b, { start: at(date, "10:00") }));
    const cancel = (await cancelAppointment(ctxFor(a), { id: theirs.id }).catch((e: unknown) => e)) as DomainError;
    expect(cancel.code).toBe("NOT_FOUND");
    const move = (await rescheduleAppointment(ctxFor(a), { id: theirs.id, start: at(date, "11:00"), expectedVersion: 1 }).catch((e: unknown) => e)) as DomainError;
    expect(move.code).toBe("NOT_FOUND");
    const list = (await listAppointments(ctxFor(a), { branchId: b.branchId, from: at(date, "00:00"), to: at(date, "23:00") }).catch((e: unknown) => e)) as DomainError;
    expect(list.code).toBe("NOT_FOUND");
    const row = await scratch.db.appointment.findUniqueOrThrow({ where: { id: theirs.id } });
    expect([row.status, row.version, row.startsAt.getTime()]).toEqual(["confirmed", 1, ms(at(date, "10:00"))]);
    // and a's own list does not include it
    expect(await listAppointments(ctxFor(a), { branchId: a.branchId, from: at(date, "00:00"), to: at(date, "23:00") })).toEqual([]);
    // another company's staff member, or an id that exists nowhere: NOT_FOUND, and no lock left behind
    for (const staffId of [b.staffIds[0]!, "00000000-0000-4000-8000-000000000000"]) {
      const foreign = (await createAppointment(ctxFor(a), request(a, { start: at(date, "13:00"), staffId })).catch((e: unknown) => e)) as DomainError;
      expect(foreign.code).toBe("NOT_FOUND");
    }
    expect(await scratch.db.appointmentLock.count()).toBe(0);
    // b cannot be booked through a's context either
    const cross = (await createAppointment(ctxFor(a), request(b, { start: at(date, "12:00") })).catch((e: unknown) => e)) as DomainError;
    expect(cross.code).toBe("NOT_FOUND");
  });
});
