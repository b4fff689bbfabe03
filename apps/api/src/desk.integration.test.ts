/**
 * What a front desk reads (issue 9, items 1–3): appointments.get, readable lists with a status filter,
 * the customer card with history, and phone numbers as people type them. Real API over HTTP.
 */
import { describe, expect, it } from "vitest";
import { at, nextDate } from "./testing/dates.js";
import { uniqueKey, useTestApi } from "./testing/server.js";

const t = useTestApi();

const key = () => uniqueKey("desk");
const OFFSET = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/;

const salon = async () => {
  const { token } = await t.client.login("desk@simple-salon.example");
  const branchId = (await t.client.query("directory.branches", undefined, token)).data[0].id as string;
  const services = (await t.client.query("directory.services", undefined, token)).data as { id: string; name: string; durationMinutes: number }[];
  const staff = (await t.client.query("directory.staff", undefined, token)).data as { id: string; name: string }[];
  return { token, branchId, cut: services.find((s) => s.durationMinutes === 30)!, staff };
};

describe("appointments.get and appointments.list read like a person would", () => {
  it("carry names, notes, source and calendar sync state, and filter by status", async () => {
    const s = await salon();
    const date = nextDate(14);
    const [anna, ben] = s.staff;
    await t.client.mutation("customers.upsert", { phone: "+491701112233", name: "Greta Lang", notes: "allergisch gegen Latex" }, s.token);
    const book = (staff: { id: string }, hhmm: string, headers?: Record<string, string>) =>
      t.client.mutation("appointments.create", {
        branchId: s.branchId, serviceId: s.cut.id, staffId: staff.id, start: at(date, hhmm),
        customer: { phone: "+491701112233", name: "Greta Lang" }, idempotencyKey: key(), notes: `Termin ${hhmm}`,
      }, s.token, headers);
    const first = await book(anna!, "10:00", { "x-askproai-client": "desktop" });
    const second = await book(ben!, "11:00");
    expect([first.status, second.status]).toEqual([200, 200]);
    await t.client.mutation("appointments.cancel", { id: second.data.id, reason: "krank" }, s.token);

    const got = await t.client.query("appointments.get", { id: first.data.id }, s.token);
    expect(got.status).toBe(200);
    expect(got.data).toMatchObject({
      id: first.data.id, status: "confirmed", start: at(date, "10:00"), end: at(date, "10:30"),
      staffId: anna!.id, staffName: anna!.name, serviceId: s.cut.id, serviceName: s.cut.name, branchId: s.branchId,
      notes: "Termin 10:00", source: "desktop", version: 1, cancelledAt: null,
      customer: { id: expect.any(String), name: "Greta Lang", phone: "+491701112233", email: null, notes: "allergisch gegen Latex" },
      priceMinor: expect.any(Number), currency: "EUR",
    });
    expect(got.data.createdAt).toMatch(OFFSET);
    // the calendar sync state as the sync left it
    await t.api.scratch.db.appointment.update({ where: { id: first.data.id }, data: { calendarSyncStatus: "failed", calendarSyncError: "Cal.com answered 503" } });
    expect((await t.client.query("appointments.get", { id: first.data.id }, s.token)).data.calendarSync).toEqual({ status: "failed", syncedAt: null, error: "Cal.com answered 503" });

    const range = { branchId: s.branchId, from: at(date, "00:00"), to: at(date, "23:59") };
    const all = (await t.client.query("appointments.list", range, s.token)).data;
    expect(all.map((a: { id: string; status: string }) => [a.id, a.status])).toEqual([[first.data.id, "confirmed"], [second.data.id, "cancelled"]]);
    expect(all[1]).toMatchObject({ staffName: ben!.name, serviceName: s.cut.name, source: "api", notes: "Termin 11:00", customer: { name: "Greta Lang", phone: "+491701112233", notes: "allergisch gegen Latex" } });

    const confirmedOnly = (await t.client.query("appointments.list", { ...range, status: "confirmed" }, s.token)).data;
    expect(confirmedOnly.map((a: { id: string }) => a.id)).toEqual([first.data.id]);
    const both = (await t.client.query("appointments.list", { ...range, status: ["cancelled", "confirmed"] }, s.token)).data;
    expect(both).toHaveLength(2);
    const bens = (await t.client.query("appointments.list", { ...range, staffId: ben!.id }, s.token)).data;
    expect(bens.map((a: { id: string }) => a.id)).toEqual([second.data.id]);
    const bad = await t.client.query("appointments.list", { ...range, status: "failed" }, s.token);
    expect(bad.status).toBe(400);
    expect(bad.error!.data.fields).toEqual(["status"]);
  });

  it("answers NOT_FOUND for another company's appointment and for a failed attempt", async () => {
    const s = await salon();
    const spa = await t.client.login("desk@matrix-spa.example");
    const date = nextDate(15);
    const created = await t.client.mutation("appointments.create", {
      branchId: s.branchId, serviceId: s.cut.id, start: at(date, "12:00"), customer: { phone: "+491709998877", name: "Ida" }, idempotencyKey: key(),
    }, s.token);
    const foreign = await t.client.query("appointments.get", { id: created.data.id }, spa.token);
    expect(foreign.status).toBe(404);
    expect(foreign.error!.message).toBe("appointment not found");
    await t.api.scratch.db.appointment.update({ where: { id: created.data.id }, data: { status: "failed" } });
    expect((await t.client.query("appointments.get", { id: created.data.id }, s.token)).status).toBe(404);
  });
});

