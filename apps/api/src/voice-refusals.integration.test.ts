/** What the voice agent refuses, over real HTTP: unusable arguments, another caller's appointment, times never bookable, hostile bodies; each a speakable ok:false that changes nothing. */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dayAhead, spokenDay } from "./testing/dates.js";
import { DEMO_NUMBERS, newCall, sendFunction, type TestCall } from "./testing/retell.js";
import { startTestApi, type TestApi } from "./testing/server.js";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => api?.close());

describe("what the agent cannot use gets a speakable ok:false and changes nothing", () => {
  const counts = () =>
    Promise.all([
      api.scratch.db.appointment.count(),
      api.scratch.db.appointment.count({ where: { status: "cancelled" } }),
      api.scratch.db.customer.count(),
      api.scratch.db.appointmentLock.count(),
      api.scratch.db.outboxEvent.count(),
    ]);

  it("unknown names, nonsense dates and times, past times, missing arguments, unknown numbers and functions", async () => {
    const date = dayAhead(12, [2]);
    const salon = newCall(api, DEMO_NUMBERS.salon);
    const before = await counts();
    const cases: [TestCall, string, Record<string, unknown>, string, string][] = [
      [salon, "check_availability", { service: "Dauerwelle" }, "unknown_service", "Diese Leistung bieten wir leider nicht an. Zur Auswahl stehen Färben & Schneiden und Herrenhaarschnitt."],
      [salon, "check_availability", { service: "Herrenhaarschnitt", staff: "Peter" }, "unknown_staff", "Diesen Namen finde ich in unserem Team nicht. Bei uns arbeiten Lena Hoffmann, Murat Yılmaz und Sophie Becker."],
      [salon, "check_availability", { service: "Herrenhaarschnitt", date: "2026-13-45" }, "bad_date", "Das Datum habe ich nicht verstanden. An welchem Tag hätten Sie gern einen Termin?"],
      [salon, "check_availability", { service: "Herrenhaarschnitt", date: "irgendwann" }, "bad_date", "Das Datum habe ich nicht verstanden. An welchem Tag hätten Sie gern einen Termin?"],
      [salon, "check_availability", { service: "Herrenhaarschnitt", date: date.toISODate(), time: "25:99" }, "bad_time", "Die Uhrzeit habe ich nicht verstanden. Um wie viel Uhr hätten Sie gern den Termin?"],
      [salon, "check_availability", { service: "Herrenhaarschnitt", date: "2020-01-07" }, "in_past", "Dieser Zeitpunkt liegt in der Vergangenheit. Welcher Tag wäre Ihnen recht?"],
      [salon, "check_availability", { date: date.toISODate() }, "invalid_service", "Für welche Leistung möchten Sie einen Termin?"],
      [salon, "check_availability", { service: { name: "Herrenhaarschnitt" } }, "invalid_service", "Für welche Leistung möchten Sie einen Termin?"],
      [salon, "book_appointment", { service: "Herrenhaarschnitt", date: "2020-01-07", time: "10:00", customer_name: "Tim Alt" }, "in_past", "Dieser Zeitpunkt liegt in der Vergangenheit. Welcher Tag wäre Ihnen recht?"],
      [salon, "book_appointment", { service: "Herrenhaarschnitt", date: date.toISODate(), time: "10:00" }, "invalid_customer_name", "Auf welchen Namen darf ich den Termin eintragen?"],
      [salon, "book_appointment", { service: "Herrenhaarschnitt", date: date.toISODate(), customer_name: "Tim Alt" }, "missing_time", `Zu welcher Uhrzeit am ${spokenDay(date)}?`],
      [salon, "book_appointment", { service: "Herrenhaarschnitt", customer_name: "Tim Alt" }, "missing_start", "Für welchen Tag und welche Uhrzeit soll ich den Termin eintragen?"],
      [salon, "book_appointment", { service: "Herrenhaarschnitt", date: date.toISODate(), time: "10:00", customer_name: "Tim Alt", customer_phone: "12" }, "bad_phone", "Diese Telefonnummer habe ich nicht richtig verstanden. Können Sie sie bitte noch einmal Ziffer für Ziffer sagen?"],
      [newCall(api, DEMO_NUMBERS.salon, null), "book_appointment", { service: "Herrenhaarschnitt", date: date.toISODate(), time: "10:00", customer_name: "Tim Alt" }, "missing_phone", "Ihre Rufnummer wird nicht übertragen. Unter welcher Telefonnummer erreichen wir Sie?"],
      [newCall(api, DEMO_NUMBERS.salon, null), "find_appointments", {}, "withheld_number", "Ihre Rufnummer wird nicht übertragen. Termine kann ich nur für die Nummer ändern, von der Sie anrufen; bitte rufen Sie mit übertragener Nummer an."],
      [salon, "find_appointments", { customer_phone: "+4917012345678" }, "not_own_number", "Ich kann nur Termine der Rufnummer heraussuchen, von der Sie anrufen."],
      [salon, "cancel_appointment", { appointment_id: "not-an-id" }, "appointment_not_found", "Unter Ihrer Rufnummer finde ich diesen Termin nicht. Soll ich Ihre Termine heraussuchen?"],
      [salon, "open_the_door", {}, "unknown_function", "Das kann ich leider nicht erledigen."],
      [newCall(api, "+4930000000"), "check_availability", { service: "Herrenhaarschnitt" }, "unknown_number", "Unter dieser Nummer kann ich leider keine Termine vergeben."],
    ];
    for (const [call, name, args, reason, result] of cases) {
      const reply = await call.fn(name, args);
      expect({ name, args, status: reply.status, body: { ok: reply.body.ok, reason: reply.body.reason, result: reply.body.result } }).toEqual({
        name, args, status: 200, body: { ok: false, reason, result },
      });
    }
    expect(await counts()).toEqual(before);
  });

  it("a company still being set up answers politely and books nothing", async () => {
    const company = await api.scratch.db.company.create({ data: { slug: "neu-salon", name: "Neuer Salon", businessModel: "simple" } });
    await api.scratch.db.branch.create({ data: { companyId: company.id, name: "Neuer Salon Mitte", phoneNumber: "+493023125199" } });
    const reply = await newCall(api, "+493023125199").fn("check_availability", { service: "Haarschnitt" });
    expect(reply.body).toMatchObject({
      ok: false,
      reason: "not_ready",
      result: "Die Terminbuchung am Telefon ist hier noch nicht eingerichtet. Bitte rufen Sie während der Öffnungszeiten an.",
      missing: expect.arrayContaining(["service", "staff"]),
    });
    expect(await api.scratch.db.appointmentLock.count({ where: { companyId: company.id } })).toBe(0);
  });

  it("a caller cannot find, move or cancel another customer's appointment, even with its id", async () => {
    const date = dayAhead(12, [3]);
    const owner = newCall(api, DEMO_NUMBERS.salon, "+4915112300001");
    const booked = await owner.fn("book_appointment", { service: "Herrenhaarschnitt", date: date.toISODate(), time: "12:00", customer_name: "Ida Brandt" });
    expect(booked.body.ok).toBe(true);
    const id = booked.body.appointment.id as string;
    const before = await counts();
    const stranger = newCall(api, DEMO_NUMBERS.salon, "+4915112300002");
    const refused = "Unter Ihrer Rufnummer finde ich diesen Termin nicht. Soll ich Ihre Termine heraussuchen?";
    expect((await stranger.fn("cancel_appointment", { appointment_id: id })).body).toMatchObject({ ok: false, reason: "appointment_not_found", result: refused });
    expect((await stranger.fn("reschedule_appointment", { appointment_id: id, date: date.toISODate(), time: "16:00" })).body).toMatchObject({ ok: false, result: refused });
    expect((await stranger.fn("find_appointments")).body).toMatchObject({ ok: true, appointments: [] });
    // another company's caller with the same number cannot reach it either
    expect((await newCall(api, DEMO_NUMBERS.spa, "+4915112300001").fn("cancel_appointment", { appointment_id: id })).body).toMatchObject({ ok: false, reason: "appointment_not_found" });
    expect(await counts()).toEqual(before);
    expect(await api.scratch.db.appointment.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "confirmed", version: 1 });
  });
});

