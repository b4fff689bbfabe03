/**
 * Company set-up over real HTTP: owners build their business through the API, every change reaches
 * availability at once and lands in the audit log; front desks and other companies are kept out.
 */
import { describe, expect, it } from "vitest";
import { appRouter } from "./root.js";
import { at, nextDate } from "./testing/dates.js";
import { uniqueKey, uniquePhone, useTestApi } from "./testing/server.js";

const t = useTestApi();

const login = async (who: string) => (await t.client.login(who)).token;
const slotsOf = async (token: string, q: { branchId: string; serviceId: string; from: string; staffId?: string }) => {
  const res = await t.client.query("availability.slots", { ...q, days: 1 }, token);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.data.slots as { start: string; end: string; staffId: string }[];
};
const ok = <T = any>(res: { status: number; data: T; body: unknown }) => {
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.data;
};

describe("an owner sets up their business", () => {
  it("a new staff member with skills and hours appears in availability.slots at once (warm cache)", async () => {
    const owner = await login("owner@simple-salon.example");
    const branchId = (await t.client.query("directory.branches", undefined, owner)).data[0].id as string;
    const service = ok(await t.client.mutation("setup.services.create", { name: "Bartpflege", durationMinutes: 20, priceMinor: 1500 }, owner));
    expect(service).toMatchObject({ durationMinutes: 20, priceMinor: 1500, currency: "EUR", bufferBeforeMinutes: 0, isActive: true });
    const date = nextDate(8);
    expect(await slotsOf(owner, { branchId, serviceId: service.id, from: date })).toEqual([]); // warm: nobody does it yet

    const staff = ok(await t.client.mutation("setup.staff.create", { name: "Jonas Keller", email: "jonas@simple-salon.example", branchIds: [branchId] }, owner));
    ok(await t.client.mutation("setup.skills.set", { staffId: staff.id, skills: [{ serviceId: service.id }] }, owner));
    expect(await slotsOf(owner, { branchId, serviceId: service.id, from: date })).toEqual([]); // a skill, but no hours yet
    const rules = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMinute: 600, endMinute: 720 }));
    ok(await t.client.mutation("schedule.setWeeklyRules", { branchId, staffId: staff.id, rules }, owner));

    const slots = await slotsOf(owner, { branchId, serviceId: service.id, from: date });
    expect(slots.length).toBeGreaterThan(0);
    expect(new Set(slots.map((s) => s.staffId))).toEqual(new Set([staff.id]));
    expect(slots[0]).toMatchObject({ start: at(date, "10:00") });
    expect(Date.parse(slots[0]!.end) - Date.parse(slots[0]!.start)).toBe(20 * 60_000);
    // and the desk can book them
    const desk = await login("desk@simple-salon.example");
    const booked = await t.client.mutation("appointments.create", {
      branchId, serviceId: service.id, staffId: staff.id, start: slots[0]!.start, customer: { phone: uniquePhone(), name: "Paul Neu" }, idempotencyKey: uniqueKey(),
    }, desk);
    expect(booked.status, JSON.stringify(booked.body)).toBe(200);
  });

  it("a new branch with its own number, a room and a service is bookable once staffed", async () => {
    const owner = await login("owner@matrix-spa.example");
    const branch = ok(await t.client.mutation("setup.branches.create", {
      name: "Spa Westend", phoneNumber: "069 90009399", street: "Bockenheimer Landstraße 1", postalCode: "60325", city: "Frankfurt", areaCodes: ["+4969"],
    }, owner));
    expect(branch).toMatchObject({ name: "Spa Westend", phoneNumber: "+496990009399", timezone: "Europe/Berlin", areaCodes: ["+4969"], isActive: true });
    const room = ok(await t.client.mutation("setup.resources.create", { branchId: branch.id, kind: "sauna", name: "Sauna 1" }, owner));
    const service = ok(await t.client.mutation("setup.services.create", {
      name: "Saunaritual", durationMinutes: 60, bufferAfterMinutes: 15, priceMinor: 4900, requiredSkillLevel: 2, requiredResourceKind: "sauna",
    }, owner));
    const staff = ok(await t.client.mutation("setup.staff.create", { name: "Mira Stein", branchIds: [branch.id] }, owner));
    ok(await t.client.mutation("setup.skills.set", { staffId: staff.id, skills: [{ serviceId: service.id, level: 1 }] }, owner));
    ok(await t.client.mutation("schedule.setWeeklyRules", { branchId: branch.id, staffId: staff.id, rules: [{ weekday: 3, startMinute: 540, endMinute: 1020 }] }, owner));
    const date = nextDate(9, [3]);
    expect(await slotsOf(owner, { branchId: branch.id, serviceId: service.id, from: date })).toEqual([]); // level 1 < required 2
    expect(ok(await t.client.query("setup.readiness", undefined, owner)).ready).toBe(true); // the seeded branch is ready anyway

    ok(await t.client.mutation("setup.skills.set", { staffId: staff.id, skills: [{ serviceId: service.id, level: 3 }] }, owner));
    expect((await slotsOf(owner, { branchId: branch.id, serviceId: service.id, from: date })).length).toBeGreaterThan(0);
    ok(await t.client.mutation("setup.resources.deactivate", { id: room.id }, owner));
    expect(await slotsOf(owner, { branchId: branch.id, serviceId: service.id, from: date })).toEqual([]); // no sauna, no ritual
  });

  it("policy changes count at once: a shorter horizon hides the later days", async () => {
    const owner = await login("owner@simple-salon.example");
    const branchId = (await t.client.query("directory.branches", undefined, owner)).data[0].id as string;
    // a seeded service (the ones made above are done by one staff member only, on weekday mornings)
    const serviceId = ((await t.client.query("directory.services", undefined, owner)).data as { id: string; name: string }[]).find((x) => x.name !== "Bartpflege")!.id;
    const from = nextDate(1, [1, 2, 3, 4, 5, 6]);
    expect((await slotsOf(owner, { branchId, serviceId, from })).length).toBeGreaterThan(0);
    const profile = ok(await t.client.mutation("setup.company.update", { horizonDays: 1 }, owner));
    expect(profile.horizonDays).toBe(1);
    expect(await slotsOf(owner, { branchId, serviceId, from: nextDate(3, [1, 2, 3, 4, 5, 6]) })).toEqual([]);
    ok(await t.client.mutation("setup.company.update", { horizonDays: 180 }, owner));
    expect((await slotsOf(owner, { branchId, serviceId, from: nextDate(3, [1, 2, 3, 4, 5, 6]) })).length).toBeGreaterThan(0);
  });

  it("changing a service's duration changes new slots, never booked appointments", async () => {
    const owner = await login("owner@simple-salon.example");
    const branchId = (await t.client.query("directory.branches", undefined, owner)).data[0].id as string;
    const service = ok(await t.client.mutation("setup.services.create", { name: "Kopfmassage", durationMinutes: 30, priceMinor: 2000 }, owner));
    const seeded = ((await t.client.query("directory.staff", { branchId }, owner)).data as { id: string; name: string }[]).filter((x) => x.name !== "Jonas Keller");
    const staffIds = seeded.map((x) => x.id);
    const skills = ok(await t.client.query("setup.skills.list", { staffId: staffIds[0] }, owner)) as { serviceId: string; level: number }[];
    ok(await t.client.mutation("setup.skills.set", { staffId: staffIds[0], skills: [...skills.map(({ serviceId, level }) => ({ serviceId, level })), { serviceId: service.id }] }, owner));
    const date = nextDate(15);
    const booked = ok(await t.client.mutation("appointments.create", {
      branchId, serviceId: service.id, start: at(date, "11:00"), customer: { phone: uniquePhone(), name: "Eva Lang" }, idempotencyKey: uniqueKey(),
    }, owner));
    expect(Date.parse(booked.end) - Date.parse(booked.start)).toBe(30 * 60_000);
    const warm = await slotsOf(owner, { branchId, serviceId: service.id, from: date });
    expect(Date.parse(warm[0]!.end) - Date.parse(warm[0]!.start)).toBe(30 * 60_000);

    const updated = ok(await t.client.mutation("setup.services.update", { id: service.id, durationMinutes: 45, priceMinor: 2500 }, owner));
    expect(updated).toMatchObject({ durationMinutes: 45, priceMinor: 2500 });
    const slots = await slotsOf(owner, { branchId, serviceId: service.id, from: date });
    expect(Date.parse(slots[0]!.end) - Date.parse(slots[0]!.start)).toBe(45 * 60_000);
    const again = ok(await t.client.query("appointments.get", { id: booked.id }, owner));
    expect({ start: again.start, end: again.end, version: again.version }).toEqual({ start: booked.start, end: booked.end, version: booked.version });
    // a booking made now takes the new duration
    const next = ok(await t.client.mutation("appointments.create", {
      branchId, serviceId: service.id, staffId: staffIds[0], start: at(date, "14:00"), customer: { phone: uniquePhone(), name: "Ina Roth" }, idempotencyKey: uniqueKey(),
    }, owner));
    expect(Date.parse(next.end) - Date.parse(next.start)).toBe(45 * 60_000);
  });

  it("validates prices, durations, zones and names, naming the fields and writing nothing", async () => {
    const owner = await login("owner@simple-salon.example");
    const before = await t.api.scratch.db.service.count();
    const bad = await t.client.mutation("setup.services.create", { name: "  ", durationMinutes: 0, priceMinor: 12.5, currency: "euro" }, owner);
    expect(bad.status).toBe(400);
    expect(bad.error!.data.fields).toEqual(expect.arrayContaining(["name", "durationMinutes", "priceMinor", "currency"]));
    expect((await t.client.mutation("setup.services.create", { name: "X", durationMinutes: 30, priceMinor: -1 }, owner)).error!.data.fields).toEqual(["priceMinor"]);
    expect((await t.client.mutation("setup.branches.create", { name: "Y", timezone: "Mars/Olympus" }, owner)).error!.data.fields).toEqual(["timezone"]);
    expect((await t.client.mutation("setup.company.update", { slotStepMinutes: 1, country: "XX" }, owner)).error!.data.fields).toEqual(
      expect.arrayContaining(["slotStepMinutes", "country"]),
    );
    const impossible = await t.client.mutation("setup.branches.create", { name: "Z", phoneNumber: "+49 30" }, owner);
    expect(impossible.status).toBe(400);
    expect(impossible.error!.data.fields).toEqual(["phoneNumber"]);
    expect(await t.api.scratch.db.service.count()).toBe(before);
  });
});

