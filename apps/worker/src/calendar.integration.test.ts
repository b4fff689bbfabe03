/**
 * Outbound calendar sync end to end: real BullMQ on the real Redis, the real PostgreSQL, the Cal.com
 * stand-in over real HTTP with the production client. The happy path runs the real outbox relay; the
 * other tests add the relay's jobs themselves.
 */
import { Writable } from "node:stream";
import { poolOf } from "@askproai/db";
import { cancelAppointment, createAppointment, rescheduleAppointment } from "@askproai/db/booking";
import { calendarStatus } from "@askproai/db/calendar";
import { failedBookings, registry } from "@askproai/db/ops";
import { TEST_EVENT_TYPES, TEST_SECRETS_KEY, at, bookingRequest, clearRedisPrefix, localDate, scratchRedisPrefix, type FixtureCompany } from "@askproai/db/testing";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { REDIS_URL, useCalendarEnv } from "./testing/calendar-env.js";
import { CALENDAR_QUEUE, CALENDAR_SYNC_JOB, startWorker } from "./worker.js";

const { env, ctxOf, connected, syncRow, bookingsOf, requestsOf } = useCalendarEnv();
const phone = () => `+49152${String(1_000_000 + Math.floor(Math.random() * 8_999_999))}`;
let seq = 0;

/** Log lines as a shipper would see them. */
const captured: string[] = [];
const logger = pino(
  { level: "info" },
  new Writable({
    write(chunk, _enc, done) {
      captured.push(String(chunk));
      done();
    },
  }),
);

type TestSettings = { timeoutMs?: number; failureThreshold?: number; halfOpenAfterMs?: number; retryBaseMs?: number; retryMaxMs?: number; attempts?: number; relay?: boolean };
const startTestWorker = async (calendar: TestSettings = {}) => {
  const prefix = scratchRedisPrefix();
  const { failureThreshold = 3, halfOpenAfterMs = 800, relay = false, ...rest } = calendar;
  const running = await startWorker({
    db: env.scratch.db, logger, redisUrl: REDIS_URL, queuePrefix: `${prefix}bull`, purgeEveryMs: 600_000, stalledIntervalMs: 500,
    // Most tests add the relay's jobs themselves; the happy path runs the real relay.
    relay: relay ? { pollMs: 200 } : false,
    messaging: { transports: { sms: null, mail: null }, sweepEveryMs: 600_000, reminderScanEveryMs: 600_000, waitlistEveryMs: 600_000 },
    calendar: {
      apiUrl: env.calcom.url, secretsKey: TEST_SECRETS_KEY, timeoutMs: 2_000, retryBaseMs: 150, retryMaxMs: 1_000, attempts: 40, breaker: { failureThreshold, halfOpenAfterMs },
      reconcileEveryMs: 0, ...rest,
    },
  });
  env.cleanup.push(() => clearRedisPrefix(prefix), () => running.close());
  let n = 0;
  const sync = (f: FixtureCompany, appointment: { id: string; version: number }, action: string, correlationId?: string) =>
    running.queue(CALENDAR_QUEUE).add(CALENDAR_SYNC_JOB, { outboxId: `t${n}`, companyId: f.companyId, correlationId, appointmentId: appointment.id, version: appointment.version, action }, { jobId: `outbox-t${n++}-${appointment.id}` });
  return { running, sync };
};

