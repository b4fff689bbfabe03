/**
 * The waitlist against the real PostgreSQL (and Redis for the availability cache), with the SMS
 * gateway stand-in over real HTTP for the offers, and a controllable clock for holds and quiet hours.
 */
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { getAvailability } from "../availability/answer.js";
import { cancelAppointment, createAppointment } from "../booking/index.js";
import { poolOf } from "../client.js";
import { contextFor, type OperationContext } from "../context.js";
import { deliverMessage } from "../messaging/deliver.js";
import { at, bookingRequest, createFixtureCompany, localDate, overlappingPairs, useMessagingStandIns, type FixtureCompany } from "../testing/index.js";
import { useTestbed } from "../testing/testbed.js";
import { joinWaitlist, listWaitlist, cancelWaitlistEntry } from "./entries.js";
import { parseReply, respondToReply } from "./respond.js";
import { sweepWaitlist } from "./sweep.js";

const { bed } = useTestbed();
const gw = useMessagingStandIns();
const Z = "Europe/Berlin";
const MIN = 60_000;
const berlin = (iso: string) => DateTime.fromISO(iso, { zone: Z }).toMillis();
let seq = 0;
const phone = () => `+49160${String(1_000_000 + Math.floor(Math.random() * 8_999_999))}`;
const ctxAt = (f: Pick<FixtureCompany, "companyId">, now?: number): OperationContext =>
  contextFor(bed.deps, { companyId: f.companyId, correlationId: `wl-${seq++}`, actor: { type: "user" }, source: "desktop", now: now === undefined ? undefined : () => now });

/** A company with one staff member, a day whose 10:00 is booked, and customers waiting for exactly that time. */
const scene = async (waiting: number) => {
  const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
  const day = localDate(4);
  const booked = await createAppointment(ctxAt(f), bookingRequest(f, { start: at(day, "10:00"), staffId: f.staffIds[0] }));
  // The clock of the test: noon the day before (never in quiet hours, whenever the suite runs).
  const t0 = berlin(`${localDate(3)}T12:00`);
  const customers: { phone: string; entryId: string }[] = [];
  for (let i = 0; i < waiting; i++) {
    const p = phone();
    const entry = await joinWaitlist(ctxAt(f, t0), {
      branchId: f.branchId, serviceId: f.serviceIds.short, customer: { phone: p, name: `Wartend ${i + 1}` },
      fromDate: day, toDate: day, earliestTime: "10:00", latestTime: "10:00",
    });
    customers.push({ phone: p, entryId: entry.id });
  }
  return { f, day, booked, t0, customers };
};
/** The sweep is system-wide: tests look at their own company's offers (`offersOf`), not its totals. */
const sweep = (now: number) => sweepWaitlist(bed.deps, now);
const outstanding = async (f: FixtureCompany) => (await offersOf(f)).filter((o) => o.state === "offered").length;
const offersOf = async (f: FixtureCompany) =>
  (await poolOf(bed.scratch.db).query<{ entry_id: string; state: string; starts_at: Date; code: string; id: string }>(
    "SELECT id, entry_id, state, starts_at, code FROM waitlist_offers WHERE company_id = $1 ORDER BY created_at", [f.companyId],
  )).rows;
const tenOClockFree = async (f: FixtureCompany, day: string) =>
  (await getAvailability(ctxAt(f), { branchId: f.branchId, serviceId: f.serviceIds.short, from: day, days: 1 })).slots.some((s) => Date.parse(s.start) === Date.parse(at(day, "10:00")));
const reply = (from: string, body: string, now: number) => respondToReply(bed.deps, { from, body, correlationId: `sms-${seq++}`, now: () => now });

describe("replies", () => {
  it("are read as yes or no with an optional code", () => {
    expect(parseReply("Ja")).toEqual({ intent: "yes" });
    expect(parseReply(" ja, 4711 ")).toEqual({ intent: "yes", code: "4711" });
    expect(parseReply("YES 1234!")).toEqual({ intent: "yes", code: "1234" });
    expect(parseReply("nein danke")).toEqual({ intent: "no" });
    expect(parseReply("Wann genau?")).toEqual({ intent: "other" });
  });
});

