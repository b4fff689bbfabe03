/**
 * Retries, races and holds of the voice functions, over real HTTP against the real PostgreSQL and
 * Redis: Retell's repeats never book twice, two callers and the desk racing for one slot end with one
 * appointment, a held slot is kept for its caller and from everyone else, and holds end with the call.
 */
import { releaseCallHolds } from "@askproai/db/voice";
import { purgeExpiredLocks } from "@askproai/db/booking";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZONE } from "./testing/dates.js";
import { DEMO_NUMBERS, newCall } from "./testing/retell.js";
import { http, startTestApi, type TestApi } from "./testing/server.js";

let api: TestApi;
let desk: { token: string };
let branchId: string;
let serviceId: string;
let staff: Record<"lena" | "murat" | "sophie", string>;
const client = () => http(api.baseUrl);

beforeAll(async () => {
  api = await startTestApi();
  desk = await client().login("desk@simple-salon.example");
  branchId = (await api.scratch.db.branch.findFirstOrThrow({ where: { phoneNumber: DEMO_NUMBERS.salon } })).id;
  serviceId = (await api.scratch.db.service.findFirstOrThrow({ where: { name: "Herrenhaarschnitt" } })).id;
  const byName = async (name: string) => (await api.scratch.db.staff.findFirstOrThrow({ where: { name } })).id;
  staff = { lena: await byName("Lena Hoffmann"), murat: await byName("Murat Yılmaz"), sophie: await byName("Sophie Becker") };
});
afterAll(async () => api?.close());

/** A Tuesday to Thursday at least `days` ahead, Berlin. */
const day = (days: number) => {
  let d = DateTime.now().setZone(ZONE).startOf("day").plus({ days });
  while (![2, 3, 4].includes(d.weekday)) d = d.plus({ days: 1 });
  return d;
};
const at = (d: DateTime, hour: number, minute = 0) => d.set({ hour, minute }).toISO({ suppressMilliseconds: true })!;
const holdsOf = (callId: string) => api.scratch.db.appointmentLock.count({ where: { kind: "hold", holder: `call:${callId}` } });
const deskSlots = async (d: DateTime) =>
  (await client().query("availability.slots", { branchId, serviceId, from: d.toISODate(), days: 1 }, desk.token)).data.slots as { start: string; staffId: string }[];

