/**
 * One time format (issue 9, item 6): every instant in every answer is ISO-8601 with the offset of the
 * branch's zone (company-wide rows: the company's zone), never "Z" and never without one.
 *
 * The walk takes the queries from appRouter's own definition, so a query added later is walked too: its
 * input is filled from its zod schema by field name (a required field nobody can fill fails the test
 * with the name to add below). The data: the demo companies plus bookings, a cancelled and a synced
 * one, a past visit, a failed attempt, a sent message, a Cal.com conflict and sync times, a waitlist
 * entry, and exceptions of one branch and of the whole company. Exempt: the bodies of
 * outside calls in debug.timeline (`detail.request`, `detail.response`), kept as they were sent.
 */
import { DEMO_OPERATOR_EMAIL, DEMO_PASSWORD } from "@askproai/db/seed";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { appRouter } from "./root.js";
import { ZONE, at, nextDate } from "./testing/dates.js";
import { uniqueKey, uniquePhone, useTestApi } from "./testing/server.js";

const t = useTestApi();

const ISO_LIKE = /^\d{4}-\d\d-\d\dT/;
const WITH_OFFSET = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$/;

interface Procedure {
  _def: { type: "query" | "mutation" | "subscription"; inputs: z.ZodType[] };
}
interface JsonSchema {
  type?: string;
  format?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
}

/** Every string in `value` that looks like an instant, with where it was found. */
const instantsIn = (value: unknown, path = "$"): { path: string; text: string }[] => {
  if (typeof value === "string") return ISO_LIKE.test(value) ? [{ path, text: value }] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => instantsIn(v, `${path}[${i}]`));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => instantsIn(v, `${path}.${k}`));
  return [];
};

/** Sample data of one company, found or made over the API. */
interface Samples {
  branchId: string;
  serviceId: string;
  staffId: string;
  appointmentId: string;
  customerId: string;
  customerName: string;
  date: string;
  /** The company itself (platform.companies.get). */
  companyId?: string;
}

/** An input for a query from its schema: known fields by name, required unknown ones fail loudly. */
const inputFor = (path: string, proc: Procedure, s: Samples): unknown => {
  const schema = proc._def.inputs[0];
  if (!schema) return undefined;
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const object = json.properties ? json : json.anyOf?.find((x) => x.properties);
  if (!object?.properties) return undefined;
  const ids: Record<string, string | undefined> = { "platform.companies.get": s.companyId, "appointments.get": s.appointmentId, "customers.get": s.customerId, "setup.staff.get": s.staffId };
  const sample = (name: string, field: JsonSchema): unknown => {
    const format = field.format ?? field.anyOf?.find((x) => x.format)?.format;
    if (name === "from") return format === "date" ? s.date : at(s.date, "00:00");
    if (name === "to") return at(s.date, "23:59");
    if (name === "id") return ids[path];
    return ({ branchId: s.branchId, serviceId: s.serviceId, staffId: s.staffId, appointmentId: s.appointmentId, days: 3, query: s.customerName.slice(0, 5) } as Record<string, unknown>)[name];
  };
  const input: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(object.properties)) {
    const value = sample(name, field);
    if (value !== undefined) input[name] = value;
    else if (object.required?.includes(name)) throw new Error(`no sample value for ${path} input field "${name}": add one to inputFor`);
  }
  return input;
};

/** Bookings, a cancelled and a synced appointment, a past visit, exceptions: instants in every answer. */
const prepare = async (slug: string, token: string): Promise<Samples> => {
  const { client, api } = t;
  const branchId = (await client.query("directory.branches", undefined, token)).data[0].id as string;
  const services = (await client.query("directory.services", { branchId }, token)).data as { id: string; requiredResourceKind: string | null }[];
  const serviceId = (services.find((x) => x.requiredResourceKind === null) ?? services[0]!).id;
  const staff = (await client.query("availability.slots", { branchId, serviceId, from: nextDate(30), days: 1 }, token)).data.slots[0].staffId as string;
  const date = nextDate(30);
  const customerName = `Zeit ${slug}`;
  const book = async (hhmm: string) => {
    const res = await client.mutation("appointments.create", {
      branchId, serviceId, staffId: staff, start: at(date, hhmm), customer: { phone: uniquePhone(), name: customerName }, idempotencyKey: uniqueKey("walk"),
    }, token);
    expect(res.status, `${slug} booking at ${hhmm}: ${JSON.stringify(res.error)}`).toBe(200);
    return res.data as { id: string; customerId: string };
  };
  const first = await book("11:00");
  const second = await book("14:00");
  await client.mutation("appointments.cancel", { id: second.id, reason: "verlegt" }, token);
  await api.scratch.db.appointment.update({ where: { id: first.id }, data: { calendarSyncStatus: "synced", calendarSyncedAt: new Date() } });
  const { companyId } = await api.scratch.db.branch.findUniqueOrThrow({ where: { id: branchId }, select: { companyId: true } });
  const pastStart = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 86_400_000);
  await api.scratch.db.appointment.create({
    data: {
      companyId, branchId, staffId: staff, serviceId, customerId: first.customerId, startsAt: pastStart, endsAt: new Date(pastStart.getTime() + 30 * 60_000),
      status: "completed", source: "desktop", correlationId: "walk",
    },
  });
  // Rows other areas write (a failed attempt, the worker's message, Cal.com's sync), so the lists that show
  // them (debug.failedBookings, messaging.list, calendar.*) hold instants too, and a waitlist entry.
  const { db } = api.scratch;
  await db.appointment.create({
    data: {
      companyId, branchId, staffId: staff, serviceId, customerId: first.customerId, startsAt: new Date(at(date, "12:00")), endsAt: new Date(at(date, "12:30")),
      status: "failed", failureReason: "walk", source: "api", correlationId: "walk",
    },
  });
  await db.message.create({
    data: { companyId, customerId: first.customerId, appointmentId: first.id, appointmentVersion: 1, kind: "confirmation", channel: "sms", language: "de", state: "sent", sentAt: new Date(), correlationId: "walk" },
  });
  await db.calendarConflict.create({
    data: { companyId, calcomBookingUid: `walk-${slug}`, staffId: staff, startsAt: new Date(at(date, "11:00")), endsAt: new Date(at(date, "11:30")), appointmentId: first.id, detail: "walk", correlationId: "walk" },
  });
  const syncTimes = { breakerChangedAt: new Date(), lastSuccessAt: new Date(), lastErrorAt: new Date(), lastError: "walk", reconciledAt: new Date() };
  await db.calendarConnection.upsert({ where: { companyId }, create: { companyId, ...syncTimes }, update: syncTimes });
  const joined = await client.mutation("waitlist.join", { branchId, serviceId, customer: { phone: uniquePhone(), name: customerName }, fromDate: date, toDate: date }, token);
  expect(joined.status, `${slug} waitlist.join: ${JSON.stringify(joined.error)}`).toBe(200);
  await client.mutation("schedule.addException", { kind: "time_off", staffId: staff, branchId, start: at(date, "15:00"), end: at(date, "16:00") }, token);
  await client.mutation("schedule.addException", { kind: "holiday", start: at(date, "18:00"), end: at(date, "23:00"), reason: "Betriebsfeier" }, token);
  return { branchId, serviceId, staffId: staff, appointmentId: first.id, customerId: first.customerId, customerName, date };
};

