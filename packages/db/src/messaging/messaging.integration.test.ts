/**
 * Customer messages against the real PostgreSQL, the SMS gateway stand-in over real HTTP and the SMTP
 * catcher over real SMTP, with a controllable clock for reminders and quiet hours.
 */
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { createAppointment, cancelAppointment, rescheduleAppointment } from "../booking/index.js";
import { poolOf } from "../client.js";
import { contextFor, type OperationContext, type OperationLog } from "../context.js";
import { at, bookingRequest, capturingLog, createFixtureCompany, localDate, useMessagingStandIns, type FixtureCompany } from "../testing/index.js";
import { useTestbed } from "../testing/testbed.js";
import { RetryLater, deliverMessage, type DeliveryOptions } from "./deliver.js";
import { planAppointmentNotice } from "./plan.js";
import { planDueReminders } from "./reminders.js";

const { bed } = useTestbed();
const gw = useMessagingStandIns();
const Z = "Europe/Berlin";

let seq = 0;
const ctxAt = (f: Pick<FixtureCompany, "companyId">, now?: number, log?: OperationLog): OperationContext =>
  contextFor(bed.deps, { companyId: f.companyId, correlationId: `msg-test-${seq++}`, actor: { type: "system" }, source: "api", log, now: now === undefined ? undefined : () => now });
const berlin = (iso: string) => DateTime.fromISO(iso, { zone: Z }).toMillis();
const phone = () => `+49151${String(1_000_000 + Math.floor(Math.random() * 8_999_999))}`;

const deliverAll = async (ctx: OperationContext, ids: string[], options?: DeliveryOptions) => {
  const results = [];
  for (const id of ids) results.push(await deliverMessage(ctx, gw.transports, id, options));
  return results;
};
const rowsOf = async (appointmentId: string) =>
  (await poolOf(bed.scratch.db).query<{ kind: string; channel: string; state: string; attempts: number; detail: string | null; reminder_offset_minutes: number }>(
    "SELECT kind, channel, state, attempts, detail, reminder_offset_minutes FROM messages WHERE appointment_id = $1 ORDER BY created_at, channel",
    [appointmentId],
  )).rows;
const smsTo = (to: string) => gw.sms.messages.filter((m) => m.to === to && m.direction === "outbound-api");

const book = async (f: FixtureCompany, start: string, extra: { email?: string; now?: number } = {}) => {
  const customerPhone = phone();
  const appointment = await createAppointment(ctxAt(f, extra.now), bookingRequest(f, { start, staffId: f.staffIds[0], customer: { phone: customerPhone, name: "Erika Mustermann", email: extra.email } }));
  return { appointment, phone: customerPhone };
};