describe("customers.get: the customer card", () => {
  it("shows upcoming and recent appointments, the no-show count, the last visit and notes", async () => {
    const s = await salon();
    const phone = "+491705554433";
    const customer = (await t.client.mutation("customers.upsert", { phone, name: "Hans Weber", notes: "kommt oft zu spät" }, s.token)).data;
    const future = await t.client.mutation("appointments.create", {
      branchId: s.branchId, serviceId: s.cut.id, start: at(nextDate(16), "14:00"), customer: { phone, name: "Hans Weber" }, idempotencyKey: key(),
    }, s.token);
    expect(future.status).toBe(200);
    // Two past visits (written as the history they stand for), one of them then marked a no-show over the API.
    const { companyId } = await t.api.scratch.db.customer.findUniqueOrThrow({ where: { id: customer.id }, select: { companyId: true } });
    const past = (daysAgo: number) => {
      const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 - daysAgo * 86_400_000);
      return t.api.scratch.db.appointment.create({
        data: {
          companyId, branchId: s.branchId, staffId: s.staff[0]!.id, serviceId: s.cut.id, customerId: customer.id, startsAt: start,
          endsAt: new Date(start.getTime() + 30 * 60_000), status: "confirmed", source: "desktop", correlationId: "history",
        },
      });
    };
    const visited = await past(30);
    const missed = await past(7);
    expect((await t.client.mutation("appointments.markNoShow", { id: missed.id }, s.token)).data.status).toBe("no_show");

    const card = await t.client.query("customers.get", { id: customer.id }, s.token);
    expect(card.status).toBe(200);
    expect(card.data).toMatchObject({ id: customer.id, name: "Hans Weber", phone, notes: "kommt oft zu spät", noShowCount: 1 });
    expect(card.data.upcoming.map((a: { id: string }) => a.id)).toEqual([future.data.id]);
    expect(card.data.upcoming[0]).toMatchObject({ staffName: expect.any(String), serviceName: s.cut.name, status: "confirmed" });
    expect(card.data.recent.map((a: { id: string; status: string }) => [a.id, a.status])).toEqual([[missed.id, "no_show"], [visited.id, "confirmed"]]);
    expect(Date.parse(card.data.lastVisitAt)).toBe(visited.startsAt.getTime());
    expect(card.data.lastVisitAt).toMatch(OFFSET);
    expect(card.data.createdAt).toMatch(OFFSET);

    const spa = await t.client.login("desk@matrix-spa.example");
    expect((await t.client.query("customers.get", { id: customer.id }, spa.token)).status).toBe(404);
  });
});

