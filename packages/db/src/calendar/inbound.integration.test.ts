/**
 * Inbound from Cal.com and reconciliation, against the real PostgreSQL, Redis (the availability cache)
 * and the Cal.com stand-in over real HTTP: bookings made directly in Cal.com block their time here at
 * once, our own echoes are ignored, clashes become conflicts (never overlaps), and lost webhooks are
 * repaired by the reconciliation in both directions.
 */
import { createSecretBox } from "@askproai/shared/server";
import { startCalcomStandIn, type CalcomStandIn } from "@askproai/stand-ins";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAppointment } from "../booking/create.js";
import { cancelAppointment } from "../booking/status-change.js";
import { poolOf } from "../client.js";
import type { OperationContext } from "../context.js";
import { TEST_EVENT_TYPES, TEST_SECRETS_KEY, connectCalendar, testCalcomKey } from "../testing/calendar.js";
import { createFixtureCompany, type FixtureCompany } from "../testing/fixtures.js";
import { capturingLog } from "../testing/messaging.js";
import { at, bookingRequest, localDate, overlappingPairs } from "../testing/operations.js";
import { useTestbed } from "../testing/testbed.js";
import { CalendarBreakers } from "./breaker.js";
import { calendarStatus } from "./connection.js";
import { applyCalcomWebhook } from "./inbound.js";
import { reconcileCompany } from "./reconcile.js";
import type { CalendarRuntime } from "./runtime.js";
import { syncAppointment } from "./sync.js";

const { bed, ctx, slots } = useTestbed();
let calcom: CalcomStandIn;
let runtime: CalendarRuntime;
const logged = capturingLog();
beforeAll(async () => {
  calcom = await startCalcomStandIn({ apiKeys: [], eventTypes: { [TEST_EVENT_TYPES.short]: 30, [TEST_EVENT_TYPES.long]: 90 }, rateLimit: false });
  // Deliveries are recorded per subscriber (lost ones too); the tests apply the bodies Cal.com sent.
  calcom.subscribe({ url: `${calcom.url}/__standin/nowhere`, secret: "test-webhook-secret" });
  runtime = { apiUrl: calcom.url, secrets: createSecretBox(TEST_SECRETS_KEY), breakers: new CalendarBreakers(bed.scratch.db, logged.log), timeoutMs: 2_000 };
});
afterAll(async () => calcom?.close());

const USER = 4242;
const connected = async () => {
  const f = await createFixtureCompany(bed.scratch.db, { staffCount: 2 });
  const key = testCalcomKey();
  calcom.addApiKey(key);
  await connectCalendar(bed.scratch.db, f, key, { userIds: [USER, USER + 1] });
  return { f, key };
};
const attendee = { name: "Direkt Gebucht", timeZone: "Europe/Berlin", email: "direkt@example.org", phoneNumber: "+4915790001122" };
/** The webhook body Cal.com sent (or would have sent, for a lost one) for a booking uid. */
const webhookBody = (uid: string, trigger: string) => JSON.parse(calcom.deliveries.filter((d) => d.uid === uid && d.triggerEvent === trigger).at(-1)!.body) as unknown;
const apply = (c: OperationContext, body: unknown) => c.sql.transaction((tx) => applyCalcomWebhook(tx, c, body));
const startsOf = async (f: FixtureCompany, day: string, staffId: string) => (await slots(f, { from: day, staffId })).slots.map((s) => Date.parse(s.start));
const row = async (id: string) =>
  (await poolOf(bed.scratch.db).query<{ status: string; source: string; start: Date; uid: string | null; staff: string }>(
    "SELECT status::text, source::text, starts_at AS start, calcom_booking_uid AS uid, staff_id AS staff FROM appointments WHERE id = $1", [id],
  )).rows[0]!;

