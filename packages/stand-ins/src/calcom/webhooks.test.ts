import { createHmac, timingSafeEqual } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { call, startReceiver } from "../testing/receiver.js";
import { type CalcomStandIn, DEMO_CALCOM_API_KEY, startCalcomStandIn } from "./index.js";

const SECRET = "calcom-webhook-secret";
const start = new Date(Date.now() + 2 * 86_400_000).toISOString().replace(/T.*/, "T09:00:00.000Z");
const attendee = { name: "Direkt Kundin", timeZone: "Europe/Berlin", email: "kundin@example.org" };

/** Verifies the way a receiver must: HMAC of the raw body, constant-time compare. */
const verifies = (rawBody: string, header: string | string[] | undefined) => {
  const expected = Buffer.from(createHmac("sha256", SECRET).update(rawBody).digest("hex"));
  const given = Buffer.from(String(header));
  return expected.length === given.length && timingSafeEqual(expected, given);
};

let cal: CalcomStandIn;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeEach(async () => {
  receiver = await startReceiver();
  cal = await startCalcomStandIn({ webhooks: [{ url: `${receiver.url}/webhooks/calcom`, secret: SECRET }] });
});
afterEach(async () => {
  await cal.close();
  await receiver.close();
});

describe("Cal.com stand-in: webhooks", () => {
  it("a booking made directly in Cal.com is delivered as BOOKING_CREATED, signed over the raw body", async () => {
    const { booking, deliveries } = await cal.direct.create({ start, eventTypeId: 5, attendee, metadata: {} });
    expect(deliveries).toMatchObject([{ status: 204, triggerEvent: "BOOKING_CREATED", uid: booking.uid }]);
    const [delivery] = receiver.received;
    expect(delivery).toMatchObject({ method: "POST", path: "/webhooks/calcom" });
    expect(delivery!.headers["content-type"]).toBe("application/json");
    expect(delivery!.headers["x-cal-webhook-version"]).toBe("2021-10-20");
    expect(verifies(delivery!.body, delivery!.headers["x-cal-signature-256"])).toBe(true);
    expect(verifies(delivery!.body.replace("Direkt", "Falsch"), delivery!.headers["x-cal-signature-256"])).toBe(false);
    const event = JSON.parse(delivery!.body);
    expect(event).toMatchObject({
      triggerEvent: "BOOKING_CREATED",
      payload: { uid: booking.uid, bookingId: booking.id, eventTypeId: 5, startTime: start, endTime: booking.end, status: "ACCEPTED", length: 30 },
    });
    expect(event.payload.attendees[0]).toMatchObject({ name: "Direkt Kundin", email: "kundin@example.org", timeZone: "Europe/Berlin", firstName: "Direkt" });
    expect(Date.parse(event.createdAt)).not.toBeNaN();
    expect(cal.bookings()[0]).toMatchObject({ origin: "direct", apiKey: DEMO_CALCOM_API_KEY });
  });

  it("a direct reschedule is BOOKING_RESCHEDULED with the new uid and rescheduleUid pointing back; a cancel is BOOKING_CANCELLED", async () => {
    const created = await cal.direct.create({ start, eventTypeId: 5, attendee });
    const later = new Date(Date.parse(start) + 3_600_000).toISOString();
    const moved = await cal.direct.reschedule(created.booking.uid, { start: later, reason: "Kundin krank" });
    const rescheduled = JSON.parse(receiver.received[1]!.body);
    expect(rescheduled.triggerEvent).toBe("BOOKING_RESCHEDULED");
    expect(rescheduled.payload).toMatchObject({ uid: moved.booking.uid, rescheduleUid: created.booking.uid, startTime: later, rescheduleStartTime: start });
    expect(moved.booking.uid).not.toBe(created.booking.uid);

    await cal.direct.cancel(moved.booking.uid, { reason: "abgesagt" });
    const cancelled = JSON.parse(receiver.received[2]!.body);
    expect(cancelled).toMatchObject({ triggerEvent: "BOOKING_CANCELLED", payload: { uid: moved.booking.uid, status: "CANCELLED", cancellationReason: "abgesagt" } });
    expect(receiver.received.every((r) => verifies(r.body, r.headers["x-cal-signature-256"]))).toBe(true);
  });

  it("a lost webhook is never sent, yet the booking is there for reconciliation through the API", async () => {
    const { booking, deliveries } = await cal.direct.create({ start, eventTypeId: 5, attendee, deliver: false });
    expect(deliveries).toMatchObject([{ lost: true }]);
    expect(receiver.received).toHaveLength(0);
    const list = await call(`${cal.url}/v2/bookings?afterStart=${encodeURIComponent(start)}`, {
      headers: { authorization: `Bearer ${DEMO_CALCOM_API_KEY}`, "cal-api-version": "2024-08-13" },
    });
    expect(list.body.data.map((b: any) => b.uid)).toEqual([booking.uid]);
  });

  it("echoes changes made through the API with their metadata, as Cal.com does; the echo can be switched off", async () => {
    const headers = { authorization: `Bearer ${DEMO_CALCOM_API_KEY}`, "cal-api-version": "2024-08-13" };
    const created = await call(`${cal.url}/v2/bookings`, { headers, body: { start, eventTypeId: 5, attendee, metadata: { askproaiAppointmentId: "a-1" } } });
    await cal.webhooksSettled();
    expect(JSON.parse(receiver.received[0]!.body).payload).toMatchObject({ uid: created.body.data.uid, metadata: { askproaiAppointmentId: "a-1" } });

    await call(`${cal.url}/__standin/echo`, { method: "PUT", body: { enabled: false } });
    await call(`${cal.url}/v2/bookings/${created.body.data.uid}/cancel`, { headers, body: {} });
    await cal.webhooksSettled();
    expect(receiver.received).toHaveLength(1);
  });

  it("is driven over HTTP: subscribe, make direct bookings, read deliveries; without a secret the signature is the literal no-secret-provided", async () => {
    const other = await startReceiver(500);
    try {
      const sub = await call(`${cal.url}/__standin/webhooks`, { body: { url: other.url } });
      expect(sub.status).toBe(201);
      const made = await call(`${cal.url}/__standin/direct/bookings`, { body: { start, eventTypeId: 5, attendee } });
      expect(made.status).toBe(201);
      expect(other.received[0]!.headers["x-cal-signature-256"]).toBe("no-secret-provided");
      expect(made.body.deliveries.map((d: any) => d.status).sort()).toEqual([204, 500]);
      const moved = await call(`${cal.url}/__standin/direct/bookings/${made.body.booking.uid}/reschedule`, {
        body: { start: new Date(Date.parse(start) + 7_200_000).toISOString(), deliver: false },
      });
      expect(moved.status).toBe(201);
      const cancelled = await call(`${cal.url}/__standin/direct/bookings/${moved.body.booking.uid}/cancel`, { body: {} });
      expect(cancelled.body.booking.status).toBe("cancelled");
      const deliveries = (await call(`${cal.url}/__standin/webhook-deliveries`)).body;
      expect(deliveries.map((d: any) => `${d.triggerEvent}${d.lost ? " lost" : ""}`)).toEqual([
        "BOOKING_CREATED",
        "BOOKING_CREATED",
        "BOOKING_RESCHEDULED lost",
        "BOOKING_RESCHEDULED lost",
        "BOOKING_CANCELLED",
        "BOOKING_CANCELLED",
      ]);
      const missing = await call(`${cal.url}/__standin/direct/bookings/nope/cancel`, { body: {} });
      expect(missing.status).toBe(404);
    } finally {
      await other.close();
    }
  });
});
