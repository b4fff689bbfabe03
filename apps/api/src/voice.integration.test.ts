import { signRetell } from "@askproai/shared/server";
import fc from "fast-check";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZONE } from "./testing/dates.js";
import { DEMO_NUMBERS, newCall, sendFunction, type TestCall } from "./testing/retell.js";
import { http, startTestApi, type TestApi } from "./testing/server.js";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => api?.close());

/** A local date at least `days` ahead on one of `weekdays`. */
const day = (days: number, weekdays = [2, 3, 4]) => {
  let d = DateTime.now().setZone(ZONE).startOf("day").plus({ days });
  while (!weekdays.includes(d.weekday)) d = d.plus({ days: 1 });
  return d;
};
const iso = (d: DateTime, hhmm: string) => {
  const [hour, minute] = hhmm.split(":").map(Number);
  return d.set({ hour, minute }).toISO({ suppressMilliseconds: true })!;
};
const branchOf = async (name: string) => (await api.scratch.db.branch.findFirstOrThrow({ where: { name } })).id;
const spokenDay = (d: DateTime) => d.setLocale("de").toFormat("cccc, d. LLLL") + (d.year === DateTime.now().setZone(ZONE).year ? "" : d.toFormat(" yyyy"));

describe("POST /voice/retell/functions: transport", () => {
  it("refuses a missing, stale or wrong signature with 401, and a body that is no function call with 400", async () => {
    const body = JSON.stringify({ name: "check_availability", call: { call_id: "c1", to_number: DEMO_NUMBERS.salon }, args: { service: "Herrenhaarschnitt" } });
    const post = (headers: Record<string, string>, raw = body) =>
      fetch(`${api.baseUrl}/voice/retell/functions`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: raw });
    expect((await post({})).status).toBe(401);
    expect((await post({ "x-retell-signature": signRetell(body, "wrong-key") })).status).toBe(401);
    expect((await post({ "x-retell-signature": signRetell(body, api.deps.config.RETELL_API_KEY, Date.now() - 10 * 60_000) })).status).toBe(401);
    // signed over other bytes (the body re-serialised): refused
    expect((await post({ "x-retell-signature": signRetell(body, api.deps.config.RETELL_API_KEY) }, `${body} `)).status).toBe(401);
    const notJson = await sendFunction(api, "{nope");
    expect(notJson.status).toBe(400);
    const noCall = await sendFunction(api, { name: "check_availability", args: {} });
    expect(noCall.status).toBe(400);
    expect(await api.scratch.db.voiceFunctionCall.count()).toBe(0);
  });
});

describe("a whole call at the simple salon", () => {
  it("checks, books, finds, moves and cancels, saying German sentences in Berlin time", async () => {
    const date = day(8);
    const call = newCall(api, DEMO_NUMBERS.salon);
    const check = await call.fn("check_availability", { service: "herrenschnitt", date: date.toISODate(), time: "14:30", staff: "Lena" });
    expect(check.status).toBe(200);
    expect(check.body.ok).toBe(true);
    expect(check.body.result).toMatch(new RegExp(`^${spokenDay(date)}, um 14:30 Uhr bei Lena ist frei\\.`));
    expect(check.body.slots[0]).toEqual({ start: date.set({ hour: 14, minute: 30 }).toISO({ suppressMilliseconds: true }), staffId: expect.any(String), staffName: "Lena Hoffmann" });
    expect(check.body.slots.length).toBe(5);

    const book = await call.fn("book_appointment", { service: "Herrenhaarschnitt", date: date.toISODate(), time: "14.30", customer_name: "Jonas Berger" });
    expect(book.body).toMatchObject({ ok: true, appointment: { staffName: "Lena Hoffmann", serviceName: "Herrenhaarschnitt" } });
    expect(book.body.result).toBe(`Ich habe Ihren Termin gebucht: Herrenhaarschnitt am ${spokenDay(date)}, um 14:30 Uhr bei Lena.`);
    const row = await api.scratch.db.appointment.findUniqueOrThrow({ where: { id: book.body.appointment.id }, include: { customer: true } });
    expect(row).toMatchObject({ source: "voice", retellCallId: call.id, status: "confirmed" });
    expect(row.customer.name).toBe("Jonas Berger");
    expect(await api.scratch.db.appointmentLock.count({ where: { holder: `call:${call.id}` } })).toBe(0);

    const found = await call.fn("find_appointments", {});
    expect(found.body).toMatchObject({ ok: true, appointments: [{ id: row.id, serviceName: "Herrenhaarschnitt", staffName: "Lena Hoffmann" }] });
    expect(found.body.result).toBe(`Sie haben einen Termin: Herrenhaarschnitt am ${spokenDay(date)}, um 14:30 Uhr bei Lena.`);

    const later = date.plus({ days: 1 });
    const moved = await call.fn("reschedule_appointment", { appointment_id: row.id, date: later.toISODate(), time: "10 Uhr" });
    expect(moved.body.result).toBe(`Ich habe Ihren Termin verschoben: Herrenhaarschnitt jetzt am ${spokenDay(later)}, um 10 Uhr bei Lena.`);
    expect(await api.scratch.db.appointment.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ startsAt: later.set({ hour: 10 }).toJSDate(), version: 2 });

    const cancelled = await call.fn("cancel_appointment", { appointment_id: row.id, reason: "krank" });
    expect(cancelled.body).toMatchObject({ ok: true, result: `Ihr Termin Herrenhaarschnitt am ${spokenDay(later)}, um 10 Uhr bei Lena ist storniert.` });
    expect(await api.scratch.db.appointment.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "cancelled", cancelReason: "krank" });
    expect((await call.fn("find_appointments")).body).toMatchObject({ ok: true, appointments: [], result: "Unter Ihrer Rufnummer finde ich keinen anstehenden Termin." });
  });
});

