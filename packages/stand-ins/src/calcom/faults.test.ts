import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { call } from "../testing/receiver.js";
import { type CalcomStandIn, DEMO_CALCOM_API_KEY, startCalcomStandIn } from "./index.js";

const headers = { authorization: `Bearer ${DEMO_CALCOM_API_KEY}`, "cal-api-version": "2024-08-13" };
const body = (appointmentId: string) => ({
  start: new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d+Z$/, ".000Z"),
  eventTypeId: 7,
  attendee: { name: "Max", timeZone: "Europe/Berlin", phoneNumber: "+4915123456789", language: "de" },
  metadata: { askproaiAppointmentId: appointmentId },
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let cal: CalcomStandIn;
beforeEach(async () => {
  cal = await startCalcomStandIn();
});
afterEach(() => cal.close());

const createBooking = (id: string, signal?: AbortSignal) => call(`${cal.url}/v2/bookings`, { headers, body: body(id), ...(signal ? { signal } : {}) });

describe("Cal.com stand-in: failure injection", () => {
  it("answers 503 in Cal.com's error shape for a number of requests, then recovers; nothing is stored meanwhile", async () => {
    cal.faults.add({ kind: "status", count: 2 });
    for (const id of ["a", "b"]) {
      const res = await createBooking(id);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ status: "error", error: { code: "ServiceUnavailableException" } });
    }
    expect(cal.bookings()).toHaveLength(0);
    expect((await createBooking("c")).status).toBe(201);
    expect(cal.requests.map((r) => r.fault)).toEqual(["status", "status", undefined]);
  });

  it("fails for a time, then recovers", async () => {
    // a window long enough that a loaded machine still sends the first request inside it
    const started = Date.now();
    cal.faults.add({ kind: "status", status: 500, durationMs: 1_500 });
    expect((await createBooking("a")).status).toBe(500);
    expect(cal.bookings()).toHaveLength(0);
    await sleep(Math.max(0, started + 1_600 - Date.now()));
    expect((await createBooking("b")).status).toBe(201);
  });

  it("answers 429 with the injected Retry-After", async () => {
    cal.faults.add({ kind: "rate-limit", retryAfterSeconds: 7, count: 1 });
    const res = await createBooking("a");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(res.body.status).toBe("error");
  });

  it("answers slowly", async () => {
    cal.faults.add({ kind: "slow", delayMs: 300, count: 1 });
    const started = Date.now();
    expect((await createBooking("a")).status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("drops the connection without an answer and stores nothing", async () => {
    cal.faults.add({ kind: "drop", count: 1 });
    await expect(createBooking("a")).rejects.toThrow();
    expect(cal.bookings()).toHaveLength(0);
    expect(cal.requests[0]).toMatchObject({ method: "POST", fault: "drop" });
  });

  it("store-then-timeout: the client gets no answer, yet the booking exists and a reconciling list finds it", async () => {
    cal.faults.add({ kind: "store-then-timeout", count: 1 });
    await expect(createBooking("appt-42")).rejects.toThrow();
    expect(cal.bookings().map((b) => b.booking.metadata)).toEqual([{ askproaiAppointmentId: "appt-42" }]);
    const list = await call(`${cal.url}/v2/bookings?status=upcoming`, { headers });
    expect(list.body.data.map((b: any) => b.metadata.askproaiAppointmentId)).toEqual(["appt-42"]);
  });

  it("store-then-timeout with a hold: the client's own timeout fires while the booking is already stored", async () => {
    cal.faults.add({ kind: "store-then-timeout", delayMs: 60_000, count: 1 });
    // 1.5 s: long enough for a loaded machine to deliver the request before the client gives up
    await expect(createBooking("appt-43", AbortSignal.timeout(1_500))).rejects.toThrow(/abort|timeout/i);
    await expect.poll(() => cal.bookings().length, { timeout: 5_000 }).toBe(1);
  });

  it("applies a fault only to the method and path it names", async () => {
    cal.faults.add({ kind: "status", method: "POST", pathPattern: "/cancel$" });
    const created = await createBooking("a");
    expect(created.status).toBe(201);
    expect((await call(`${cal.url}/v2/bookings/${created.body.data.uid}`, { headers })).status).toBe(200);
    expect((await call(`${cal.url}/v2/bookings/${created.body.data.uid}/cancel`, { headers, body: {} })).status).toBe(503);
  });

  it("is driven over HTTP from another process: add, list and clear faults, read requests, reset", async () => {
    const added = await call(`${cal.url}/__standin/faults`, { body: { kind: "status", status: 502, count: 5 } });
    expect(added.status).toBe(201);
    expect((await createBooking("a")).status).toBe(502);
    expect((await call(`${cal.url}/__standin/faults`)).body).toMatchObject([{ kind: "status", status: 502, hits: 1 }]);
    expect((await call(`${cal.url}/__standin/faults`, { method: "DELETE" })).status).toBe(204);
    expect((await createBooking("b")).status).toBe(201);
    const requests = await call(`${cal.url}/__standin/requests?method=POST&path=/v2/bookings`);
    expect(requests.body.map((r: any) => r.body.metadata.askproaiAppointmentId)).toEqual(["a", "b"]);
    expect((await call(`${cal.url}/__standin/bookings`)).body).toHaveLength(1);

    const bad = await call(`${cal.url}/__standin/faults`, { body: { kind: "explode" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/kind/);

    expect((await call(`${cal.url}/__standin/reset`, { method: "POST" })).status).toBe(204);
    expect((await call(`${cal.url}/__standin/bookings`)).body).toEqual([]);
    expect(cal.requests).toHaveLength(0);
  });
});