describe("calendar sync: the happy path", () => {
  it("create, reschedule, cancel → exactly the matching Cal.com calls with the contract's headers and bodies; the uid follows", async () => {
    const { f, key } = await connected();
    const to = phone();
    const email = `kundin.${seq++}@example.org`;
    const ctx = ctxOf(f, "corr-happy");
    // The real pipeline: the booking's outbox row → the relay → the calendar queue.
    const { sync } = await startTestWorker({ relay: true });
    const day = localDate(4);
    const booked = await createAppointment(ctx, bookingRequest(f, { start: at(day, "10:00"), staffId: f.staffIds[0], customer: { phone: to, name: "Marta Musterfrau", email } }));
    await expect.poll(async () => (await syncRow(booked.id)).status, { timeout: 15_000, interval: 50 }).toBe("synced");

    const creates = requestsOf(key, "POST");
    expect(creates).toHaveLength(1);
    // A first create needs no search: nothing was ever sent for this appointment.
    expect(requestsOf(key).map((r) => `${r.method} ${r.path}`)).toEqual(["POST /v2/bookings"]);
    expect(creates[0]!.path).toBe("/v2/bookings");
    expect(creates[0]!.headers["cal-api-version"]).toBe("2024-08-13");
    expect(creates[0]!.headers["content-type"]).toMatch(/^application\/json/);
    expect(creates[0]!.body).toEqual({
      start: new Date(at(day, "10:00")).toISOString(),
      eventTypeId: TEST_EVENT_TYPES.short,
      attendee: { name: "Marta Musterfrau", timeZone: "Europe/Berlin", phoneNumber: to, email, language: "de" },
      metadata: { askproaiAppointmentId: booked.id },
    });
    expect((creates[0]!.body as { start: string }).start).toMatch(/Z$/);
    const first = bookingsOf(key, booked.id);
    expect(first).toHaveLength(1);
    expect((await syncRow(booked.id)).uid).toBe(first[0]!.booking.uid);

    await rescheduleAppointment(ctx, { id: booked.id, start: at(day, "14:30"), expectedVersion: booked.version });
    await expect.poll(async () => (await syncRow(booked.id)).uid, { timeout: 15_000, interval: 50 }).not.toBe(first[0]!.booking.uid);
    await expect.poll(async () => (await syncRow(booked.id)).status, { timeout: 15_000, interval: 50 }).toBe("synced");
    const posts = requestsOf(key, "POST");
    expect(posts.map((r) => r.path)).toEqual(["/v2/bookings", `/v2/bookings/${first[0]!.booking.uid}/reschedule`]);
    expect(posts[1]!.body).toEqual({ start: new Date(at(day, "14:30")).toISOString(), reschedulingReason: expect.any(String) });
    const live = bookingsOf(key, booked.id).filter((b) => b.booking.status === "accepted");
    expect(live).toHaveLength(1);
    expect(live[0]!.booking.start).toBe(new Date(at(day, "14:30")).toISOString());
    expect((await syncRow(booked.id)).uid).toBe(live[0]!.booking.uid);
    expect(live[0]!.booking.uid).not.toBe(first[0]!.booking.uid);

    await cancelAppointment(ctx, { id: booked.id, reason: "Kundin krank" });
    await expect.poll(() => requestsOf(key, "POST").length, { timeout: 15_000, interval: 50 }).toBe(3);
    const cancel = requestsOf(key, "POST")[2]!;
    expect(cancel.path).toBe(`/v2/bookings/${live[0]!.booking.uid}/cancel`);
    expect(cancel.body).toEqual({ cancellationReason: expect.any(String) });
    expect(cancel.headers.authorization).toBe(`Bearer ${key}`);
    await expect.poll(async () => (await syncRow(booked.id)).status, { timeout: 10_000, interval: 50 }).toBe("synced");
    expect(bookingsOf(key, booked.id).filter((b) => b.booking.status === "accepted")).toHaveLength(0);

    // The same job again (a relay retry, a stale job) changes nothing in Cal.com.
    await sync(f, booked, "create", "corr-happy");
    await new Promise((r) => setTimeout(r, 600));
    expect(requestsOf(key, "POST")).toHaveLength(3);

    // Every call is logged with the booking's correlation id, redacted.
    const logs = (await poolOf(env.scratch.db).query<{ method: string; endpoint: string; status_code: number; row: string }>(
      `SELECT method, endpoint, status_code, row_to_json(l)::text AS row FROM api_call_logs l WHERE company_id = $1 AND service = 'calcom' AND correlation_id = 'corr-happy' ORDER BY created_at`, [f.companyId],
    )).rows;
    expect(logs.filter((l) => l.method === "POST").map((l) => [l.endpoint, l.status_code])).toEqual([
      ["/v2/bookings", 201], ["/v2/bookings/{uid}/reschedule", 201], ["/v2/bookings/{uid}/cancel", 200],
    ]);
    const everything = logs.map((l) => l.row).join("\n") + captured.join("\n");
    for (const secret of [key, to, email, "Marta Musterfrau", to.slice(3)]) expect(everything).not.toContain(secret);
    const status = await calendarStatus(ctx);
    expect(status).toMatchObject({ syncEnabled: true, connected: true, breaker: { state: "closed" }, pendingCount: 0, failedCount: 0 });
    expect(status.lastSuccessAt).not.toBeNull();
  });
});