describe("a whole call at the hotline clinic", () => {
  it("routes a Hamburg caller to Hamburg, books the held slot, finds, moves and cancels", async () => {
    const date = day(9, [3]);
    const hamburg = await branchOf("Praxis Hamburg-Eimsbüttel");
    const call = newCall(api, DEMO_NUMBERS.hotline, "+4940555123");
    const check = await call.fn("check_availability", { service: "Behandlung", date: date.toISODate(), time: "10:00" });
    expect(check.body).toMatchObject({ ok: true, branchId: hamburg, branchName: "Praxis Hamburg-Eimsbüttel" });
    expect(check.body.result).toMatch(new RegExp(`^${spokenDay(date)}, um 10 Uhr bei (Dr\\. Petersen|Anna Lange) ist frei\\. Alternativ hätte ich`));
    const heldStaff = check.body.slots[0].staffId as string;

    const book = await call.fn("book_appointment", { service: "behandlung", start: iso(date, "10:00"), customer_name: "Greta Hansen" });
    expect(book.body.ok).toBe(true);
    expect(book.body.result).toBe(`Ich habe Ihren Termin gebucht: Behandlung am ${spokenDay(date)}, um 10 Uhr bei ${check.body.result.includes("Petersen") ? "Dr. Petersen" : "Anna Lange"}.`);
    const id = book.body.appointment.id as string;
    expect(await api.scratch.db.appointment.findUniqueOrThrow({ where: { id } })).toMatchObject({ branchId: hamburg, staffId: heldStaff, source: "voice", retellCallId: call.id });

    const found = await call.fn("find_appointments");
    expect(found.body.appointments).toEqual([expect.objectContaining({ id, branchId: hamburg, serviceName: "Behandlung" })]);
    const moved = await call.fn("reschedule_appointment", { appointment_id: id, date: date.toISODate(), time: "15:45" });
    expect(moved.body).toMatchObject({ ok: true, appointment: { id, start: iso(date, "15:45") } });
    expect(moved.body.result).toMatch(/^Ich habe Ihren Termin verschoben: Behandlung jetzt am .*, um 15:45 Uhr bei /);
    const cancelled = await call.fn("cancel_appointment", { appointment_id: id });
    expect(cancelled.body.result).toMatch(/^Ihr Termin Behandlung am .*, um 15:45 Uhr bei .* ist storniert\.$/);
    expect((await api.scratch.db.appointment.findUniqueOrThrow({ where: { id } })).status).toBe("cancelled");
  });

  it("routes by an explicit branch wish, by the named staff member, and by the caller's area code", async () => {
    const date = day(9, [4]);
    // Each question at its own hour: the slots one call is offered are held, and not offered to the next.
    let hour = 8;
    const ask = (from: string | null, args: Record<string, unknown>) =>
      newCall(api, DEMO_NUMBERS.hotline, from).fn("check_availability", { service: "Erstgespräch", date: date.toISODate(), time: `${hour++}:00`, ...args });
    expect((await ask("+4940555124", { branch: "München" })).body.branchName).toBe("Praxis München-Schwabing");
    expect((await ask("+4940555125", { branch: "munich" })).body.branchName).toBe("Praxis München-Schwabing");
    const petersen = await ask("+4989123456", { staff: "Dr. Petersen" });
    expect(petersen.body.branchName).toBe("Praxis Hamburg-Eimsbüttel");
    expect(new Set(petersen.body.slots.map((s: { staffName: string }) => s.staffName))).toEqual(new Set(["Dr. Jan Petersen"]));
    expect((await ask("+4989123457", {})).body.branchName).toBe("Praxis München-Schwabing");
    expect((await ask("+4930123458", {})).body.branchName).toBe("Praxis Berlin-Mitte");
    expect((await ask("+4940123459", {})).body.branchName).toBe("Praxis Hamburg-Eimsbüttel");
    // withheld: no area code, so the first branch (route priority) with availability
    expect((await ask(null, {})).body.branchName).toBe("Praxis Berlin-Mitte");
    // a branch's own number answers for that branch, whoever calls
    const direct = await newCall(api, DEMO_NUMBERS.clinicMuenchen, "+4940123460").fn("check_availability", { service: "Erstgespräch", date: date.toISODate() });
    expect(direct.body.branchName).toBe("Praxis München-Schwabing");
    const unknown = await ask("+4940123461", { branch: "Köln" });
    expect(unknown.body).toMatchObject({ ok: false, reason: "unknown_branch" });
    expect(unknown.body.result).toBe("Diesen Standort kenne ich nicht. Unsere Standorte sind Berlin, Hamburg und München.");
  });
});

