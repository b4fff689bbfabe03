/**
 * Customer messages against the real PostgreSQL, the SMS gateway stand-in over real HTTP and the SMTP
 * catcher over real SMTP: notices of bookings, moves and cancellations, and sends whose outcome is lost.
 * Reminders and quiet hours (controllable clock): reminders.integration.test.ts.
 */
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { cancelAppointment, rescheduleAppointment } from "../booking/index.js";
import { poolOf } from "../client.js";
import { at, capturingLog, createFixtureCompany, localDate } from "../testing/index.js";
import { useMessagingTestbed } from "../testing/messaging-testbed.js";
import { RetryLater, deliverMessage } from "./deliver.js";
import { planAppointmentNotice } from "./plan.js";

const { bed, gw, Z, ctxAt, deliverAll, rowsOf, smsTo, book } = useMessagingTestbed();

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
