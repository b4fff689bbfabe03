import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { at, nextDate } from "./testing/dates.js";
import { http, startTestApi, type TestApi } from "./testing/server.js";

let api: TestApi;
let client: ReturnType<typeof http>;

beforeAll(async () => {
  api = await startTestApi();
  client = http(api.baseUrl);
});
afterAll(async () => api?.close());


const salon = async (role: "desk" | "owner" = "desk") => {
  const { token } = await client.login(`${role}@simple-salon.example`);
  const branchId = (await client.query("directory.branches", undefined, token)).data[0].id as string;
  const services = (await client.query("directory.services", undefined, token)).data as { id: string; durationMinutes: number }[];
  const staff = (await client.query("directory.staff", undefined, token)).data as { id: string }[];
  return { token, branchId, serviceId: services.find((s) => s.durationMinutes === 30)!.id, staff: staff.map((s) => s.id) };
};

const staffWithSlots = async (s: Awaited<ReturnType<typeof salon>>, date: string) => {
  const res = await client.query("availability.slots", { branchId: s.branchId, serviceId: s.serviceId, from: date, days: 1 }, s.token);
  return new Set((res.data.slots as { staffId: string }[]).map((x) => x.staffId));
};

describe("schedule changes reach availability at once", () => {
  it("time off added and removed over the API changes a warm answer immediately", async () => {
    const s = await salon();
    const date = nextDate(10);
    await staffWithSlots(s, date); // warm the cache
    expect(await staffWithSlots(s, date)).toEqual(new Set(s.staff));

    const added = await client.mutation("schedule.addException", {
      kind: "time_off", staffId: s.staff[0], start: at(date, "00:00"), end: at(date, "23:59"), reason: "Urlaub",
    }, s.token);
    expect(added.status).toBe(200);
    expect((await staffWithSlots(s, date)).has(s.staff[0]!)).toBe(false);

    expect((await client.mutation("schedule.removeException", { id: added.data.id }, s.token)).status).toBe(200);
    expect((await staffWithSlots(s, date)).has(s.staff[0]!)).toBe(true);
  });

  it("a branch-wide holiday empties the day", async () => {
    const s = await salon();
    const date = nextDate(11);
    expect((await staffWithSlots(s, date)).size).toBe(3);
    await client.mutation("schedule.addException", { kind: "holiday", branchId: s.branchId, start: at(date, "00:00"), end: at(date, "23:59") }, s.token);
    expect((await staffWithSlots(s, date)).size).toBe(0);
  });

  it("weekly rules: only owners and admins may change them, and the change shows at once", async () => {
    const desk = await salon("desk");
    const owner = await salon("owner");
    const date = nextDate(12, [3]); // a Wednesday
    const rules = [{ weekday: 1, startMinute: 600, endMinute: 720 }]; // Mondays 10–12 only
    const forbidden = await client.mutation("schedule.setWeeklyRules", { branchId: desk.branchId, staffId: desk.staff[1], rules }, desk.token);
    expect(forbidden.status).toBe(403);
    expect(forbidden.error!.data.code).toBe("FORBIDDEN");

    expect((await staffWithSlots(owner, date)).has(owner.staff[1]!)).toBe(true);
    expect((await client.mutation("schedule.setWeeklyRules", { branchId: owner.branchId, staffId: owner.staff[1], rules }, owner.token)).status).toBe(200);
    expect((await staffWithSlots(owner, date)).has(owner.staff[1]!)).toBe(false);
    expect(await api.scratch.db.availabilityRule.count({ where: { staffId: owner.staff[1] } })).toBe(1);
  });

  it("names malformed schedule input", async () => {
    const s = await salon();
    const res = await client.mutation("schedule.addException", { kind: "vacation", start: at(nextDate(3), "10:00"), end: at(nextDate(3), "09:00") }, s.token);
    expect(res.status).toBe(400);
    expect(res.error!.data.fields).toEqual(expect.arrayContaining(["kind"]));
  });
});