describe("phone numbers as people type them", () => {
  it("three spellings of one number find and book the same customer", async () => {
    const s = await salon();
    const created = await t.client.mutation("customers.upsert", { phone: "0151 1234567", name: "Mila Roth" }, s.token);
    expect(created.status).toBe(200);
    expect(created.data.phone).toBe("+491511234567");

    for (const spelling of ["0151 1234567", "+49 (151) 123 45 67", "0049 151 1234567", "+491511234567"]) {
      const found = await t.client.query("customers.search", { query: spelling }, s.token);
      expect(found.status, spelling).toBe(200);
      expect(found.data[0], spelling).toMatchObject({ id: created.data.id, phone: "+491511234567" });
    }
    // part of the number as the caller reads it, national or international
    expect((await t.client.query("customers.search", { query: "0151 123" }, s.token)).data.map((c: { id: string }) => c.id)).toContain(created.data.id);
    expect((await t.client.query("customers.search", { query: "4567" }, s.token)).data.map((c: { id: string }) => c.id)).toContain(created.data.id);

    const date = nextDate(17);
    const booked = await Promise.all(
      ["0151 1234567", "+49 (151) 123 45 67", "0049 151 1234567"].map((phone, i) =>
        t.client.mutation("appointments.create", {
          branchId: s.branchId, serviceId: s.cut.id, staffId: s.staff[i]!.id, start: at(date, "09:00"), customer: { phone, name: "Mila Roth" }, idempotencyKey: key(),
        }, s.token),
      ),
    );
    expect(booked.map((b) => b.status)).toEqual([200, 200, 200]);
    expect(new Set(booked.map((b) => b.data.customerId))).toEqual(new Set([created.data.id]));
    expect(await t.api.scratch.db.customer.count({ where: { phone: { contains: "1511234567" } } })).toBe(1);
    // customers.upsert with another spelling updates the same row
    const again = await t.client.mutation("customers.upsert", { phone: "+49 151 1234567", name: "Mila Roth-Berg" }, s.token);
    expect(again.data).toMatchObject({ id: created.data.id, name: "Mila Roth-Berg" });
  });

  it("an impossible number is a BAD_REQUEST naming the field, and nothing is written", async () => {
    const s = await salon();
    const before = await Promise.all([t.api.scratch.db.customer.count(), t.api.scratch.db.appointment.count()]);
    const create = await t.client.mutation("appointments.create", {
      branchId: s.branchId, serviceId: s.cut.id, start: at(nextDate(18), "09:00"), customer: { phone: "123", name: "X" }, idempotencyKey: key(),
    }, s.token);
    expect(create.status).toBe(400);
    expect(create.error!.data.fields).toEqual(["customer.phone"]);
    expect(create.error!.message).toBe("customer.phone: not a possible phone number (read in DE)");
    const upsert = await t.client.mutation("customers.upsert", { phone: "+49 1", name: "X" }, s.token);
    expect(upsert.status).toBe(400);
    expect(upsert.error!.data.fields).toEqual(["phone"]);
    const letters = await t.client.mutation("customers.upsert", { phone: "call me", name: "X" }, s.token);
    expect(letters.status).toBe(400);
    expect(letters.error!.data.fields).toEqual(["phone"]);
    expect(await Promise.all([t.api.scratch.db.customer.count(), t.api.scratch.db.appointment.count()])).toEqual(before);
  });
});

describe("repeats that say so", () => {
  it("a reschedule to the same start and staff member changes nothing and keeps the version", async () => {
    const s = await salon();
    const date = nextDate(19);
    const body = { branchId: s.branchId, serviceId: s.cut.id, staffId: s.staff[0]!.id, start: at(date, "13:00"), customer: { phone: "+491707778899", name: "Olaf" }, idempotencyKey: key() };
    const created = (await t.client.mutation("appointments.create", body, s.token)).data;
    expect(created.replayed).toBe(false);
    const counts = () => Promise.all([
      t.api.scratch.db.appointmentAudit.count({ where: { appointmentId: created.id } }),
      t.api.scratch.db.outboxEvent.count({ where: { aggregateId: created.id } }),
    ]);
    const before = await counts();
    for (const move of [{ start: at(date, "13:00") }, { start: at(date, "13:00"), staffId: s.staff[0]!.id }]) {
      const same = await t.client.mutation("appointments.reschedule", { id: created.id, expectedVersion: 1, ...move }, s.token);
      expect(same.status).toBe(200);
      expect(same.data).toMatchObject({ id: created.id, start: at(date, "13:00"), staffId: s.staff[0]!.id, version: 1 });
    }
    expect(await counts()).toEqual(before);
    // the create again: the original, marked as a repeat
    const replayed = await t.client.mutation("appointments.create", body, s.token);
    expect(replayed.data).toMatchObject({ id: created.id, version: 1, replayed: true });
    // a stale version is still refused, and a real move still raises it
    expect((await t.client.mutation("appointments.reschedule", { id: created.id, expectedVersion: 2, start: at(date, "13:00") }, s.token)).status).toBe(412);
    const moved = await t.client.mutation("appointments.reschedule", { id: created.id, expectedVersion: 1, start: at(date, "13:00"), staffId: s.staff[1]!.id }, s.token);
    expect(moved.data).toMatchObject({ staffId: s.staff[1]!.id, version: 2 });
  });
});