describe("appointment notices", () => {
  it("book → one confirmation SMS and one e-mail with the branch's local time; numbers redacted in api_call_logs, bodies nowhere", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const day = localDate(3);
    const { appointment, phone: to } = await book(f, at(day, "14:00"), { email: "erika@example.de" });
    const { lines, log } = capturingLog();
    const ctx = ctxAt(f, undefined, log);

    const ids = await planAppointmentNotice(ctx, { appointmentId: appointment.id, kind: "confirmation", version: appointment.version });
    expect(ids).toHaveLength(2);
    expect(await deliverAll(ctx, ids)).toEqual([{ state: "sent" }, { state: "sent" }]);

    const localDay = DateTime.fromISO(day, { zone: Z }).setLocale("de-DE").toLocaleString({ weekday: "short", day: "2-digit", month: "2-digit", year: "numeric" });
    const [sms] = smsTo(to);
    expect(smsTo(to)).toHaveLength(1);
    expect(sms!.body).toContain(`${localDay} um 14:00 Uhr`);
    expect(sms!.body).toContain("Haarschnitt bei Staff 1");
    expect(sms!.body).toMatch(/Absagen oder verschieben: \+49301\d{7}$/);
    expect(sms!.from).toBe("+493023125000");
    expect(gw.smtp.messages).toHaveLength(1);
    expect(gw.smtp.messages[0]).toMatchObject({ to: "erika@example.de", subject: `Terminbestätigung: Haarschnitt am ${localDay} um 14:00 Uhr` });
    expect(gw.smtp.messages[0]!.messageId).toMatch(/^<[0-9a-f-]{36}@askproai>$/);

    // Planning again (a retried job) plans nothing new and sends nothing more.
    expect(await planAppointmentNotice(ctx, { appointmentId: appointment.id, kind: "confirmation", version: appointment.version })).toEqual([]);
    expect(await deliverAll(ctx, ids)).toEqual([{ state: "done", detail: "already sent" }, { state: "done", detail: "already sent" }]);
    expect(smsTo(to)).toHaveLength(1);

    const { rows: calls } = await poolOf(bed.scratch.db).query<{ service: string; request_body: object; response_body: object; status_code: number; correlation_id: string }>(
      "SELECT service, request_body, response_body, status_code, correlation_id FROM api_call_logs WHERE company_id = $1 ORDER BY service",
      [f.companyId],
    );
    expect(calls.map((c) => [c.service, c.status_code])).toEqual([["email", 250], ["sms", 201]]);
    expect(calls.every((c) => c.correlation_id === ctx.correlationId)).toBe(true);
    const logged = JSON.stringify(calls) + lines.join("\n");
    expect(logged).toContain(to.slice(0, 3));
    for (const secret of [to, to.slice(3), "erika@example.de", sms!.body, "Erika", "Absagen"]) expect(logged).not.toContain(secret);
    expect(lines.some((l) => l.includes("message sent"))).toBe(true);
  });

  it("in the customer's language when set, else the company's", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const { appointment, phone: to } = await book(f, at(localDate(4), "10:30"));
    await bed.scratch.db.customer.updateMany({ where: { companyId: f.companyId, phone: to }, data: { language: "en" } });
    const ctx = ctxAt(f);
    await deliverAll(ctx, await planAppointmentNotice(ctx, { appointmentId: appointment.id, kind: "confirmation" }));
    expect(smsTo(to)[0]!.body).toMatch(/Your appointment is booked: Haarschnitt with Staff 1, \w{3}, \d{1,2} \w{3} \d{4} at 10:30\. To cancel or reschedule call/);
  });

  it("reschedule → a change notice with the new time; a confirmation still queued is overtaken by it; cancel → a cancellation notice", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const day = localDate(5);
    const { appointment, phone: to } = await book(f, at(day, "09:00"));
    const ctx = ctxAt(f);
    const confirmation = await planAppointmentNotice(ctx, { appointmentId: appointment.id, kind: "confirmation", version: 1 });
    const moved = await rescheduleAppointment(ctx, { id: appointment.id, start: at(day, "16:15"), expectedVersion: 1 });
    const notice = await planAppointmentNotice(ctx, { appointmentId: appointment.id, kind: "rescheduled", version: moved.version });
    // The worker got to the confirmation only now (the gateway was down, say): it is not sent on top.
    expect(await deliverAll(ctx, confirmation)).toEqual([{ state: "skipped", detail: "a later change notice replaces it" }]);
    expect(await deliverAll(ctx, notice)).toEqual([{ state: "sent" }]);
    expect(smsTo(to).map((m) => m.body)).toEqual([expect.stringMatching(/Ihr Termin wurde verlegt: Haarschnitt bei Staff 1, jetzt .* um 16:15 Uhr/)]);

    const cancelled = await cancelAppointment(ctx, { id: appointment.id, reason: "krank" });
    await deliverAll(ctx, await planAppointmentNotice(ctx, { appointmentId: appointment.id, kind: "cancellation", version: cancelled.version }));
    expect(smsTo(to)).toHaveLength(2);
    expect(smsTo(to)[1]!.body).toMatch(/Ihr Termin Haarschnitt am .* um 16:15 Uhr ist abgesagt\. Neuen Termin vereinbaren: \+49/);
    expect((await rowsOf(appointment.id)).map((r) => `${r.kind}:${r.state}`)).toEqual(["confirmation:skipped", "rescheduled:sent", "cancellation:sent"]);
  });

  it("two workers delivering the same message at once send it once", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const { appointment, phone: to } = await book(f, at(localDate(6), "11:00"));
    const ctx = ctxAt(f);
    const [id] = await planAppointmentNotice(ctx, { appointmentId: appointment.id, kind: "confirmation" });
    gw.sms.faults.add({ kind: "slow", delayMs: 300, count: 1 });
    const results = await Promise.allSettled([0, 1, 2].map(() => deliverMessage(ctxAt(f), gw.transports, id!)));
    expect(results.filter((r) => r.status === "fulfilled" && r.value.state === "sent")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(RetryLater);
    expect(smsTo(to)).toHaveLength(1);
  });
});