describe("another company's service and staff ids", () => {
  it("are NOT_FOUND for availability, bookings and schedule changes", async () => {
    const s = await salon();
    const spa = await client.login("desk@matrix-spa.example");
    const spaService = (await client.query("directory.services", undefined, spa.token)).data[0].id as string;
    const spaStaff = (await client.query("directory.staff", undefined, spa.token)).data[0].id as string;
    const date = nextDate(13);
    const answers = await Promise.all([
      client.query("availability.slots", { branchId: s.branchId, serviceId: spaService, from: date, days: 1 }, s.token),
      client.query("availability.slots", { branchId: s.branchId, serviceId: s.serviceId, staffId: spaStaff, from: date, days: 1 }, s.token),
      client.mutation("appointments.create", {
        branchId: s.branchId, serviceId: spaService, start: at(date, "10:00"), customer: { phone: "+4915199990001", name: "X" }, idempotencyKey: "cross-tenant-1",
      }, s.token),
      client.mutation("appointments.create", {
        branchId: s.branchId, serviceId: s.serviceId, staffId: spaStaff, start: at(date, "10:00"), customer: { phone: "+4915199990002", name: "X" }, idempotencyKey: "cross-tenant-2",
      }, s.token),
      client.mutation("schedule.addException", { kind: "time_off", staffId: spaStaff, start: at(date, "00:00"), end: at(date, "23:00") }, s.token),
    ]);
    for (const res of answers) {
      expect(res.status).toBe(404);
      expect(res.error!.data.code).toBe("NOT_FOUND");
    }
    expect(await api.scratch.db.appointment.count({ where: { idempotencyKey: { startsWith: "cross-tenant" } } })).toBe(0);
    expect(await api.scratch.db.availabilityException.count({ where: { staffId: spaStaff } })).toBe(0);
  });
});

describe("customers", () => {
  it("upserts by phone and finds by name or by digits, only within the company", async () => {
    const s = await salon();
    const created = await client.mutation("customers.upsert", { phone: "+4917612345678", name: "Katrin Vogel", email: "k.vogel@example.org" }, s.token);
    expect(created.data).toMatchObject({ id: expect.any(String), name: "Katrin Vogel", phone: "+4917612345678" });
    const renamed = await client.mutation("customers.upsert", { phone: "+4917612345678", name: "Katrin Vogel-Brandt" }, s.token);
    expect(renamed.data.id).toBe(created.data.id);
    expect(renamed.data.email).toBe("k.vogel@example.org");

    expect((await client.query("customers.search", { query: "vogel" }, s.token)).data.map((c: { id: string }) => c.id)).toEqual([created.data.id]);
    expect((await client.query("customers.search", { query: "5678" }, s.token)).data.map((c: { id: string }) => c.id)).toEqual([created.data.id]);
    const spa = await client.login("desk@matrix-spa.example");
    expect((await client.query("customers.search", { query: "vogel" }, spa.token)).data).toEqual([]);
    // the national spelling is the same customer (read in the company's country, DE)
    expect((await client.mutation("customers.upsert", { phone: "0176 12345678", name: "Katrin Vogel" }, s.token)).data.id).toBe(created.data.id);
    expect((await client.mutation("customers.upsert", { phone: "+49 17", name: "X" }, s.token)).error!.data.fields).toEqual(["phone"]);
  });
});

describe("no-show and completed over HTTP", () => {
  it("marks a started appointment and refuses a future one", async () => {
    const s = await salon();
    // 18+ days out: never the day the holiday test above closes (nextDate(11) is 11–17 days out)
    const date = nextDate(18);
    const future = (await client.mutation("appointments.create", {
      branchId: s.branchId, serviceId: s.serviceId, start: at(date, "15:00"), customer: { phone: "+4915112121212", name: "Timo" }, idempotencyKey: `noshow-${Date.now()}`,
    }, s.token)).data;
    const early = await client.mutation("appointments.markNoShow", { id: future.id }, s.token);
    expect(early.status).toBe(412);
    // move it into the past directly in the database (the API refuses bookings in the past)
    await api.scratch.db.appointment.update({ where: { id: future.id }, data: { startsAt: new Date(Date.now() - 3_600_000), endsAt: new Date(Date.now() - 1_800_000) } });
    const marked = await client.mutation("appointments.markNoShow", { id: future.id, expectedVersion: future.version }, s.token);
    expect(marked.data).toMatchObject({ id: future.id, status: "no_show", version: future.version + 1 });
    expect((await client.mutation("appointments.complete", { id: future.id }, s.token)).status).toBe(412);
  });
});