describe("inbound from Cal.com", () => {
  it("a booking made directly in Cal.com blocks its slot at once; moved and cancelled there, it follows; our own echoes are ignored", async () => {
    const { f, key } = await connected();
    const c = ctx(f, "corr-inbound");
    const day = localDate(6);
    const staffId = f.staffIds[0]!;
    expect(await startsOf(f, day, staffId)).toContain(Date.parse(at(day, "10:00"))); // cached now
    const made = await calcom.direct.create({ start: new Date(at(day, "10:00")).toISOString(), eventTypeId: TEST_EVENT_TYPES.short, attendee, apiKey: key, userId: USER, deliver: false });
    const started = performance.now();
    const created = await apply(c, webhookBody(made.booking.uid, "BOOKING_CREATED"));
    expect(created.outcome).toBe("blocked");
    expect(await startsOf(f, day, staffId)).not.toContain(Date.parse(at(day, "10:00")));
    console.log(`webhook applied → slot gone from availability in ${(performance.now() - started).toFixed(1)} ms`);
    expect(await row(created.appointmentId!)).toMatchObject({ status: "confirmed", source: "calcom", uid: made.booking.uid, staff: staffId });
    // The same webhook again changes nothing.
    expect((await apply(c, webhookBody(made.booking.uid, "BOOKING_CREATED"))).outcome).toBe("unchanged");

    const moved = await calcom.direct.reschedule(made.booking.uid, { start: new Date(at(day, "15:00")).toISOString(), deliver: false });
    expect((await apply(c, webhookBody(moved.booking.uid, "BOOKING_RESCHEDULED"))).outcome).toBe("moved");
    expect(await startsOf(f, day, staffId)).toContain(Date.parse(at(day, "10:00")));
    expect(await startsOf(f, day, staffId)).not.toContain(Date.parse(at(day, "15:00")));
    expect((await row(created.appointmentId!)).uid).toBe(moved.booking.uid);

    await calcom.direct.cancel(moved.booking.uid, { deliver: false });
    expect((await apply(c, webhookBody(moved.booking.uid, "BOOKING_CANCELLED"))).outcome).toBe("released");
    expect(await startsOf(f, day, staffId)).toContain(Date.parse(at(day, "15:00")));
    expect((await row(created.appointmentId!)).status).toBe("cancelled");

    // Our own booking, echoed back by Cal.com: recognised by its metadata, nothing blocked twice.
    const ours = await createAppointment(c, bookingRequest(f, { start: at(day, "12:00"), staffId }));
    const synced = await syncAppointment(c, runtime, ours.id);
    await calcom.webhooksSettled();
    expect((await apply(c, webhookBody(synced.uid!, "BOOKING_CREATED"))).outcome).toBe("ignored_own");
    expect(await overlappingPairs(bed.scratch.db, f.companyId)).toEqual({ staff: 0, rooms: 0 });
    // A booking of a Cal.com user mapped to nobody here blocks nothing.
    const stranger = await calcom.direct.create({ start: new Date(at(day, "16:00")).toISOString(), eventTypeId: TEST_EVENT_TYPES.short, attendee, apiKey: key, userId: 9999, deliver: false });
    expect((await apply(c, webhookBody(stranger.booking.uid, "BOOKING_CREATED"))).outcome).toBe("ignored_unmapped");
    expect(logged.lines.join("\n")).not.toContain(attendee.email);
  });

  it("a clash with a local appointment is recorded as a conflict for the desk; no overlap exists in SQL", async () => {
    const { f, key } = await connected();
    const c = ctx(f, "corr-clash");
    const day = localDate(7);
    const staffId = f.staffIds[0]!;
    const local = await createAppointment(c, bookingRequest(f, { start: at(day, "11:00"), staffId }));
    const made = await calcom.direct.create({ start: new Date(at(day, "11:15")).toISOString(), eventTypeId: TEST_EVENT_TYPES.short, attendee, apiKey: key, userId: USER, deliver: false });
    const result = await apply(c, webhookBody(made.booking.uid, "BOOKING_CREATED"));
    expect(result).toMatchObject({ outcome: "conflict", appointmentId: local.id });
    expect(await overlappingPairs(bed.scratch.db, f.companyId)).toEqual({ staff: 0, rooms: 0 });
    const conflicts = (await poolOf(bed.scratch.db).query("SELECT calcom_booking_uid, appointment_id, staff_id, resolved_at FROM calendar_conflicts WHERE company_id = $1", [f.companyId])).rows;
    expect(conflicts).toEqual([{ calcom_booking_uid: made.booking.uid, appointment_id: local.id, staff_id: staffId, resolved_at: null }]);
    expect((await calendarStatus(c)).openConflicts).toBe(1);
    // The desk cancels the local one: the next look at Cal.com (the reconciliation) blocks the time, the conflict is resolved.
    await cancelAppointment(c, { id: local.id });
    await reconcileCompany(c, runtime);
    expect((await calendarStatus(c)).openConflicts).toBe(0);
    expect(await startsOf(f, day, staffId)).not.toContain(Date.parse(at(day, "11:00")));
    expect(await overlappingPairs(bed.scratch.db, f.companyId)).toEqual({ staff: 0, rooms: 0 });
  });
});