describe("calendar sync: resilience", () => {
  it("Cal.com answers 503 during 50 bookings: bookings stay fast, the breaker opens, after recovery each appointment is in Cal.com once, cancelled ones not at all", async () => {
    const { f, key } = await connected(1);
    const ctx = ctxOf(f, "corr-outage");
    captured.length = 0;
    const { sync } = await startTestWorker({ failureThreshold: 3, halfOpenAfterMs: 700 });
    // The same bookings' speed while Cal.com answers, for comparison.
    const baseline: number[] = [];
    for (let i = 0; i < 9; i++) {
      const started = performance.now();
      const a = await createAppointment(ctx, bookingRequest(f, { start: at(localDate(30), `${String(9 + i).padStart(2, "0")}:00`), staffId: f.staffIds[0] }));
      baseline.push(performance.now() - started);
      await sync(f, a, "create", "corr-outage");
    }
    await expect.poll(() => bookingsOf(key).length, { timeout: 10_000, interval: 50 }).toBe(9);
    env.calcom.faults.add({ kind: "status", status: 503 });
    const latencies: number[] = [];
    const booked: { id: string; version: number }[] = [];
    const cancelledIds = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const started = performance.now();
      const a = await createAppointment(ctx, bookingRequest(f, { start: at(localDate(10 + Math.floor(i / 9)), `${String(9 + (i % 9)).padStart(2, "0")}:00`), staffId: f.staffIds[0] }));
      latencies.push(performance.now() - started);
      booked.push(a);
      await sync(f, a, "create", "corr-outage");
      if (i % 5 === 4) {
        const c = await cancelAppointment(ctx, { id: a.id });
        cancelledIds.add(a.id);
        await sync(f, c, "cancel", "corr-outage");
      }
    }
    latencies.sort((a, b) => a - b);
    baseline.sort((a, b) => a - b);
    console.log(`bookings while Cal.com answers: p50 ${baseline[4]!.toFixed(1)} ms, max ${baseline[8]!.toFixed(1)} ms; 50 during the outage: p50 ${latencies[25]!.toFixed(1)} ms, max ${latencies[49]!.toFixed(1)} ms`);
    expect(latencies[49]!).toBeLessThan(2_000);
    await expect.poll(async () => (await calendarStatus(ctx)).breaker.state, { timeout: 10_000, interval: 50 }).toBe("open");
    expect((await calendarStatus(ctx)).pendingCount).toBeGreaterThan(0);
    expect(captured.some((l) => l.includes("Cal.com circuit breaker opened"))).toBe(true);
    expect(await registry.metrics()).toMatch(/askproai_circuit_breakers\{[^}]*service="calcom"[^}]*state="(open|half_open)"[^}]*\} 1/);
    env.calcom.faults.clear(); // Cal.com is back

    await expect.poll(async () => (await calendarStatus(ctx)).pendingCount, { timeout: 40_000, interval: 200 }).toBe(0);
    expect((await calendarStatus(ctx)).breaker.state).toBe("closed");
    expect((await calendarStatus(ctx)).failedCount).toBe(0);
    for (const a of booked) {
      const mine = bookingsOf(key, a.id);
      if (cancelledIds.has(a.id)) expect(mine, `cancelled ${a.id}`).toHaveLength(0);
      else {
        expect(mine, `active ${a.id}`).toHaveLength(1);
        expect(mine[0]!.booking.status).toBe("accepted");
        expect((await syncRow(a.id)).uid).toBe(mine[0]!.booking.uid);
      }
    }
    expect(bookingsOf(key)).toHaveLength(49);
  });

  it("a create that times out after Cal.com stored it → found by its metadata on the retry, no second booking", async () => {
    const { f, key } = await connected();
    const { sync } = await startTestWorker({ timeoutMs: 700 });
    env.calcom.faults.add({ kind: "store-then-timeout", delayMs: 3_000, method: "POST", path: "/v2/bookings", count: 1 });
    const a = await createAppointment(ctxOf(f), bookingRequest(f, { start: at(localDate(5), "11:00"), staffId: f.staffIds[0] }));
    await sync(f, a, "create");
    await expect.poll(async () => (await syncRow(a.id)).status, { timeout: 15_000, interval: 50 }).toBe("synced");
    expect(requestsOf(key, "POST")).toHaveLength(1);
    const mine = bookingsOf(key, a.id);
    expect(mine).toHaveLength(1);
    expect((await syncRow(a.id)).uid).toBe(mine[0]!.booking.uid);
    const timeouts = (await poolOf(env.scratch.db).query<{ error: string }>(`SELECT error FROM api_call_logs WHERE company_id = $1 AND status_code IS NULL`, [f.companyId])).rows;
    expect(timeouts.map((t) => t.error)).toEqual(["timeout after 700 ms"]);
  });

  it("429 with Retry-After: the next call waits at least that long", async () => {
    const { f, key } = await connected();
    const { sync } = await startTestWorker();
    env.calcom.faults.add({ kind: "rate-limit", retryAfterSeconds: 2, count: 1 });
    const a = await createAppointment(ctxOf(f), bookingRequest(f, { start: at(localDate(5), "12:00"), staffId: f.staffIds[0] }));
    await sync(f, a, "create");
    await expect.poll(async () => (await syncRow(a.id)).status, { timeout: 15_000, interval: 50 }).toBe("synced");
    const calls = requestsOf(key);
    expect(calls[0]!.fault).toBe("rate-limit");
    const waited = Date.parse(calls[1]!.at) - Date.parse(calls[0]!.at);
    expect(waited).toBeGreaterThanOrEqual(1_950);
    expect(bookingsOf(key, a.id)).toHaveLength(1);
  });

  it("a 400 is not retried: the sync is failed with Cal.com's reason, shown in the debug view", async () => {
    const { f, key } = await connected();
    const { running, sync } = await startTestWorker();
    env.calcom.faults.add({ kind: "status", status: 400, message: "booking_time_out_of_bounds_error", method: "POST", count: 5 });
    const ctx = ctxOf(f);
    const a = await createAppointment(ctx, bookingRequest(f, { start: at(localDate(5), "13:00"), staffId: f.staffIds[0] }));
    const job = await sync(f, a, "create");
    await expect.poll(async () => (await syncRow(a.id)).status, { timeout: 15_000, interval: 50 }).toBe("failed");
    expect((await syncRow(a.id)).error).toMatch(/400 .*booking_time_out_of_bounds_error/);
    await new Promise((r) => setTimeout(r, 800));
    expect(requestsOf(key, "POST")).toHaveLength(1);
    const state = await running.queue(CALENDAR_QUEUE).getJob(job.id!);
    expect(await state!.getState()).toBe("failed");
    expect(state!.attemptsMade).toBe(1);
    const debug = await failedBookings(ctx, 24);
    expect(debug.find((d) => d.appointmentId === a.id)?.reason).toMatch(/booking_time_out_of_bounds_error/);
    expect((await calendarStatus(ctx)).failedCount).toBe(1);
  });
});