const berlinOffsetOf = (text: string) => DateTime.fromISO(text, { setZone: true }).setZone(ZONE).toFormat("ZZ");

describe("every instant in every answer carries the branch's offset", () => {
  it("walks every query of the router on seeded data", async () => {
    const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, Procedure>);
    const queries = procedures.filter(([, p]) => p._def.type === "query");
    expect(queries.length).toBeGreaterThanOrEqual(12);
    const walked = new Map<string, number>();
    // platform.* answers operators only (their own login, outside every company)
    const login = await t.client.mutation("platform.login", { email: DEMO_OPERATOR_EMAIL, password: DEMO_PASSWORD });
    const operatorToken = (login.data as { token: string }).token;
    for (const slug of ["simple-salon", "hotline-clinic", "matrix-spa"]) {
      const { token } = await t.client.login(`owner@${slug}.example`);
      const companies = (await t.client.query("platform.companies.list", undefined, operatorToken)).data as { id: string; slug: string }[];
      const samples = { ...(await prepare(slug, token)), companyId: companies.find((c) => c.slug === slug)?.id };
      for (const [path, proc] of queries) {
        const res = await t.client.query(path, inputFor(path, proc, samples), path.startsWith("platform.") ? operatorToken : token);
        expect(res.status, `${slug} ${path}: ${JSON.stringify(res.error)}`).toBe(200);
        // debug.timeline's outside-call bodies are a verbatim record of what went over the wire
        const found = instantsIn(res.data).filter((x) => !/\.detail\.(request|response)\b/.test(x.path));
        for (const { path: where, text } of found) {
          expect(text, `${slug} ${path} ${where}`).toMatch(WITH_OFFSET);
          // the offset is the zone's at that instant (all demo branches and companies are Europe/Berlin)
          expect(text.slice(-6), `${slug} ${path} ${where}`).toBe(berlinOffsetOf(text));
        }
        walked.set(path, (walked.get(path) ?? 0) + found.length);
      }
    }
    expect([...walked.keys()].sort()).toEqual(queries.map(([path]) => path).sort());
    // the walk is not vacuous: the answers that hold instants held them
    const holding = [
      "availability.slots", "appointments.list", "appointments.get", "customers.get", "schedule.exceptions", "debug.failedBookings", "debug.timeline",
      "setup.auditLog", "setup.users.list", "setup.integrations.get", "platform.companies.list", "platform.companies.get", "waitlist.list",
      "messaging.list", "company.billing", "calendar.status", "calendar.conflicts",
    ];
    for (const path of holding) {
      expect(walked.get(path), path).toBeGreaterThan(0);
    }
  });

  it("mutation answers too: login's expiry, an exception, a booking, its alternatives", async () => {
    const login = await t.client.mutation("auth.login", { email: "desk@simple-salon.example", password: "demo-pass-123" });
    expect(login.data.expiresAt).toMatch(WITH_OFFSET);
    const token = login.data.token as string;
    const branchId = (await t.client.query("directory.branches", undefined, token)).data[0].id as string;
    const serviceId = (await t.client.query("directory.services", undefined, token)).data[0].id as string;
    const date = nextDate(31);
    const company = await t.client.mutation("schedule.addException", { kind: "closure", start: at(date, "19:00"), end: at(date, "20:00") }, token);
    expect(instantsIn(company.data).map((x) => x.text)).toEqual([at(date, "19:00"), at(date, "20:00")]);
    const body = { branchId, serviceId, start: at(date, "10:00"), customer: { phone: uniquePhone(), name: "Ute" }, idempotencyKey: uniqueKey("walk") };
    const booked = await t.client.mutation("appointments.create", body, token);
    const taken = await t.client.mutation("appointments.create", { ...body, staffId: booked.data.staffId, idempotencyKey: uniqueKey("walk") }, token);
    const all = [...instantsIn(booked.data), ...instantsIn(taken.error!.data)];
    expect(all.length).toBeGreaterThan(3);
    for (const { text } of all) expect(text).toMatch(WITH_OFFSET);
  });
});