describe("who may manage", () => {
  const setupProcedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>).filter(([path]) => path.startsWith("setup."));

  it("a front desk is refused every management procedure", async () => {
    expect(setupProcedures.length).toBeGreaterThan(30);
    const desk = await login("desk@simple-salon.example");
    for (const [path, procedure] of setupProcedures) {
      const res = procedure._def.type === "query" ? await t.client.query(path, undefined, desk) : await t.client.mutation(path, {}, desk);
      expect(res.status, path).toBe(403);
      expect(res.error!.data.code, path).toBe("FORBIDDEN");
    }
    const weekly = await t.client.mutation("schedule.setWeeklyRules", {}, desk);
    expect(weekly.status).toBe(403);
  });

  it("without a token every management procedure is UNAUTHORIZED", async () => {
    for (const [path, procedure] of setupProcedures.slice(0, 10)) {
      const res = procedure._def.type === "query" ? await t.client.query(path) : await t.client.mutation(path, {});
      expect(res.status, path).toBe(401);
    }
  });
});

describe("integrations (owner)", () => {
  it("connects the Retell agent and the Stripe customer, shows the last webhook, refuses another company's ids", async () => {
    const owner = await login("owner@simple-salon.example");
    const empty = ok(await t.client.query("setup.integrations.get", undefined, owner));
    // contract.md: every demo company has a Stripe customer with an active subscription.
    expect(empty).toMatchObject({
      retell: { connected: false, agentId: null, lastWebhookAt: null },
      stripe: { connected: true, customerId: "cus_demo_simple_salon", subscriptionId: "sub_demo_simple_salon", billingStatus: "active" },
    });
    expect(empty).not.toHaveProperty("calcom");
    const set = ok(await t.client.mutation("setup.integrations.update", { retellAgentId: "agent_salon_0815", stripeCustomerId: "cus_SalonMitte01" }, owner));
    expect(set).toMatchObject({ retell: { connected: true, agentId: "agent_salon_0815" }, stripe: { connected: true, customerId: "cus_SalonMitte01" } });

    const company = await t.api.scratch.db.company.findUniqueOrThrow({ where: { slug: "simple-salon" } });
    const receivedAt = new Date(Date.now() - 60_000);
    await t.api.scratch.db.webhookEvent.create({
      data: { source: "retell", eventId: `call_x:call_ended:${Date.now()}`, eventType: "call_ended", companyId: company.id, payload: {}, correlationId: "t", receivedAt },
    });
    const seen = ok(await t.client.query("setup.integrations.get", undefined, owner));
    expect(Date.parse(seen.retell.lastWebhookAt)).toBe(Math.floor(receivedAt.getTime() / 1000) * 1000); // answered to the second
    expect(seen.stripe.lastWebhookAt).toBeNull();

    const spa = await login("owner@matrix-spa.example");
    const taken = await t.client.mutation("setup.integrations.update", { retellAgentId: "agent_salon_0815" }, spa);
    expect(taken.status).toBe(409);
    expect(taken.error!.data.fields).toEqual(["retellAgentId"]);
    expect(taken.error!.message).not.toMatch(/salon/i);
    expect((await t.client.mutation("setup.integrations.update", { stripeCustomerId: "customer-1" }, spa)).error!.data.fields).toEqual(["stripeCustomerId"]);
    expect(ok(await t.client.query("setup.integrations.get", undefined, spa)).retell.agentId).toBeNull();

    ok(await t.client.mutation("setup.integrations.update", { retellAgentId: null }, owner));
    const log = ok(await t.client.query("setup.auditLog", { entity: "company", limit: 2 }, owner)) as { action: string; changes: any }[];
    expect(log.map((e) => e.action)).toEqual(["integrations.update", "integrations.update"]);
    expect(log[0]!.changes).toEqual({ retellAgentId: { from: "agent_salon_0815", to: null } });
  });
});