describe("a whole call at the spa (skills and rooms)", () => {
  it("offers hot stone only with the qualified therapist, books a room, moves and cancels", async () => {
    const date = day(10, [2, 3, 4, 5]);
    const call = newCall(api, DEMO_NUMBERS.spa);
    const mia = await call.fn("check_availability", { service: "Hot Stone", staff: "Mia", date: date.toISODate() });
    expect(mia.body).toMatchObject({ ok: false, reason: "staff_not_for_service", result: "Mia bietet diese Leistung hier nicht an; fragen Sie gern nach Sabine." });

    const check = await call.fn("check_availability", { service: "hotstone", date: date.toISODate(), time: "14:00" });
    expect(check.body.result).toMatch(new RegExp(`^${spokenDay(date)}, um 14 Uhr bei Sabine ist frei\\.`));
    expect(check.body.slots.every((s: { staffName: string }) => s.staffName === "Sabine Krüger")).toBe(true);
    const book = await call.fn("book_appointment", { service: "Hot-Stone-Massage", date: date.toISODate(), time: "14:00", customer_name: "Eva Roth" });
    expect(book.body.result).toBe(`Ich habe Ihren Termin gebucht: Hot-Stone-Massage am ${spokenDay(date)}, um 14 Uhr bei Sabine.`);
    const id = book.body.appointment.id as string;
    const row = await api.scratch.db.appointment.findUniqueOrThrow({ where: { id }, include: { resource: true } });
    expect(row.resource?.kind).toBe("treatment_room");
    expect(row.endsAt.getTime() - row.startsAt.getTime()).toBe(90 * 60_000);

    const moved = await call.fn("reschedule_appointment", { appointment_id: id, start: iso(date.plus({ days: 1 }), "11:00") });
    expect(moved.body).toMatchObject({ ok: true, appointment: { start: iso(date.plus({ days: 1 }), "11:00"), staffName: "Sabine Krüger" } });
    const cancelled = await call.fn("cancel_appointment", { appointment_id: id, reason: "Termin passt nicht" });
    expect(cancelled.body.ok).toBe(true);
    expect(await api.scratch.db.appointment.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "cancelled" });
  });
});

/** The next local day on which Berlin's clocks spring forward. */
const springForward = () => {
  let d = DateTime.now().setZone(ZONE).startOf("day").plus({ days: 3 });
  while (d.startOf("day").offset === d.endOf("day").offset || d.endOf("day").offset < d.startOf("day").offset) d = d.plus({ days: 1 });
  return d;
};