describe("sends whose outcome is lost", () => {
  it("gateway stored the SMS but the answer never came → the retry finds it at the gateway and does not send again", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const { appointment, phone: to } = await book(f, at(localDate(7), "12:00"));
    const ctx = ctxAt(f);
    const [id] = await planAppointmentNotice(ctx, { appointmentId: appointment.id, kind: "confirmation" });
    gw.sms.faults.add({ kind: "store-then-timeout", count: 1, method: "POST" });
    await expect(deliverMessage(ctx, gw.transports, id!)).rejects.toThrow(/outcome unknown/);
    expect((await rowsOf(appointment.id))[0]).toMatchObject({ state: "sending", attempts: 1 });
    const result = await deliverMessage(ctx, gw.transports, id!);
    expect(result).toEqual({ state: "sent", detail: "found at the gateway" });
    expect(smsTo(to)).toHaveLength(1);
    const posts = gw.sms.requests.filter((r) => r.method === "POST");
    expect(posts).toHaveLength(1);
  });

  it("connection dropped before the gateway handled it → the retry finds nothing and sends it, once", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const { appointment, phone: to } = await book(f, at(localDate(7), "13:00"));
    const ctx = ctxAt(f);
    const [id] = await planAppointmentNotice(ctx, { appointmentId: appointment.id, kind: "confirmation" });
    gw.sms.faults.add({ kind: "drop", count: 1, method: "POST" });
    await expect(deliverMessage(ctx, gw.transports, id!)).rejects.toThrow(RetryLater);
    expect(smsTo(to)).toHaveLength(0);
    expect(await deliverMessage(ctx, gw.transports, id!)).toEqual({ state: "sent" });
    expect(await deliverMessage(ctx, gw.transports, id!)).toEqual({ state: "done", detail: "already sent" });
    expect(smsTo(to)).toHaveLength(1);
    expect((await rowsOf(appointment.id))[0]).toMatchObject({ state: "sent", attempts: 2 });
  });

  it("a worker that died mid-send: its attempt counts as in flight for the grace period, then is resolved at the gateway", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const { appointment, phone: to } = await book(f, at(localDate(8), "10:00"));
    const t0 = Date.now();
    const [id] = await planAppointmentNotice(ctxAt(f, t0), { appointmentId: appointment.id, kind: "confirmation" });
    // The dead worker's claim: state sending, attempt started, never ended; the gateway took the message.
    await poolOf(bed.scratch.db).query("UPDATE messages SET state = 'sending', attempts = 1, attempt_started_at = $2, body_sha256 = 'unknown' WHERE id = $1", [id, new Date(t0)]);
    await expect(deliverMessage(ctxAt(f, t0 + 5_000), gw.transports, id!, { inFlightGraceMs: 60_000 })).rejects.toThrow(/may still be in flight/);
    expect(smsTo(to)).toHaveLength(0);
    // After the grace period, the gateway knows no such message: it is sent now, once.
    expect(await deliverMessage(ctxAt(f, t0 + 61_000), gw.transports, id!, { inFlightGraceMs: 60_000 })).toEqual({ state: "sent" });
    expect(smsTo(to)).toHaveLength(1);
  });

  it("gateway down (503, then 429) → not sent while down, sent once after recovery", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const { appointment, phone: to } = await book(f, at(localDate(9), "15:00"));
    const ctx = ctxAt(f);
    const [id] = await planAppointmentNotice(ctx, { appointmentId: appointment.id, kind: "confirmation" });
    gw.sms.faults.add({ kind: "status", status: 503 });
    await expect(deliverMessage(ctx, gw.transports, id!)).rejects.toThrow(/outcome unknown: 503 20500: injected failure/);
    // While it is down the gateway cannot even be asked: nothing is sent blind.
    await expect(deliverMessage(ctx, gw.transports, id!)).rejects.toThrow(/cannot ask the SMS gateway/);
    gw.sms.faults.clear();
    gw.sms.faults.add({ kind: "rate-limit", retryAfterSeconds: 2, count: 1, method: "POST" });
    const limited = await deliverMessage(ctx, gw.transports, id!).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RetryLater);
    expect((limited as RetryLater).retryAfterMs).toBe(2_000);
    expect(await deliverMessage(ctx, gw.transports, id!)).toEqual({ state: "sent" });
    expect(smsTo(to)).toHaveLength(1);
  });

  it("an e-mail whose outcome is lost is not sent again (SMTP cannot be asked); a refused one waits and goes later", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const { appointment } = await book(f, at(localDate(10), "10:00"), { email: "anna@example.de" });
    const ctx = ctxAt(f);
    const ids = await planAppointmentNotice(ctx, { appointmentId: appointment.id, kind: "confirmation" });
    const emailId = (await poolOf(bed.scratch.db).query<{ id: string }>("SELECT id FROM messages WHERE id = ANY($1) AND channel = 'email'", [ids])).rows[0]!.id;
    gw.smtp.reject({ code: 451, count: 1 });
    await expect(deliverMessage(ctx, gw.transports, emailId)).rejects.toThrow(/not sent: 451/);
    expect(gw.smtp.messages).toHaveLength(0);
    expect(await deliverMessage(ctx, gw.transports, emailId)).toEqual({ state: "sent" });
    expect(gw.smtp.messages).toHaveLength(1);

    const other = await book(f, at(localDate(10), "11:00"), { email: "ben@example.de" });
    const otherIds = await planAppointmentNotice(ctx, { appointmentId: other.appointment.id, kind: "confirmation" });
    const otherEmail = (await poolOf(bed.scratch.db).query<{ id: string }>("SELECT id FROM messages WHERE id = ANY($1) AND channel = 'email'", [otherIds])).rows[0]!.id;
    await poolOf(bed.scratch.db).query("UPDATE messages SET state = 'sending', attempts = 1, attempt_started_at = now() - interval '5 minutes' WHERE id = $1", [otherEmail]);
    expect(await deliverMessage(ctx, gw.transports, otherEmail)).toMatchObject({ state: "unknown" });
    expect(gw.smtp.messages).toHaveLength(1);
  });

  it("a number the gateway refuses for good fails at once, without retrying", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const { appointment } = await book(f, at(localDate(11), "10:00"));
    const ctx = ctxAt(f);
    const [id] = await planAppointmentNotice(ctx, { appointmentId: appointment.id, kind: "confirmation" });
    gw.sms.faults.add({ kind: "status", status: 400, count: 1, message: "The 'To' number +4915199999999 is not a valid phone number." });
    const result = await deliverMessage(ctx, gw.transports, id!);
    expect(result.state).toBe("failed");
    expect(JSON.stringify(result)).not.toContain("99999999");
  });
});

