/**
 * The availability cache never offers a booked slot: not to a slow reader, not to another process,
 * not while Redis fails. Processes are simulated by separate DomainDeps (own in-process copies, own
 * Redis connections) on one database and one Redis prefix.
 */
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { createAppointment } from "../booking/create.js";
import { rescheduleAppointment } from "../booking/reschedule.js";
import { cancelAppointment } from "../booking/status-change.js";
import { createDomainDeps, type OperationContext } from "../context.js";
import { at, bookingRequest as request, createFixtureCompany, localDate, ms, testContext, type FixtureCompany } from "../testing/index.js";
import { REDIS_URL, useTestbed } from "../testing/testbed.js";
import { createAvailabilityCache, getAvailability, getAvailabilityAnswer } from "./answer.js";

const { bed, ctx: ctxFor, slots: slotsOf } = useTestbed();

/** Counts the heavy availability loads a context runs (a cache hit runs none). */
const countingLoads = (ctx: OperationContext) => {
  const counter = { loads: 0 };
  const query = ctx.sql.query as (q: unknown) => Promise<unknown>;
  const sql = {
    ...ctx.sql,
    query: (async (q: { name?: string }) => {
      if (q?.name === "askproai_load_availability") counter.loads++;
      return query(q);
    }) as typeof ctx.sql.query,
  };
  return { ctx: { ...ctx, sql }, counter };
};

/** A second process: its own in-process copies and Redis connection, same database and key prefix. */
const secondProcess = (redis: Redis | null) => createDomainDeps(bed.scratch.db, createAvailabilityCache(redis, bed.redisPrefix));

/** A Redis client that cannot reach any server: every command fails at once. */
const deadRedis = () =>
  new Redis("redis://127.0.0.1:1", { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null }).on("error", () => undefined);

const has = (slots: { start: string; staffId: string }[], start: string, staffId?: string) =>
  slots.some((s) => ms(s.start) === ms(start) && (!staffId || s.staffId === staffId));

describe("the cache never offers a booked slot", () => {
  it("book, then ask at once, in concurrent loops with readers warming the cache", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 2 });
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

  it("a slow reader that loaded before a booking committed and stores after it never serves the booked slot", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const date = localDate(15);
    const query = { branchId: f.branchId, serviceId: f.serviceIds.short, from: date, days: 1 };
    // A real reader through getAvailabilityAnswer whose load is held back after it read the database.
    let loaded!: () => void;
    const hasLoaded = new Promise<void>((resolve) => (loaded = resolve));
    let proceed!: () => void;
    const mayStore = new Promise<void>((resolve) => (proceed = resolve));
    const base = ctxFor(f);
    const slowSql = {
      ...base.sql,
      query: (async (q: { name?: string }) => {
        const result = await (base.sql.query as (q: unknown) => Promise<unknown>)(q);
        if (q.name === "askproai_load_availability") {
          loaded();
          await mayStore;
        }
        return result;
      }) as typeof base.sql.query,
    };
    const slowRead = getAvailabilityAnswer({ ...base, sql: slowSql }, query);
    await hasLoaded;
    // … a booking commits meanwhile (naming the staff member: without one, the booking would ask the
    // same question and join the held-back computation) …
    await createAppointment(ctxFor(f), request(f, { start: at(date, "10:00"), staffId: f.staffIds[0] }));
    // … the slow reader stores its (outdated) answer afterwards, and still answers its own caller with it.
    proceed();
    expect((await slowRead).slots.some((s) => s.start === ms(at(date, "10:00")))).toBe(true);
    // Every later reader, from Redis or this process, gets the booked slot removed.
    const fresh = await getAvailability(ctxFor(f), query);
    expect(fresh.slots.some((s) => ms(s.start) === ms(at(date, "10:00")))).toBe(false);
    bed.cache.clearLocal();
    expect((await getAvailability(ctxFor(f), query)).slots.some((s) => ms(s.start) === ms(at(date, "10:00")))).toBe(false);
  });

  it("cancel and reschedule free the old time at once", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const date = localDate(16);
    await slotsOf(f, { from: date }); // warm
    const booked = await createAppointment(ctxFor(f), request(f, { start: at(date, "10:00") }));
    // Read (and so cache) the day between the changes: each change must raise the version itself.
    expect((await slotsOf(f, { from: date })).slots.map((s) => ms(s.start))).not.toContain(ms(at(date, "10:00")));
    const moved = await rescheduleAppointment(ctxFor(f), { id: booked.id, start: at(date, "14:00"), expectedVersion: booked.version });
    const afterMove = (await slotsOf(f, { from: date })).slots.map((s) => ms(s.start));
    expect(afterMove).toContain(ms(at(date, "10:00")));
    expect(afterMove).not.toContain(ms(at(date, "14:00")));
    await cancelAppointment(ctxFor(f), { id: moved.id, reason: "Kunde krank" });
    expect((await slotsOf(f, { from: date })).slots.map((s) => ms(s.start))).toContain(ms(at(date, "14:00")));
  });
});