describe("reconciliation", () => {
  it("repairs lost webhooks (a booking made and one cancelled in Cal.com) and lost or duplicated syncs of ours", async () => {
    const { f, key } = await connected();
    const c = ctx(f, "corr-reconcile");
    const day = localDate(8);
    const staffId = f.staffIds[1]!;
    // Lost webhook: made in Cal.com, never delivered.
    const lost = await calcom.direct.create({ start: new Date(at(day, "09:00")).toISOString(), eventTypeId: TEST_EVENT_TYPES.long, attendee, apiKey: key, userId: USER + 1, deliver: false });
    // Our appointment whose sync job was lost (Redis) and one whose booking exists twice in Cal.com.
    const unsynced = await createAppointment(c, bookingRequest(f, { start: at(day, "14:00"), staffId: f.staffIds[0] }));
    const doubled = await createAppointment(c, bookingRequest(f, { start: at(day, "16:00"), staffId: f.staffIds[0] }));
    await syncAppointment(c, runtime, doubled.id);
    await calcom.direct.create({ start: new Date(at(day, "16:00")).toISOString(), eventTypeId: TEST_EVENT_TYPES.short, attendee, apiKey: key, metadata: { askproaiAppointmentId: doubled.id }, deliver: false });
    expect(calcom.bookings().filter((b) => b.booking.metadata.askproaiAppointmentId === doubled.id && b.booking.status === "accepted")).toHaveLength(2);

    const first = await reconcileCompany(c, runtime, { staleSyncMs: 0 });
    expect(first.inbound).toMatchObject({ blocked: 1 });
    expect(await startsOf(f, day, staffId)).not.toContain(Date.parse(at(day, "09:00")));
    expect(first.toSync.sort()).toEqual([unsynced.id, doubled.id].sort());
    for (const id of first.toSync) await syncAppointment(c, runtime, id, { repair: true });
    const liveOf = (id: string) => calcom.bookings().filter((b) => b.booking.metadata.askproaiAppointmentId === id && b.booking.status === "accepted");
    expect(liveOf(unsynced.id)).toHaveLength(1);
    expect(liveOf(doubled.id)).toHaveLength(1);

    // Cancelled in Cal.com, webhook lost: the block is released by the next reconciliation.
    await calcom.direct.cancel(lost.booking.uid, { deliver: false });
    const second = await reconcileCompany(c, runtime, { staleSyncMs: 0 });
    expect(second.inbound).toMatchObject({ released: 1 });
    expect(second.toSync).toEqual([]);
    expect(await startsOf(f, day, staffId)).toContain(Date.parse(at(day, "09:00")));
    expect((await calendarStatus(c)).reconciledAt).not.toBeNull();
    expect(await overlappingPairs(bed.scratch.db, f.companyId)).toEqual({ staff: 0, rooms: 0 });
  });
});