describe("a daylight-saving day", () => {
  it("offers, says and books wall-clock times on the day the clocks spring forward, and refuses the hour that does not exist", async () => {
    const date = springForward();
    const salon = await api.scratch.db.company.findUniqueOrThrow({ where: { slug: "simple-salon" } });
    const lena = await api.scratch.db.staff.findFirstOrThrow({ where: { name: "Lena Hoffmann" } });
    await api.scratch.db.company.update({ where: { id: salon.id }, data: { horizonDays: 400 } });
    // The salon is closed on Sundays: Lena works this one.
    await api.scratch.db.availabilityException.create({
      data: { companyId: salon.id, staffId: lena.id, kind: "extra_availability", startsAt: date.set({ hour: 9 }).toJSDate(), endsAt: date.set({ hour: 18 }).toJSDate() },
    });
    try {
      const call = newCall(api, DEMO_NUMBERS.salon);
      const gap = await call.fn("check_availability", { service: "Herrenhaarschnitt", date: date.toISODate(), time: "02:30" });
      expect(gap.body).toMatchObject({ ok: false, reason: "no_such_local_time", result: "Diese Uhrzeit gibt es an dem Tag wegen der Zeitumstellung nicht. Passt Ihnen eine Stunde später?" });
      const check = await call.fn("check_availability", { service: "Herrenhaarschnitt", date: date.toISODate(), time: "10:00" });
      expect(check.body.result).toMatch(new RegExp(`^${spokenDay(date)}, um 10 Uhr bei Lena ist frei\\.`));
      expect(check.body.slots[0].start).toBe(`${date.toISODate()}T10:00:00+02:00`);
      const book = await call.fn("book_appointment", { service: "Herrenhaarschnitt", start: `${date.toISODate()}T10:00:00+02:00`, customer_name: "Max Sommer" });
      expect(book.body.result).toBe(`Ich habe Ihren Termin gebucht: Herrenhaarschnitt am ${spokenDay(date)}, um 10 Uhr bei Lena.`);
      expect((await api.scratch.db.appointment.findUniqueOrThrow({ where: { id: book.body.appointment.id } })).startsAt.toISOString()).toBe(`${date.toISODate()}T08:00:00.000Z`);
    } finally {
      await api.scratch.db.company.update({ where: { id: salon.id }, data: { horizonDays: salon.horizonDays } });
    }
  });
});

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
    const date = day(12, [2]);
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
    const date = day(12, [3]);
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

describe("a company that speaks English", () => {
  it("answers in English", async () => {
    const spa = await api.scratch.db.company.findUniqueOrThrow({ where: { slug: "matrix-spa" } });
    await api.scratch.db.company.update({ where: { id: spa.id }, data: { messageLanguage: "en" } });
    try {
      const date = day(14, [2]);
      const call = newCall(api, DEMO_NUMBERS.spa);
      const check = await call.fn("check_availability", { service: "Manicure", date: date.toISODate(), time: "14:30", staff: "Aylin" });
      expect(check.body.result).toMatch(new RegExp(`^${date.setLocale("en").toFormat("cccc, LLLL d")}, at 2:30 PM with Aylin is free\\. I also have `));
      expect((await call.fn("check_availability", { service: "Pedicure" })).body.result).toBe(
        "We do not offer that, I am afraid. We offer Gesichtsbehandlung, Hot-Stone-Massage, Klassische Massage and Maniküre.",
      );
    } finally {
      await api.scratch.db.company.update({ where: { id: spa.id }, data: { messageLanguage: "de" } });
    }
  });
});

describe("GET /voice/retell/tools", () => {
  it("gives an owner the function definitions with JSON schemas, the URL and a suggested prompt; nobody else", async () => {
    const { token } = await http(api.baseUrl).login("owner@hotline-clinic.example");
    const res = await fetch(`${api.baseUrl}/voice/retell/tools`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const tools = (await res.json()) as { url: string; functions: any[]; prompt: string; language: string; businessModel: string };
    expect(tools.url).toBe(`${api.baseUrl}/voice/retell/functions`);
    expect(tools.functions.map((f) => f.name)).toEqual(["check_availability", "book_appointment", "find_appointments", "reschedule_appointment", "cancel_appointment"]);
    const book = tools.functions.find((f) => f.name === "book_appointment");
    expect(book).toMatchObject({ type: "custom", url: tools.url, method: "POST", args_at_root: false, parameters: { type: "object", required: ["service", "customer_name"] } });
    expect(Object.keys(book.parameters.properties)).toEqual(["service", "start", "date", "time", "staff", "branch", "customer_name", "customer_phone"]);
    expect(tools).toMatchObject({ language: "de", businessModel: "multi_branch_hotline" });
    expect(tools.prompt).toContain("Praxisgemeinschaft Dr. Brandt & Partner");
    expect(tools.prompt).toContain("Praxis Hamburg-Eimsbüttel");

    const desk = await http(api.baseUrl).login("desk@hotline-clinic.example");
    expect((await fetch(`${api.baseUrl}/voice/retell/tools`, { headers: { authorization: `Bearer ${desk.token}` } })).status).toBe(403);
    expect((await fetch(`${api.baseUrl}/voice/retell/tools`)).status).toBe(401);
  });
});

describe("times that can never be booked", () => {
  it("outside working hours or off the slot grid: said so, with held alternatives instead of 'taken'", async () => {
    const date = day(15, [2]);
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