describe("Retell's repeats", () => {
  it("the same booking sent three times at once and once more later makes one appointment and gets one answer", async () => {
    const d = day(8);
    const call = newCall(api, DEMO_NUMBERS.salon);
    const args = { service: "Herrenhaarschnitt", date: d.toISODate(), time: "11:00", staff: "Murat", customer_name: "Ole Kramer" };
    const replies = await Promise.all([call.fn("book_appointment", args), call.fn("book_appointment", args), call.fn("book_appointment", args)]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // the model may send it with other spacing and case: still the same request
    const later = await call.fn("book_appointment", { ...args, customer_name: " ole kramer ", service: "herrenhaarschnitt" });
    for (const reply of [...replies, later]) expect(reply.body).toEqual(replies[0]!.body);
    expect(replies[0]!.body.ok).toBe(true);
    expect(await api.scratch.db.appointment.count({ where: { retellCallId: call.id } })).toBe(1);
    expect(await api.scratch.db.appointmentAudit.count({ where: { appointmentId: replies[0]!.body.appointment.id } })).toBe(1);
  });

  it("the same check sent three times at once answers the same slots and holds them once", async () => {
    const d = day(9);
    const call = newCall(api, DEMO_NUMBERS.salon);
    const args = { service: "Herrenhaarschnitt", date: d.toISODate(), time: "15:00" };
    const replies = await Promise.all([1, 2, 3].map(() => call.fn("check_availability", args)));
    for (const reply of replies) expect(reply.body).toEqual(replies[0]!.body);
    expect(replies[0]!.body.slots).toHaveLength(5);
    expect(await holdsOf(call.id)).toBe(5);
  });
});

describe("racing for one slot", () => {
  it("two calls and the desk booking the same slot at once: one appointment; the calls that lose hear held alternatives", async () => {
    const d = day(10);
    const start = at(d, 10);
    const a = newCall(api, DEMO_NUMBERS.salon);
    const b = newCall(api, DEMO_NUMBERS.salon);
    const book = { service: "Herrenhaarschnitt", start, staff: "Sophie" };
    const [ra, rb, rd] = await Promise.all([
      a.fn("book_appointment", { ...book, customer_name: "Anna A" }),
      b.fn("book_appointment", { ...book, customer_name: "Bernd B" }),
      client().mutation("appointments.create", { branchId, serviceId, staffId: staff.sophie, start, customer: { phone: "+4915199900001", name: "Desk D" }, idempotencyKey: `race-${start}` }, desk.token),
    ]);
    const winners = [ra.body.ok, rb.body.ok, rd.status === 200].filter(Boolean);
    expect(winners).toHaveLength(1);
    expect(await api.scratch.db.appointment.count({ where: { staffId: staff.sophie, startsAt: new Date(start), status: "confirmed" } })).toBe(1);
    for (const [loser, call] of [[ra, a], [rb, b]] as const) {
      if (loser.body.ok) continue;
      expect(loser.body.reason).toBe("slot_taken");
      expect(loser.body.result).toMatch(/^Dieser Termin ist leider gerade vergeben worden\. Ich hätte stattdessen .*\.$/);
      expect(loser.body.alternatives.length).toBeGreaterThan(0);
      expect(await holdsOf(call.id)).toBe(loser.body.alternatives.length);
    }
    if (rd.status !== 200) expect(rd.status).toBe(409);
  });

  it("a held slot: not offered to another call or the desk, refused to both, and booked by its holder however they race", async () => {
    const d = day(11);
    const before = await deskSlots(d); // warms the desk's cache
    const holder = newCall(api, DEMO_NUMBERS.salon);
    const check = await holder.fn("check_availability", { service: "Herrenhaarschnitt", date: d.toISODate(), time: "09:30", staff: "Lena" });
    const held = check.body.slots as { start: string; staffId: string }[];
    expect(held[0]).toMatchObject({ start: at(d, 9, 30), staffId: staff.lena });
    expect(held.map((s) => s.start)).toContain(at(d, 10));
    expect(held.map((s) => s.start)).not.toContain(at(d, 10, 15));
    expect(before.some((s) => s.start === at(d, 9, 30) && s.staffId === staff.lena)).toBe(true);

    // the desk sees the held slots as taken at once (the cached answer is not reused) …
    const after = await deskSlots(d);
    for (const slot of held) expect(after.some((s) => s.start === slot.start && s.staffId === slot.staffId)).toBe(false);
    // … another call is not offered them …
    const other = newCall(api, DEMO_NUMBERS.salon);
    const offered = await other.fn("check_availability", { service: "Herrenhaarschnitt", date: d.toISODate(), time: "09:30", staff: "Lena" });
    for (const slot of held) expect(offered.body.slots).not.toContainEqual(expect.objectContaining({ start: slot.start }));
    // … and neither the desk nor another call can book one, nor a start overlapping one (10:15 runs into the 10:00 hold)
    const deskTry = await client().mutation(
      "appointments.create",
      { branchId, serviceId, staffId: staff.lena, start: at(d, 9, 30), customer: { phone: "+4915199900002", name: "Desk" }, idempotencyKey: `held-${d.toISODate()}` },
      desk.token,
    );
    expect(deskTry.status).toBe(409);
    const inside = await client().mutation(
      "appointments.create",
      { branchId, serviceId, staffId: staff.lena, start: at(d, 10, 15), customer: { phone: "+4915199900003", name: "Desk" }, idempotencyKey: `inside-${d.toISODate()}` },
      desk.token,
    );
    expect(inside.status).toBe(409);

    // the holder and another call race for the held slot: the holder gets it
    const [mine, theirs] = await Promise.all([
      holder.fn("book_appointment", { service: "Herrenhaarschnitt", start: at(d, 9, 30), customer_name: "Hanna Holder" }),
      other.fn("book_appointment", { service: "Herrenhaarschnitt", start: at(d, 9, 30), staff: "Lena", customer_name: "Otto Other" }),
    ]);
    expect(mine.body).toMatchObject({ ok: true, appointment: { staffName: "Lena Hoffmann", start: at(d, 9, 30) } });
    expect(theirs.body.ok).toBe(false);
    // the holder's other holds ended with the booking
    expect(await holdsOf(holder.id)).toBe(0);
  });

  it("the holder's own overlapping holds never block it (a slot inside another offered one)", async () => {
    const d = day(12);
    const call = newCall(api, DEMO_NUMBERS.salon);
    // 90-minute colouring: the offered starts of one staff member overlap each other
    const check = await call.fn("check_availability", { service: "Färben", date: d.toISODate(), time: "12:00", staff: "Murat" });
    const starts = (check.body.slots as { start: string }[]).map((s) => s.start);
    expect(starts).toContain(at(d, 12, 15));
    const book = await call.fn("book_appointment", { service: "Färben & Schneiden", start: at(d, 12, 15), staff: "Murat", customer_name: "Paula Bunt" });
    expect(book.body).toMatchObject({ ok: true, appointment: { start: at(d, 12, 15) } });
  });
});

describe("holds end", () => {
  it("when the call ends: releaseCallHolds frees them for everyone, at once", async () => {
    const d = day(13);
    const call = newCall(api, DEMO_NUMBERS.salon);
    const check = await call.fn("check_availability", { service: "Herrenhaarschnitt", date: d.toISODate(), time: "16:00", staff: "Sophie" });
    expect(await holdsOf(call.id)).toBe(5);
    expect((await deskSlots(d)).some((s) => s.start === at(d, 16) && s.staffId === staff.sophie)).toBe(false);
    await releaseCallHolds(api.scratch.db, call.id);
    await releaseCallHolds(api.scratch.db, call.id); // a repeated call_ended is harmless
    expect(await holdsOf(call.id)).toBe(0);
    const free = await deskSlots(d);
    for (const { start, staffId } of check.body.slots as { start: string; staffId: string }[]) expect(free).toContainEqual(expect.objectContaining({ start, staffId }));
  });

  it("at expiry: the lock sweep removes them and the desk's cached answer shows the slots again", async () => {
    const d = day(14);
    const call = newCall(api, DEMO_NUMBERS.salon);
    await call.fn("check_availability", { service: "Herrenhaarschnitt", date: d.toISODate(), time: "17:00", staff: "Lena" });
    expect((await deskSlots(d)).some((s) => s.start === at(d, 17) && s.staffId === staff.lena)).toBe(false);
    await api.scratch.db.appointmentLock.updateMany({ where: { holder: `call:${call.id}` }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await purgeExpiredLocks(api.scratch.db)).toBeGreaterThanOrEqual(5);
    expect((await deskSlots(d)).some((s) => s.start === at(d, 17) && s.staffId === staff.lena)).toBe(true);
  });
});
