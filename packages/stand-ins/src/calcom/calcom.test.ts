import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { call } from "../testing/receiver.js";
import { type CalcomStandIn, DEMO_CALCOM_API_KEY, startCalcomStandIn } from "./index.js";

const HOUR = 3_600_000;
const future = (hours: number) => new Date(Math.ceil(Date.now() / HOUR) * HOUR + hours * HOUR).toISOString();
const headers = (key = DEMO_CALCOM_API_KEY) => ({ authorization: `Bearer ${key}`, "cal-api-version": "2024-08-13" });
const bookingBody = (start: string, extra: Record<string, unknown> = {}) => ({
  start,
  eventTypeId: 11,
  attendee: { name: "Erika Mustermann", timeZone: "Europe/Berlin", phoneNumber: "+4915123456789", language: "de" },
  metadata: { askproaiAppointmentId: "appt-1" },
  ...extra,
});

let cal: CalcomStandIn;
beforeEach(async () => {
  cal = await startCalcomStandIn({ eventTypes: { 11: 90 } });
});
afterEach(() => cal.close());

const create = (start: string, extra?: Record<string, unknown>, key?: string) =>
  call(`${cal.url}/v2/bookings`, { headers: headers(key), body: bookingBody(start, extra) });

describe("Cal.com stand-in: bookings", () => {
  it("creates a booking with Cal.com's 201 shape and the event type's duration, readable by uid and in the list", async () => {
    const start = future(24);
    const created = await create(start);
    expect(created.status).toBe(201);
    expect(created.body.status).toBe("success");
    const booking = created.body.data;
    expect(booking).toMatchObject({
      start,
      end: new Date(Date.parse(start) + 90 * 60_000).toISOString(),
      duration: 90,
      eventTypeId: 11,
      eventType: { id: 11 },
      status: "accepted",
      metadata: { askproaiAppointmentId: "appt-1" },
      attendees: [{ name: "Erika Mustermann", timeZone: "Europe/Berlin", phoneNumber: "+4915123456789", language: "de" }],
    });
    expect(typeof booking.id).toBe("number");
    expect(booking.uid).toMatch(/^[A-Za-z0-9]{22}$/);
    expect(created.headers.get("x-request-id")).toBeTruthy();

    const byUid = await call(`${cal.url}/v2/bookings/${booking.uid}`, { headers: headers() });
    expect(byUid.body).toEqual({ status: "success", data: booking });
    const list = await call(`${cal.url}/v2/bookings`, { headers: headers() });
    expect(list.body.data.map((b: any) => b.uid)).toEqual([booking.uid]);
    expect(cal.bookings()[0]).toMatchObject({ apiKey: DEMO_CALCOM_API_KEY, origin: "api" });
    expect(cal.requests.at(-1)).toMatchObject({ method: "GET", path: "/v2/bookings" });
    expect(cal.requests[0]!.body).toEqual(bookingBody(start));
  });

  it("answers 401 in Cal.com's error shape without a key or with an unknown one, and accepts a key added over HTTP", async () => {
    const none = await call(`${cal.url}/v2/bookings`, { headers: { "cal-api-version": "2024-08-13" } });
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ status: "error", path: "/v2/bookings", error: { code: "UnauthorizedException" } });
    const unknown = await create(future(5), {}, "cal_someone_else");
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.message).toBe("Invalid API Key");

    expect((await call(`${cal.url}/__standin/keys`, { body: { key: "cal_someone_else" } })).status).toBe(204);
    expect((await create(future(5), {}, "cal_someone_else")).status).toBe(201);
  });

  it("refuses a request without cal-api-version 2024-08-13", async () => {
    for (const version of [undefined, "2024-04-15"]) {
      const res = await call(`${cal.url}/v2/bookings`, {
        headers: { authorization: `Bearer ${DEMO_CALCOM_API_KEY}`, ...(version ? { "cal-api-version": version } : {}) },
        body: bookingBody(future(5)),
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: "BadRequestException", message: expect.stringContaining("cal-api-version") });
    }
    expect(cal.bookings()).toHaveLength(0);
  });

  it("answers 400 naming what is wrong and stores nothing", async () => {
    const cases: [unknown, string][] = [
      [bookingBody(future(5), { attendee: { name: "A", timeZone: "Mars/Olympus", phoneNumber: "+4915123456789" } }), "attendee.timeZone"],
      [bookingBody(future(5), { attendee: { name: "A", timeZone: "Europe/Berlin", phoneNumber: "0151 234" } }), "attendee.phoneNumber"],
      [bookingBody(future(5), { attendee: { name: "A", timeZone: "Europe/Berlin" } }), "either email or phoneNumber"],
      [bookingBody("2030-01-01T10:00:00+01:00"), "UTC"],
      [bookingBody(future(5), { eventTypeId: "eleven" }), "eventTypeId"],
      [bookingBody(future(5), { metadata: { ["k".repeat(41)]: "v" } }), "40 characters"],
      [bookingBody("2020-01-01T10:00:00Z"), "in the past"],
    ];
    for (const [body, expected] of cases) {
      const res = await call(`${cal.url}/v2/bookings`, { headers: headers(), body });
      expect(res.status, expected).toBe(400);
      expect(res.body.error.code).toBe("BadRequestException");
      expect(res.body.error.message).toContain(expected);
    }
    const badJson = await call(`${cal.url}/v2/bookings`, { headers: headers(), raw: "{not json" });
    expect(badJson.status).toBe(400);
    expect(badJson.body.error.message).toContain("not valid JSON");
    expect(cal.bookings()).toHaveLength(0);
  });

  it("cancels once (a second cancel is a 400 as in Cal.com) and answers 404 for an unknown uid", async () => {
    const { body } = await create(future(30));
    const cancel = await call(`${cal.url}/v2/bookings/${body.data.uid}/cancel`, { headers: headers(), body: { cancellationReason: "customer called" } });
    expect(cancel.status).toBe(200);
    expect(cancel.body.data).toMatchObject({ uid: body.data.uid, status: "cancelled", cancellationReason: "customer called" });
    const again = await call(`${cal.url}/v2/bookings/${body.data.uid}/cancel`, { headers: headers(), body: {} });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toBe("This booking has already been cancelled.");
    const missing = await call(`${cal.url}/v2/bookings/nope/cancel`, { headers: headers(), body: {} });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("NotFoundException");
  });

  it("reschedules into a new booking with a new uid and cancels the old one, linked both ways", async () => {
    const { body } = await create(future(30));
    const newStart = future(50);
    const moved = await call(`${cal.url}/v2/bookings/${body.data.uid}/reschedule`, { headers: headers(), body: { start: newStart, reschedulingReason: "moved by desk" } });
    expect(moved.status).toBe(201);
    expect(moved.body.data.uid).not.toBe(body.data.uid);
    expect(moved.body.data).toMatchObject({ start: newStart, status: "accepted", rescheduledFromUid: body.data.uid, metadata: { askproaiAppointmentId: "appt-1" }, duration: 90 });
    const old = await call(`${cal.url}/v2/bookings/${body.data.uid}`, { headers: headers() });
    expect(old.body.data).toMatchObject({ status: "cancelled", rescheduledToUid: moved.body.data.uid });
    const again = await call(`${cal.url}/v2/bookings/${body.data.uid}/reschedule`, { headers: headers(), body: { start: future(60) } });
    expect(again.status).toBe(400);
  });

  it("lists with afterStart/beforeEnd, status, event types, take/skip, only the key's own bookings", async () => {
    cal.addApiKey("cal_other");
    const starts = [future(10), future(20), future(30), future(40)];
    const uids: string[] = [];
    for (const start of starts) uids.push((await create(start)).body.data.uid);
    await create(future(25), {}, "cal_other");
    await call(`${cal.url}/v2/bookings/${uids[1]}/cancel`, { headers: headers(), body: {} });

    const list = async (query: string) => (await call(`${cal.url}/v2/bookings?${query}`, { headers: headers() })).body;
    expect((await list("")).data.map((b: any) => b.uid)).toEqual(uids);
    expect((await list("status=upcoming")).data.map((b: any) => b.uid)).toEqual([uids[0], uids[2], uids[3]]);
    expect((await list("status=cancelled")).data.map((b: any) => b.uid)).toEqual([uids[1]]);
    const window = await list(`afterStart=${encodeURIComponent(starts[1]!)}&beforeEnd=${encodeURIComponent(new Date(Date.parse(starts[2]!) + 90 * 60_000).toISOString())}`);
    expect(window.data.map((b: any) => b.uid)).toEqual([uids[1], uids[2]]);
    const page = await list("take=2&skip=2");
    expect(page.data.map((b: any) => b.uid)).toEqual([uids[2], uids[3]]);
    expect(page.pagination).toMatchObject({ totalItems: 4, returnedItems: 2, itemsPerPage: 2, currentPage: 2, totalPages: 2, hasNextPage: false, hasPreviousPage: true });
    expect((await list("eventTypeIds=12")).data).toEqual([]);
    expect((await list("sortStart=desc")).data[0].uid).toBe(uids[3]);

    const bad = await call(`${cal.url}/v2/bookings?status=soon&take=1000`, { headers: headers() });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/status/);
  });

  it("limits each key per minute: 429 with Retry-After, other keys unaffected; the limit can be switched off", async () => {
    cal.addApiKey("cal_other");
    cal.setRateLimit({ perMinute: 3 });
    for (let i = 0; i < 3; i++) expect((await call(`${cal.url}/v2/bookings`, { headers: headers() })).status).toBe(200);
    const limited = await call(`${cal.url}/v2/bookings`, { headers: headers() });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(59);
    expect(limited.headers.get("x-ratelimit-remaining-default")).toBe("0");
    expect(limited.body.error.code).toBe("ThrottlerException");
    expect((await call(`${cal.url}/v2/bookings`, { headers: headers("cal_other") })).status).toBe(200);

    const off = await call(`${cal.url}/__standin/rate-limit`, { method: "PUT", body: { perMinute: null } });
    expect(off.body).toEqual({ rateLimit: false });
    expect((await call(`${cal.url}/v2/bookings`, { headers: headers() })).status).toBe(200);
  });

  it("the default limit is Cal.com's 120 a minute", async () => {
    const results = await Promise.all(Array.from({ length: 121 }, () => call(`${cal.url}/v2/bookings`, { headers: headers() })));
    expect(results.filter((r) => r.status === 429)).toHaveLength(1);
  });
});

describe("Cal.com stand-in: per-host refusals (rejectOverlaps)", () => {
  it("answers 409 for an exact duplicate and 400 for an overlap of the same user and event type", async () => {
    await cal.close();
    cal = await startCalcomStandIn({ rejectOverlaps: true });
    const start = future(24);
    expect((await create(start)).status).toBe(201);
    const duplicate = await create(start);
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe("ConflictException");
    const overlap = await create(new Date(Date.parse(start) + 15 * 60_000).toISOString());
    expect(overlap.status).toBe(400);
    expect(overlap.body.error.message).toContain("already has booking");
    expect((await create(start, { eventTypeId: 12 })).status).toBe(201);
  });
});