describe("reminders (controllable clock)", () => {
  /** The scan is system-wide: each test looks at its own company's reminders only. */
  let company: FixtureCompany;
  const remindersAt = async (now: number) => (await planDueReminders(bed.scratch.db, now)).filter((p) => p.companyId === company.companyId);
  const deliverPlanned = async (f: FixtureCompany, now: number, planned: { companyId: string; messageId: string }[]) =>
    deliverAll(ctxAt(f, now), planned.map((p) => p.messageId));
  const fixture = async () => (company = await createFixtureCompany(bed.scratch.db, { staffCount: 1 }));

  it("fire at 24 h and 2 h before, once each, and follow a reschedule to the new time", async () => {
    const f = await fixture();
    const day = localDate(20);
    const start = berlin(`${day}T14:00`);
    const { appointment, phone: to } = await book(f, at(day, "14:00"));
    expect(await remindersAt(start - 24 * 3_600_000 - 60_000)).toEqual([]);
    const first = await remindersAt(start - 24 * 3_600_000);
    expect(first).toHaveLength(1);
    expect(await remindersAt(start - 24 * 3_600_000 + 60_000)).toEqual([]);
    await deliverPlanned(f, start - 24 * 3_600_000, first);
    expect(smsTo(to).map((m) => m.body)).toEqual([expect.stringMatching(/Erinnerung an Ihren Termin: Haarschnitt bei Staff 1, .* um 14:00 Uhr/)]);

    // Moved to 17:30 the same day: the 2 h reminder comes for 17:30, not 14:00 (and the "24 h before
    // 17:30" would be 18.5 hours late by then: not sent).
    const moved = await rescheduleAppointment(ctxAt(f), { id: appointment.id, start: at(day, "17:30"), expectedVersion: appointment.version });
    expect(await remindersAt(start - 2 * 3_600_000)).toEqual([]);
    const newStart = berlin(`${day}T17:30`);
    const second = await remindersAt(newStart - 2 * 3_600_000);
    await deliverPlanned(f, newStart - 2 * 3_600_000, second);
    expect(smsTo(to)).toHaveLength(2);
    expect(smsTo(to)[1]!.body).toMatch(/um 17:30 Uhr/);
    expect(moved.version).toBe(2);
    expect((await rowsOf(appointment.id)).map((r) => `${r.kind}/${r.reminder_offset_minutes}:${r.state}`)).toEqual(["reminder/1440:sent", "reminder/120:sent"]);
  });

  it("a reminder planned for the old time is skipped when the appointment moves before it goes out; cancelled → never sent", async () => {
    const f = await fixture();
    const day = localDate(21);
    const start = berlin(`${day}T11:00`);
    const { appointment, phone: to } = await book(f, at(day, "11:00"));
    const planned = await remindersAt(start - 24 * 3_600_000);
    await rescheduleAppointment(ctxAt(f), { id: appointment.id, start: at(day, "12:00"), expectedVersion: 1 });
    expect(await deliverPlanned(f, start - 24 * 3_600_000, planned)).toEqual([{ state: "skipped", detail: "appointment was moved" }]);

    const other = await book(f, at(day, "15:00"));
    const otherStart = berlin(`${day}T15:00`);
    const otherPlanned = await remindersAt(otherStart - 24 * 3_600_000);
    await cancelAppointment(ctxAt(f), { id: other.appointment.id });
    await deliverPlanned(f, otherStart - 24 * 3_600_000, otherPlanned);
    for (const t of [otherStart - 2 * 3_600_000, otherStart - 60_000]) await deliverPlanned(f, t, await remindersAt(t));
    expect((await rowsOf(other.appointment.id)).map((r) => `${r.reminder_offset_minutes}:${r.state}`)).toEqual(["1440:skipped"]);
    // The moved one is reminded of its new time instead (planned with the same scan).
    expect((await rowsOf(appointment.id)).map((r) => `${r.reminder_offset_minutes}:${r.state}`)).toEqual(["1440:skipped", "1440:sent"]);
    expect(smsTo(to).map((m) => m.body)).toEqual([expect.stringMatching(/um 12:00 Uhr/)]);
    expect(smsTo(other.phone)).toHaveLength(0);
  });

  it("on daylight-saving days at the right local time: the day before at 10:00 is 23 h (spring) or 25 h (autumn) earlier", async () => {
    const f = await fixture();
    await bed.scratch.db.company.update({ where: { id: f.companyId }, data: { horizonDays: 400 } });
    for (const [day, hours, shown] of [["2027-03-28", 23, "So., 28.03.2027"], ["2027-10-31", 25, "So., 31.10.2027"]] as const) {
      const start = berlin(`${day}T10:00`);
      const { phone: to } = await book(f, at(day, "10:00"));
      expect(await remindersAt(start - hours * 3_600_000 - 60_000)).toEqual([]);
      const dayBefore = await remindersAt(start - hours * 3_600_000);
      expect(dayBefore).toHaveLength(1);
      await deliverPlanned(f, start - hours * 3_600_000, dayBefore);
      // Two real hours before: 08:00 local on either day.
      expect(await remindersAt(berlin(`${day}T07:59`))).toEqual([]);
      await deliverPlanned(f, berlin(`${day}T08:00`), await remindersAt(berlin(`${day}T08:00`)));
      expect(smsTo(to).map((m) => m.body)).toEqual([expect.stringContaining(`${shown} um 10:00 Uhr`), expect.stringContaining(`${shown} um 10:00 Uhr`)]);
    }
  });

  it("never in quiet hours: a 2 h reminder of a 09:00 appointment goes at 08:00; one delayed past 21:00 waits for the morning", async () => {
    const f = await fixture();
    const day = localDate(22);
    const { phone: to } = await book(f, at(day, "09:00"));
    expect(await remindersAt(berlin(`${day}T07:00`))).toEqual([]);
    const planned = await remindersAt(berlin(`${day}T08:00`));
    expect(planned).toHaveLength(1);
    await deliverPlanned(f, berlin(`${day}T08:00`), planned);
    expect(smsTo(to)).toHaveLength(1);

    // A 24 h reminder planned at 17:30; the gateway was down until 21:10: it waits until 08:00.
    const next = localDate(23);
    const late = await book(f, at(next, "17:30"));
    const latePlanned = await remindersAt(berlin(`${next}T17:30`) - 24 * 3_600_000);
    expect(await deliverPlanned(f, berlin(`${day}T21:10`), latePlanned)).toEqual([{ state: "deferred", until: berlin(`${next}T08:00`) }]);
    expect(smsTo(late.phone)).toHaveLength(0);
    expect(await deliverPlanned(f, berlin(`${next}T08:00`), latePlanned)).toEqual([{ state: "sent" }]);
    expect(smsTo(late.phone)[0]!.body).toMatch(/um 17:30 Uhr/);
  });
});
