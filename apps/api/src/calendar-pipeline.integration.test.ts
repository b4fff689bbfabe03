/**
 * Calendar sync end to end, as the demo runs it: the API over real HTTP with the demo data, the real
 * worker (relay, calendar and webhook queues) on the real Redis and PostgreSQL, and the Cal.com stand-in
 * holding simple-salon's calendar and sending its signed webhooks to POST /webhooks/calcom.
 */
import { poolOf } from "@askproai/db";
import { CALENDAR_RECONCILE_JOB } from "@askproai/db/calendar";
import { DEMO_CALCOM } from "@askproai/db/seed";
import { overlappingPairs } from "@askproai/db/testing";
import { startCalcomStandIn, type CalcomStandIn } from "@askproai/stand-ins";
import { createLogger } from "@askproai/shared/server";
import { CALENDAR_QUEUE, startWorker } from "@askproai/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { at, nextDate } from "./testing/dates.js";
import { http, startTestApi, uniqueKey, type TestApi } from "./testing/server.js";

let api: TestApi;
let client: ReturnType<typeof http>;
let calcom: CalcomStandIn;
let worker: Awaited<ReturnType<typeof startWorker>>;

beforeAll(async () => {
  api = await startTestApi();
  client = http(api.baseUrl);
  calcom = await startCalcomStandIn({
    apiKeys: [DEMO_CALCOM.apiKey], eventTypes: DEMO_CALCOM.durations, rateLimit: false,
    webhooks: [{ url: `${api.baseUrl}/webhooks/calcom`, secret: api.deps.config.CALCOM_WEBHOOK_SECRET, apiKey: DEMO_CALCOM.apiKey }],
  });
  worker = await startWorker({
    db: api.scratch.db,
    logger: createLogger({ level: "silent", service: "worker-test" }),
    redisUrl: api.deps.config.REDIS_URL,
    queuePrefix: `${api.deps.config.REDIS_PREFIX}bull`,
    purgeEveryMs: 600_000,
    messaging: { transports: { sms: null, mail: null }, sweepEveryMs: 600_000, reminderScanEveryMs: 600_000, waitlistEveryMs: 600_000 },
    webhooks: { stripe: null, sweepEveryMs: 1_000, retryBaseMs: 200 },
    calendar: { apiUrl: calcom.url, secretsKey: api.deps.config.SECRETS_KEY, retryBaseMs: 200, reconcileEveryMs: 0 },
    relay: { pollMs: 200 },
    stalledIntervalMs: 1_000,
  });
});
afterAll(async () => {
  await worker?.close();
  await calcom?.close();
  await api?.close();
});

const sql = <T extends Record<string, unknown>>(text: string, values: unknown[] = []) => poolOf(api.scratch.db).query<T>(text, values).then((r) => r.rows);
const attendee = { name: "Gast Direkt", timeZone: "Europe/Berlin", email: "gast.direkt@example.org", phoneNumber: "+4917712345678" };

