/** The voice agent's function calls over real HTTP: the transport, whole calls at the three demo companies, English, the tool definitions. Refusals: voice-refusals.integration.test.ts. */
import { signRetell } from "@askproai/shared/server";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZONE, dayAhead, isoAt, spokenDay } from "./testing/dates.js";
import { DEMO_NUMBERS, newCall, sendFunction } from "./testing/retell.js";
import { http, startTestApi, type TestApi } from "./testing/server.js";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => api?.close());

const branchOf = async (name: string) => (await api.scratch.db.branch.findFirstOrThrow({ where: { name } })).id;

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
    const date = dayAhead(8);
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
    const date = dayAhead(9, [3]);
    const hamburg = await branchOf("Praxis Hamburg-Eimsbüttel");
    const call = newCall(api, DEMO_NUMBERS.hotline, "+4940555123");
    const check = await call.fn("check_availability", { service: "Behandlung", date: date.toISODate(), time: "10:00" });
    expect(check.body).toMatchObject({ ok: true, branchId: hamburg, branchName: "Praxis Hamburg-Eimsbüttel" });
    expect(check.body.result).toMatch(new RegExp(`^${spokenDay(date)}, um 10 Uhr bei (Dr\\. Petersen|Anna Lange) ist frei\\. Alternativ hätte ich`));
    const heldStaff = check.body.slots[0].staffId as string;

    const book = await call.fn("book_appointment", { service: "behandlung", start: isoAt(date, "10:00"), customer_name: "Greta Hansen" });
    expect(book.body.ok).toBe(true);
    expect(book.body.result).toBe(`Ich habe Ihren Termin gebucht: Behandlung am ${spokenDay(date)}, um 10 Uhr bei ${check.body.result.includes("Petersen") ? "Dr. Petersen" : "Anna Lange"}.`);
    const id = book.body.appointment.id as string;
    expect(await api.scratch.db.appointment.findUniqueOrThrow({ where: { id } })).toMatchObject({ branchId: hamburg, staffId: heldStaff, source: "voice", retellCallId: call.id });

    const found = await call.fn("find_appointments");
    expect(found.body.appointments).toEqual([expect.objectContaining({ id, branchId: hamburg, serviceName: "Behandlung" })]);
    const moved = await call.fn("reschedule_appointment", { appointment_id: id, date: date.toISODate(), time: "15:45" });
    expect(moved.body).toMatchObject({ ok: true, appointment: { id, start: isoAt(date, "15:45") } });
    expect(moved.body.result).toMatch(/^Ich habe Ihren Termin verschoben: Behandlung jetzt am .*, um 15:45 Uhr bei /);
    const cancelled = await call.fn("cancel_appointment", { appointment_id: id });
    expect(cancelled.body.result).toMatch(/^Ihr Termin Behandlung am .*, um 15:45 Uhr bei .* ist storniert\.$/);
    expect((await api.scratch.db.appointment.findUniqueOrThrow({ where: { id } })).status).toBe("cancelled");
  });

  it("routes by an explicit branch wish, by the named staff member, and by the caller's area code", async () => {
    const date = dayAhead(9, [4]);
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
    const date = dayAhead(10, [2, 3, 4, 5]);
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

    const moved = await call.fn("reschedule_appointment", { appointment_id: id, start: isoAt(date.plus({ days: 1 }), "11:00") });
    expect(moved.body).toMatchObject({ ok: true, appointment: { start: isoAt(date.plus({ days: 1 }), "11:00"), staffName: "Sabine Krüger" } });
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

describe("a company that speaks English", () => {
  it("answers in English", async () => {
    const spa = await api.scratch.db.company.findUniqueOrThrow({ where: { slug: "matrix-spa" } });
    await api.scratch.db.company.update({ where: { id: spa.id }, data: { messageLanguage: "en" } });
    try {
      const date = dayAhead(14, [2]);
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