describe("across processes and through Redis outages", () => {
  const query = (f: FixtureCompany, from: string) => ({ branchId: f.branchId, serviceId: f.serviceIds.short, from, days: 1 });

  it("a second process is answered from Redis, without loading from PostgreSQL", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 2 });
    const date = localDate(41);
    const first = await getAvailability(ctxFor(f), query(f, date));
    const redis = new Redis(REDIS_URL);
    try {
      const other = countingLoads(testContext(secondProcess(redis), f));
      expect(await getAvailability(other.ctx, query(f, date))).toEqual(first);
      expect(other.counter.loads).toBe(0);
    } finally {
      redis.disconnect();
    }
  });

  it("with Redis unreachable, answers are computed fresh and bookings succeed", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const date = localDate(42);
    const redis = deadRedis();
    try {
      const deps = secondProcess(redis);
      const counted = countingLoads(testContext(deps, f));
      expect(has((await getAvailability(counted.ctx, query(f, date))).slots, at(date, "10:00"))).toBe(true);
      const booked = await createAppointment(testContext(deps, f), request(f, { start: at(date, "10:00") }));
      expect(booked.status).toBe("confirmed");
      expect(has((await getAvailability(counted.ctx, query(f, date))).slots, at(date, "10:00"))).toBe(false);
      expect(counted.counter.loads).toBeGreaterThanOrEqual(1);
    } finally {
      redis.disconnect();
    }
  });

  it("a process whose Redis fails books a slot: a healthy process that cached the day never offers it again", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 2 });
    const date = localDate(43);
    // The healthy process has the day in Redis and in its own memory.
    expect(has((await slotsOf(f, { from: date })).slots, at(date, "11:00"), f.staffIds[0])).toBe(true);
    expect(has((await slotsOf(f, { from: date })).slots, at(date, "12:00"), f.staffIds[1])).toBe(true);
    const redis = deadRedis();
    try {
      const broken = secondProcess(redis);
      // Each step is checked on its own: a later change raising the version must not hide a missing raise.
      await createAppointment(testContext(broken, f), request(f, { start: at(date, "11:00"), staffId: f.staffIds[0] }));
      expect(has((await slotsOf(f, { from: date })).slots, at(date, "11:00"), f.staffIds[0])).toBe(false);
      const other = await createAppointment(testContext(broken, f), request(f, { start: at(date, "12:00"), staffId: f.staffIds[1] }));
      expect(has((await slotsOf(f, { from: date })).slots, at(date, "12:00"), f.staffIds[1])).toBe(false);
      await cancelAppointment(testContext(broken, f), { id: other.id });
    } finally {
      redis.disconnect();
    }
    const after = (await slotsOf(f, { from: date })).slots;
    expect(has(after, at(date, "11:00"), f.staffIds[0])).toBe(false);
    expect(has(after, at(date, "12:00"), f.staffIds[1])).toBe(true);
    bed.cache.clearLocal();
    expect(has((await slotsOf(f, { from: date })).slots, at(date, "11:00"), f.staffIds[0])).toBe(false);
  });
});