describe("freed slots", () => {
  it("a cancellation offers the slot to the first in line with a hold; while held nobody else sees or gets it; YES books it", async () => {
    const { f, day, booked, t0, customers } = await scene(2);
    await sweep(t0);
    expect(await offersOf(f)).toEqual([]);
    await cancelAppointment(ctxAt(f), { id: booked.id });
    expect(await tenOClockFree(f, day)).toBe(true);

    const swept = await sweep(t0);
    const [offer] = await offersOf(f);
    expect(offer).toMatchObject({ entry_id: customers[0]!.entryId, state: "offered", starts_at: new Date(at(day, "10:00")) });
    // Held: hidden from the desk's and the voice agent's availability (cached answers included), refused to a booking.
    expect(await tenOClockFree(f, day)).toBe(false);
    await expect(createAppointment(ctxAt(f), bookingRequest(f, { start: at(day, "10:00"), staffId: f.staffIds[0] }))).rejects.toMatchObject({ code: "CONFLICT" });
    // The second in line is offered nothing while the first decides.
    await sweep(t0 + MIN);
    expect(await offersOf(f)).toHaveLength(1);

    // The offer SMS names the slot and the reply code.
    const mine = swept.messages.filter((m) => m.companyId === f.companyId);
    expect(mine).toHaveLength(1);
    expect(await deliverMessage(ctxAt(f, t0), gw.transports, mine[0]!.messageId)).toEqual({ state: "sent" });
    const text = gw.sms.messages.find((m) => m.to === customers[0]!.phone)!.body;
    expect(text).toContain(`JA ${offer!.code}`);
    expect(text).toMatch(/um 10:00 Uhr/);
    expect(text).toContain("in den nächsten 10 Minuten");

    const answer = await reply(customers[0]!.phone, "Ja", t0 + 3 * MIN);
    expect(answer.outcome).toBe("booked");
    const appointment = await bed.scratch.db.appointment.findUniqueOrThrow({ where: { id: answer.appointmentId! } });
    expect(appointment).toMatchObject({ status: "confirmed", source: "waitlist", startsAt: new Date(at(day, "10:00")), idempotencyKey: `waitlist-offer:${offer!.id}` });
    const audit = await bed.scratch.db.appointmentAudit.findFirstOrThrow({ where: { appointmentId: appointment.id } });
    expect(audit).toMatchObject({ action: "created", actorType: "customer", actorId: appointment.customerId });
    // The booking announces itself like any other: its confirmation SMS follows through the outbox.
    expect(await bed.scratch.db.outboxEvent.count({ where: { aggregateId: appointment.id, topic: "notification.send" } })).toBe(1);
    expect((await offersOf(f))[0]!.state).toBe("accepted");
    const [entry] = await listWaitlist(ctxAt(f), { state: "booked", limit: 10 });
    expect(entry).toMatchObject({ id: customers[0]!.entryId, appointmentId: appointment.id });
    // A repeated YES books nothing more.
    expect((await reply(customers[0]!.phone, "JA", t0 + 4 * MIN)).outcome).toBe("already_booked");
    expect(await bed.scratch.db.appointment.count({ where: { companyId: f.companyId, status: "confirmed" } })).toBe(1);
    expect(await bed.scratch.db.appointmentLock.count({ where: { companyId: f.companyId } })).toBe(0);
  });

  it("a hold that expires moves the offer to the next in line; the late first YES is told it is gone; never double-booked", async () => {
    const { f, day, booked, t0, customers } = await scene(3);
    await cancelAppointment(ctxAt(f), { id: booked.id });
    await sweep(t0);
    expect((await offersOf(f)).map((o) => [o.entry_id, o.state])).toEqual([[customers[0]!.entryId, "offered"]]);

    // Ten minutes later the hold has run out: the same sweep frees the slot and offers it to the second.
    await sweep(t0 + 10 * MIN + 1);
    expect((await offersOf(f)).map((o) => [o.entry_id, o.state])).toEqual([[customers[0]!.entryId, "expired"], [customers[1]!.entryId, "offered"]]);
    expect(await tenOClockFree(f, day)).toBe(false);

    const late = await reply(customers[0]!.phone, "JA", t0 + 11 * MIN);
    expect(late.outcome).toBe("gone");
    expect(late.messageIds).toHaveLength(1);
    await deliverMessage(ctxAt(f, t0 + 11 * MIN), gw.transports, late.messageIds[0]!);
    expect(gw.sms.messages.find((m) => m.to === customers[0]!.phone)!.body).toMatch(/Leider ist der Termin .* um 10:00 Uhr nicht mehr frei/);

    expect((await reply(customers[1]!.phone, "ja", t0 + 12 * MIN)).outcome).toBe("booked");
    // The third never got an offer, and nobody can take the slot twice.
    expect((await reply(customers[2]!.phone, "JA", t0 + 13 * MIN)).outcome).toBe("ignored");
    expect(await overlappingPairs(bed.scratch.db, f.companyId)).toEqual({ staff: 0, rooms: 0 });
    expect(await bed.scratch.db.appointment.count({ where: { companyId: f.companyId, status: "confirmed" } })).toBe(1);
  });

  it("NO frees the slot for the next in line at once; a cancelled entry's offer is withdrawn", async () => {
    const { f, booked, t0, customers } = await scene(3);
    await cancelAppointment(ctxAt(f), { id: booked.id });
    await sweep(t0);
    expect((await reply(customers[0]!.phone, "Nein", t0 + MIN)).outcome).toBe("declined");
    await sweep(t0 + MIN);
    expect((await offersOf(f)).map((o) => o.state)).toEqual(["declined", "offered"]);
    await cancelWaitlistEntry(ctxAt(f), customers[1]!.entryId);
    await sweep(t0 + 2 * MIN);
    expect((await offersOf(f)).map((o) => [o.entry_id, o.state])).toEqual([
      [customers[0]!.entryId, "declined"], [customers[1]!.entryId, "withdrawn"], [customers[2]!.entryId, "offered"],
    ]);
  });

  it("two sweeps at once never put out two offers of one slot", async () => {
    const { f, booked, t0 } = await scene(4);
    await cancelAppointment(ctxAt(f), { id: booked.id });
    await Promise.all([sweep(t0), sweep(t0), sweep(t0)]);
    expect(await offersOf(f)).toHaveLength(1);
    expect(await outstanding(f)).toBe(1);
  });

  it("no offers in quiet hours: a slot freed at 22:00 is offered at 08:00", async () => {
    const { f, booked, customers } = await scene(1);
    await cancelAppointment(ctxAt(f), { id: booked.id });
    const night = berlin(`${localDate(3)}T22:00`);
    await sweep(night);
    await sweep(berlin(`${localDate(4)}T07:59`));
    expect(await offersOf(f)).toEqual([]);
    await sweep(berlin(`${localDate(4)}T08:00`));
    expect(await outstanding(f)).toBe(1);
    expect((await offersOf(f))[0]!.entry_id).toBe(customers[0]!.entryId);
  });

  it("a customer joins with a number as typed and a window; joining again updates it instead of queueing twice", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const input = { branchId: f.branchId, serviceId: f.serviceIds.short, customer: { phone: "0151 2345 6789", name: "Tippt Normal" }, fromDate: localDate(5), toDate: localDate(9) };
    const first = await joinWaitlist(ctxAt(f), input);
    expect(first).toMatchObject({ state: "waiting", earliestTime: "00:00", latestTime: "23:59", customer: { phone: "+4915123456789" }, offer: null });
    const again = await joinWaitlist(ctxAt(f), { ...input, earliestTime: "14:00", latestTime: "17:30" });
    expect(again).toMatchObject({ id: first.id, earliestTime: "14:00", latestTime: "17:30" });
    expect(await listWaitlist(ctxAt(f), { limit: 10 })).toHaveLength(1);
    await expect(joinWaitlist(ctxAt(f), { ...input, fromDate: localDate(-5), toDate: localDate(-1) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const other = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    await expect(joinWaitlist(ctxAt(f), { ...input, staffId: other.staffIds[0] })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(joinWaitlist(ctxAt(f), { ...input, branchId: other.branchId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