describe("calendar sync with the demo salon", () => {
  it("desk bookings reach Cal.com once (their echoes change nothing here); bookings made in Cal.com block the slot within seconds, lost ones at the next reconciliation; clashes are conflicts", { timeout: 60_000 }, async () => {
    const desk = await client.login("desk@simple-salon.example");
    const branchId = (await client.query("directory.branches", undefined, desk.token)).data[0].id as string;
    const serviceId = (await client.query("directory.services", { branchId }, desk.token)).data.find((s: { durationMinutes: number }) => s.durationMinutes === 30).id as string;
    const staff = (await client.query("calendar.mappings", undefined, desk.token)).data.staff as { staffId: string; calcomUserId: number }[];
    const [lena, murat] = [...staff].sort((a, b) => a.calcomUserId - b.calcomUserId);
    const day = nextDate(10);
    const free = async (staffId: string) =>
      ((await client.query("availability.slots", { branchId, serviceId, staffId, from: day, days: 1 }, desk.token)).data.slots as { start: string }[]).map((s) => Date.parse(s.start));

    // Outbound: the desk books; the worker mirrors it; Cal.com's echo is recognised as ours.
    const booked = await client.mutation("appointments.create", { branchId, serviceId, staffId: lena!.staffId, start: at(day, "10:00"), customer: { phone: "0151 2345678", name: "Desk Kundin" }, idempotencyKey: uniqueKey("cal") }, desk.token);
    expect(booked.status).toBe(200);
    await expect.poll(async () => (await client.query("appointments.get", { id: booked.data.id }, desk.token)).data.calendarSync.status, { timeout: 20_000, interval: 100 }).toBe("synced");
    const mirrored = calcom.bookings().filter((b) => b.booking.metadata.askproaiAppointmentId === booked.data.id);
    expect(mirrored).toHaveLength(1);
    await calcom.webhooksSettled();
    await expect.poll(async () => (await sql<{ n: string }>("SELECT count(*) AS n FROM webhook_events WHERE source = 'calcom' AND processed_at IS NOT NULL"))[0]!.n, { timeout: 15_000 }).toBe("1");
    expect(await sql("SELECT id FROM appointments WHERE source = 'calcom'")).toEqual([]);

    // Inbound: a booking made directly in Cal.com for Murat blocks his slot here within seconds of its webhook.
    expect(await free(murat!.staffId)).toContain(Date.parse(at(day, "11:00")));
    const started = performance.now();
    await calcom.direct.create({ start: new Date(at(day, "11:00")).toISOString(), eventTypeId: DEMO_CALCOM.eventTypes.cut!, attendee, userId: murat!.calcomUserId });
    await expect.poll(async () => (await free(murat!.staffId)).includes(Date.parse(at(day, "11:00"))), { timeout: 10_000, interval: 50 }).toBe(false);
    console.log(`Cal.com booking → slot gone from availability.slots after ${(performance.now() - started).toFixed(0)} ms`);
    expect(await free(lena!.staffId)).toContain(Date.parse(at(day, "11:00")));

    // A lost webhook: made in Cal.com, never delivered; the reconciliation blocks it.
    await calcom.direct.create({ start: new Date(at(day, "14:00")).toISOString(), eventTypeId: DEMO_CALCOM.eventTypes.cut!, attendee, userId: murat!.calcomUserId, deliver: false });
    await new Promise((r) => setTimeout(r, 300));
    expect(await free(murat!.staffId)).toContain(Date.parse(at(day, "14:00")));
    await worker.queue(CALENDAR_QUEUE).add(CALENDAR_RECONCILE_JOB, {}, { jobId: uniqueKey("reconcile") });
    await expect.poll(async () => (await free(murat!.staffId)).includes(Date.parse(at(day, "14:00"))), { timeout: 15_000, interval: 100 }).toBe(false);

    // A clash with the desk's appointment: recorded as a conflict, no overlap in SQL.
    await calcom.direct.create({ start: new Date(at(day, "10:00")).toISOString(), eventTypeId: DEMO_CALCOM.eventTypes.cut!, attendee, userId: lena!.calcomUserId });
    await expect.poll(async () => (await client.query("calendar.conflicts", undefined, desk.token)).data.length, { timeout: 15_000, interval: 100 }).toBe(1);
    const companyId = (await sql<{ id: string }>("SELECT id FROM companies WHERE slug = 'simple-salon'"))[0]!.id;
    expect(await overlappingPairs(api.scratch.db, companyId)).toEqual({ staff: 0, rooms: 0 });

    // Nothing personal or secret in the outside-call log.
    const logs = JSON.stringify(await sql("SELECT request_body, response_body, error FROM api_call_logs WHERE service = 'calcom'"));
    for (const secret of [DEMO_CALCOM.apiKey, "+491512345678", "Desk Kundin", attendee.email, attendee.phoneNumber]) expect(logs).not.toContain(secret);
    expect((await client.query("calendar.status", undefined, desk.token)).data).toMatchObject({ pendingCount: 0, failedCount: 0, openConflicts: 1, breaker: { state: "closed" } });
  });
});