describe("times that can never be booked", () => {
  it("outside working hours or off the slot grid: said so, with held alternatives instead of 'taken'", async () => {
    const date = dayAhead(15, [2]);
    const call = newCall(api, DEMO_NUMBERS.salon);
    const evening = await call.fn("check_availability", { service: "Herrenhaarschnitt", date: date.toISODate(), time: "20:00" });
    expect(evening.body.ok).toBe(true);
    expect(evening.body.result).toMatch(new RegExp(`^Am ${spokenDay(date)}, um 20 Uhr ist leider kein Termin möglich\\. Ich hätte um 16:30 Uhr.* oder um 17:30 Uhr`));
    const book = await call.fn("book_appointment", { service: "Herrenhaarschnitt", date: date.toISODate(), time: "20:00", customer_name: "Nina Spät" });
    expect(book.body).toMatchObject({ ok: false, reason: "outside_hours" });
    expect(book.body.result).toMatch(/^Zu dieser Uhrzeit ist leider kein Termin möglich\. Ich hätte stattdessen .*, um 17 Uhr.* oder um 17:30 Uhr/);
    const offGrid = await call.fn("book_appointment", { service: "Herrenhaarschnitt", date: date.toISODate(), time: "14:07", staff: "Murat", customer_name: "Nina Spät" });
    expect(offGrid.body).toMatchObject({ ok: false, reason: "off_grid" });
    expect(offGrid.body.alternatives.length).toBeGreaterThan(0);
    expect(await api.scratch.db.appointment.count({ where: { retellCallId: call.id } })).toBe(0);
  });
});

describe("hostile input", () => {
  it("any signed body gets 200 with a sentence to say, or 400 when it is no function call; never a 500", async () => {
    const names = fc.constantFrom("check_availability", "book_appointment", "find_appointments", "reschedule_appointment", "cancel_appointment", "x", "");
    const value = fc.oneof(fc.string({ maxLength: 60 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }));
    const argKeys = fc.constantFrom("service", "date", "time", "start", "staff", "branch", "customer_name", "customer_phone", "appointment_id", "reason", "__proto__", "constructor");
    const call = fc.record({
      call_id: fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.integer()),
      to_number: fc.oneof(fc.constantFrom(DEMO_NUMBERS.salon, DEMO_NUMBERS.hotline, DEMO_NUMBERS.spa, "+49", ""), fc.string({ maxLength: 20 }), fc.constant(null)),
      from_number: fc.oneof(fc.constantFrom("+4915112345678", "anonymous", ""), fc.string({ maxLength: 20 })),
    });
    const body = fc.oneof(
      fc.record({ name: names, call, args: fc.dictionary(argKeys, value, { maxKeys: 6 }) }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 80 }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const reply = await sendFunction(api, b);
        expect([200, 400]).toContain(reply.status);
        if (reply.status === 200) {
          expect(typeof reply.body.ok).toBe("boolean");
          expect(reply.body.result.length).toBeGreaterThan(0);
          expect(reply.body.reason).not.toBe("temporary_failure");
        }
      }),
      { numRuns: 80 },
    );
  });
});
