/**
 * A deployment of two API processes (API_PROCESSES=2, one port) and two worker processes on one
 * PostgreSQL and Redis, started as `npm start` starts them (their own main.ts, configuration from the
 * environment), with the stand-ins as outside services. The key cases of the booking, webhook, sync and
 * message suites must hold across processes: one booking per contended slot, one processing per event,
 * one outside effect per change.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { seedDemoData } from "@askproai/db/seed";
import { clearRedisPrefix, createScratchDatabase, overlappingPairs, scratchRedisPrefix, type ScratchDatabase } from "@askproai/db/testing";
import { startCalcomStandIn, startSmsStandIn, type CalcomStandIn, type SmsStandIn } from "@askproai/stand-ins";
import { randomId, retellCallEvent, signedDelivery } from "@askproai/stand-ins/webhooks";
import { DEMO_SECRETS } from "@askproai/shared/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nextDate } from "./testing/dates.js";
import { DEMO_NUMBERS } from "./testing/retell.js";
import { freePort, http } from "./testing/server.js";

const apps = join(dirname(fileURLToPath(import.meta.url)), "../..");
let scratch: ScratchDatabase;
let sms: SmsStandIn;
let cal: CalcomStandIn;
const prefix = scratchRedisPrefix();
const children: { name: string; child: ChildProcess; output: () => string }[] = [];
let base: string;
let client: ReturnType<typeof http>;

const start = (name: string, cwd: string, env: Record<string, string>) => {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  children.push({ name, child, output: () => output });
  return child;
};

beforeAll(async () => {
  scratch = await createScratchDatabase();
  await seedDemoData(scratch.db, { nodeEnv: "test" });
  sms = await startSmsStandIn({});
  cal = await startCalcomStandIn();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  client = http(base);
  const env = {
    NODE_ENV: "test", LOG_LEVEL: "warn", DATABASE_URL: scratch.url, REDIS_PREFIX: prefix, SMS_API_URL: sms.url, CALCOM_API_URL: cal.url,
    BUDGET_SESSION_PER_SECOND: "100000", BUDGET_COMPANY_PER_SECOND: "100000",
  };
  start("api", join(apps, "api"), { ...env, PORT: String(port), API_PROCESSES: "2" });
  for (const n of [1, 2]) start(`worker ${n}`, join(apps, "worker"), { ...env, WORKER_HTTP_PORT: "0" });
  for (const deadline = Date.now() + 60_000; ; await new Promise((resolve) => setTimeout(resolve, 250))) {
    if ((await fetch(`${base}/readyz`).catch(() => null))?.status === 200) break;
    if (Date.now() > deadline) throw new Error(`the API did not get ready:\n${children.map((c) => `${c.name}: ${c.output()}`).join("\n")}`);
  }
}, 90_000);

afterAll(async () => {
  await Promise.all(
    children.map(({ child }) => (child.exitCode === null ? new Promise((resolve) => { child.on("exit", resolve); child.kill("SIGTERM"); }) : null)),
  );
  await sms?.close();
  await cal?.close();
  await clearRedisPrefix(prefix);
  await scratch?.drop();
}, 60_000);

describe("two API processes and two workers on one database", () => {
  it("one booking per contended slot, whichever process answers", async () => {
    const { token } = await client.login("desk@simple-salon.example");
    const branchId = (await client.query("directory.branches", undefined, token)).data[0].id as string;
    const serviceId = ((await client.query("directory.services", { branchId }, token)).data as { id: string; durationMinutes: number }[]).find((s) => s.durationMinutes === 30)!.id;
    const free = (await client.query("availability.slots", { branchId, serviceId, from: nextDate(6), days: 3 }, token)).data.slots as { start: string; staffId: string }[];
    const { start, staffId } = free[Math.floor(free.length / 2)]!;
    const racers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        client.mutation("appointments.create", { branchId, serviceId, staffId, start, customer: { phone: `+4915730${String(i).padStart(5, "0")}`, name: "Wettläuferin" }, idempotencyKey: `scale-race-${i}` }, token),
      ),
    );
    expect(racers.map((r) => r.status).sort(), JSON.stringify(racers[0]!.body)).toEqual([200, ...Array.from({ length: 29 }, () => 409)]);
    const company = await scratch.db.company.findUniqueOrThrow({ where: { slug: "simple-salon" } });
    expect(await overlappingPairs(scratch.db, company.id)).toEqual({ staff: 0, rooms: 0 });
  });

  it("every booking's confirmation goes out exactly once, through either relay and either worker", async () => {
    const { token } = await client.login("desk@matrix-spa.example");
    const branchId = (await client.query("directory.branches", undefined, token)).data[0].id as string;
    const services = (await client.query("directory.services", { branchId }, token)).data as { id: string; name: string }[];
    const serviceId = services.find((s) => s.name === "Maniküre")?.id ?? services[0]!.id;
    const slots = (await client.query("availability.slots", { branchId, serviceId, from: nextDate(8), days: 3 }, token)).data.slots as { start: string; staffId: string }[];
    const booked: string[] = [];
    for (const [i, slot] of slots.filter((_, k) => k % 5 === 0).slice(0, 20).entries()) {
      const res = await client.mutation("appointments.create", { branchId, serviceId, start: slot.start, staffId: slot.staffId, customer: { phone: `+4915731${String(i).padStart(5, "0")}`, name: "Kundin" }, idempotencyKey: `confirm-${i}` }, token);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      booked.push(res.data.id as string);
    }
    // Both relays and both workers race over the same outbox rows and jobs.
    await expect.poll(() => scratch.db.outboxEvent.count({ where: { aggregateId: { in: booked }, dispatchedAt: null } }), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => sms.messages.filter((m) => m.to.startsWith("+4915731")).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(booked.length);
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // a late duplicate would arrive now
    const sent = await scratch.db.message.groupBy({ by: ["appointmentId"], where: { appointmentId: { in: booked }, kind: "confirmation", channel: "sms" }, _count: true });
    expect(sent).toHaveLength(booked.length);
    expect(sent.every((m) => m._count === 1)).toBe(true);
    // at the gateway too: one SMS per customer of this test (the racers' winner got its own)
    const mine = sms.messages.filter((m) => m.direction === "outbound-api" && m.to.startsWith("+4915731"));
    expect(mine).toHaveLength(booked.length);
    expect(new Set(mine.map((m) => m.to)).size).toBe(booked.length);
  });

  it("every webhook event processed exactly once: repeats shuffled over both API processes, both workers racing", async () => {
    const calls = Array.from({ length: 20 }, () => randomId("call_"));
    const events = calls.flatMap((callId) => (["call_started", "call_ended", "call_analyzed"] as const).map((event) => retellCallEvent(event, { callId, toNumber: DEMO_NUMBERS.salon })));
    const deliveries = events.flatMap((body) => [body, body, body]).sort(() => Math.random() - 0.5);
    const statuses = await Promise.all(
      deliveries.map(async (body) => {
        const d = signedDelivery("retell", body, DEMO_SECRETS);
        const res = await fetch(`${base}${d.path}`, { method: "POST", headers: d.headers, body: d.body });
        await res.arrayBuffer();
        return res.status;
      }),
    );
    expect(statuses.every((s) => s === 204 || s === 200), JSON.stringify(statuses)).toBe(true);
    const eventIds = events.map((e) => `${e.call.call_id}:${e.event}`);
    await expect.poll(() => scratch.db.webhookEvent.count({ where: { eventId: { in: eventIds }, processedAt: { not: null } } }), { timeout: 30_000 }).toBe(events.length);
    expect(await scratch.db.webhookEvent.count({ where: { eventId: { in: eventIds } } })).toBe(events.length);
    const records = await scratch.db.callRecord.findMany({ where: { retellCallId: { in: calls } } });
    expect(records).toHaveLength(calls.length);
    // the final row is the same whichever event a worker happened to take last
    expect(records.map((r) => r.status)).toEqual(calls.map(() => "analyzed"));
    expect(records.every((r) => r.endedAt !== null && r.durationSeconds !== null)).toBe(true);
  });

  it("every appointment of a syncing company exists in Cal.com exactly once, cancelled ones not at all", async () => {
    const { token } = await client.login("owner@simple-salon.example");
    const branchId = (await client.query("directory.branches", undefined, token)).data[0].id as string;
    const serviceId = ((await client.query("directory.services", { branchId }, token)).data as { id: string; durationMinutes: number }[]).find((s) => s.durationMinutes === 30)!.id;
    const free = (await client.query("availability.slots", { branchId, serviceId, from: nextDate(12), days: 2 }, token)).data.slots as { start: string; staffId: string }[];
    const picks = free.filter((_, k) => k % 7 === 0).slice(0, 10);
    const made: { id: string; version: number }[] = [];
    for (const [i, slot] of picks.entries()) {
      const res = await client.mutation("appointments.create", { branchId, serviceId, start: slot.start, staffId: slot.staffId, customer: { phone: `+4915732${String(i).padStart(5, "0")}`, name: "Sync Kundin" }, idempotencyKey: `scale-sync-${i}` }, token);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      made.push(res.data);
    }
    const cancelled = made.slice(0, 3).map((a) => a.id);
    for (const id of cancelled) expect((await client.mutation("appointments.cancel", { id }, token)).status).toBe(200);
    const live = made.slice(3).map((a) => a.id);
    const active = () => cal.bookings().filter((b) => b.booking.status !== "cancelled" && b.booking.status !== "rejected");
    await expect
      .poll(async () => (scratch.db.appointment.count({ where: { id: { in: [...live, ...cancelled] }, calendarSyncStatus: { in: ["pending", "failed"] } } })), { timeout: 60_000, interval: 500 })
      .toBe(0);
    const byAppointment = new Map<string, number>();
    for (const b of active()) {
      const id = String(b.booking.metadata.askproaiAppointmentId ?? "");
      byAppointment.set(id, (byAppointment.get(id) ?? 0) + 1);
    }
    for (const id of live) expect(byAppointment.get(id), id).toBe(1);
    for (const id of cancelled) expect(byAppointment.get(id) ?? 0, id).toBe(0);
    const stored = await scratch.db.appointment.findMany({ where: { id: { in: live } }, select: { calcomBookingUid: true } });
    expect(new Set(stored.map((a) => a.calcomBookingUid)).size).toBe(live.length);
  });
});
