/**
 * Company set-up's guarantees over real HTTP: other companies' ids are NOT_FOUND and stay untouched,
 * nothing with appointments ahead is switched off silently, a number routes calls for one owner only
 * (also against writes that bypass the API), and every change is in the owner's audit log.
 */
import { describe, expect, it } from "vitest";
import { at, nextDate } from "./testing/dates.js";
import { uniqueKey, uniquePhone, useTestApi } from "./testing/server.js";

const t = useTestApi();

const login = async (who: string) => (await t.client.login(who)).token;
const ok = <T = any>(res: { status: number; data: T; body: unknown }) => {
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.data;
};
const salon = async () => {
  const owner = await t.client.login("owner@simple-salon.example");
  const branchId = (await t.client.query("directory.branches", undefined, owner.token)).data[0].id as string;
  const services = (await t.client.query("directory.services", undefined, owner.token)).data as { id: string; durationMinutes: number }[];
  const staff = (await t.client.query("directory.staff", undefined, owner.token)).data as { id: string; name: string }[];
  return { token: owner.token, user: owner.user, branchId, serviceId: services.find((s) => s.durationMinutes === 30)!.id, staff };
};
const book = async (token: string, q: { branchId: string; serviceId: string; staffId: string; start: string }) =>
  ok(await t.client.mutation("appointments.create", { ...q, customer: { phone: uniquePhone(), name: "Clara Berg" }, idempotencyKey: uniqueKey() }, token));

describe("another company's ids", () => {
  it("are NOT_FOUND for every set-up change, and nothing of theirs changes", async () => {
    const s = await salon();
    const spa = await login("owner@matrix-spa.example");
    const clinic = await login("owner@hotline-clinic.example");
    const spaBranch = (await t.client.query("setup.branches.list", undefined, spa)).data[0].id as string;
    const spaStaff = (await t.client.query("setup.staff.list", undefined, spa)).data[0].id as string;
    const spaService = (await t.client.query("setup.services.list", undefined, spa)).data[0].id as string;
    const spaRoom = (await t.client.query("setup.resources.list", undefined, spa)).data[0].id as string;
    const clinicHotline = (await t.client.query("setup.hotlines.list", undefined, clinic)).data[0].id as string;
    const db = t.api.scratch.db;
    const theirs = async () => ({
      branch: await db.branch.findUnique({ where: { id: spaBranch } }),
      staff: await db.staff.findUnique({ where: { id: spaStaff }, include: { skills: true, branches: true } }),
      service: await db.service.findUnique({ where: { id: spaService } }),
      room: await db.resource.findUnique({ where: { id: spaRoom } }),
      hotline: await db.hotlineNumber.findUnique({ where: { id: clinicHotline }, include: { routes: true } }),
      resources: await db.resource.count({ where: { branchId: spaBranch } }),
      staffAtBranch: await db.staffBranch.count({ where: { branchId: spaBranch } }),
      audit: await db.managementAudit.count(),
    });
    const before = await theirs();
    const calls: [string, unknown][] = [
      ["setup.branches.update", { id: spaBranch, name: "hijacked" }],
      ["setup.branches.deactivate", { id: spaBranch, futureAppointments: "cancel" }],
      ["setup.branches.reactivate", { id: spaBranch }],
      ["setup.staff.update", { id: spaStaff, name: "hijacked" }],
      ["setup.staff.deactivate", { id: spaStaff, futureAppointments: "keep" }],
      ["setup.staff.create", { name: "Mole", branchIds: [spaBranch] }],
      ["setup.staff.update", { id: s.staff[0]!.id, branchIds: [s.branchId, spaBranch] }],
      ["setup.skills.set", { staffId: spaStaff, skills: [] }],
      ["setup.skills.set", { staffId: s.staff[0]!.id, skills: [{ serviceId: spaService, level: 3 }] }],
      ["setup.skills.set", { staffId: s.staff[0]!.id, skills: [{ serviceId: s.serviceId, branchId: spaBranch }] }],
      ["setup.services.update", { id: spaService, priceMinor: 1 }],
      ["setup.services.deactivate", { id: spaService }],
      ["setup.resources.create", { branchId: spaBranch, kind: "sauna", name: "Mole" }],
      ["setup.resources.update", { id: spaRoom, name: "hijacked" }],
      ["setup.resources.deactivate", { id: spaRoom }],
      ["setup.hotlines.update", { id: clinicHotline, name: "hijacked" }],
      ["setup.hotlines.remove", { id: clinicHotline }],
      ["setup.hotlines.create", { name: "Mole", phoneNumber: "+493023125177", routes: [{ branchId: spaBranch }] }],
    ];
    for (const [path, input] of calls) {
      const res = await t.client.mutation(path, input, s.token);
      expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(404);
      expect(res.error!.data.code).toBe("NOT_FOUND");
    }
    expect((await t.client.query("setup.staff.get", { id: spaStaff }, s.token)).status).toBe(404);
    expect(await theirs()).toEqual(before);
    expect(await db.hotlineNumber.count({ where: { phoneNumber: "+493023125177" } })).toBe(0);
  });
});

describe("switching off what has appointments ahead", () => {
  it("a staff member with appointments ahead: refused with the list, then kept on request, never cancelled silently", async () => {
    const s = await salon();
    const staff = ok(await t.client.mutation("setup.staff.create", { name: "Tilo Brandt", branchIds: [s.branchId] }, s.token));
    ok(await t.client.mutation("setup.skills.set", { staffId: staff.id, skills: [{ serviceId: s.serviceId }] }, s.token));
    ok(await t.client.mutation("schedule.setWeeklyRules", { branchId: s.branchId, staffId: staff.id, rules: [{ weekday: 2, startMinute: 540, endMinute: 1020 }] }, s.token));
    const date = nextDate(20, [2]);
    const first = await book(s.token, { branchId: s.branchId, serviceId: s.serviceId, staffId: staff.id, start: at(date, "09:00") });
    const second = await book(s.token, { branchId: s.branchId, serviceId: s.serviceId, staffId: staff.id, start: at(date, "13:00") });

    const refused = await t.client.mutation("setup.staff.deactivate", { id: staff.id }, s.token);
    expect(refused.status).toBe(409);
    expect(refused.error!.data.code).toBe("CONFLICT");
    expect(refused.error!.message).toMatch(/2 appointment\(s\) ahead/);
    expect(refused.error!.data.appointmentCount).toBe(2);
    expect((refused.error!.data.appointments as { id: string }[]).map((a) => a.id)).toEqual([first.id, second.id]);
    expect(refused.error!.data.appointments).toEqual(expect.arrayContaining([expect.objectContaining({ staffName: "Tilo Brandt", customerName: "Clara Berg", start: first.start })]));
    expect((await t.api.scratch.db.staff.findUnique({ where: { id: staff.id } }))!.isActive).toBe(true);

    const kept = ok(await t.client.mutation("setup.staff.deactivate", { id: staff.id, futureAppointments: "keep" }, s.token));
    expect(kept.keptAppointments.map((a: { id: string }) => a.id)).toEqual([first.id, second.id]);
    expect(kept.cancelledAppointments).toEqual([]);
    for (const a of [first, second]) expect(ok(await t.client.query("appointments.get", { id: a.id }, s.token)).status).toBe("confirmed");
    // gone from the directory and from availability at once
    expect(((await t.client.query("directory.staff", undefined, s.token)).data as { id: string }[]).map((x) => x.id)).not.toContain(staff.id);
    const slots = await t.client.query("availability.slots", { branchId: s.branchId, serviceId: s.serviceId, from: date, days: 1 }, s.token);
    expect((slots.data.slots as { staffId: string }[]).some((x) => x.staffId === staff.id)).toBe(false);
    const named = await t.client.query("availability.slots", { branchId: s.branchId, serviceId: s.serviceId, staffId: staff.id, from: date, days: 1 }, s.token);
    expect(named.data?.slots ?? []).toEqual([]);

    ok(await t.client.mutation("setup.staff.reactivate", { id: staff.id }, s.token));
    const back = await t.client.query("availability.slots", { branchId: s.branchId, serviceId: s.serviceId, staffId: staff.id, from: date, days: 1 }, s.token);
    expect(back.data.slots.length).toBeGreaterThan(0);
  });

  it("a service switched off with 'cancel' cancels its appointments ahead in the same change, customers told", async () => {
    const s = await salon();
    const service = ok(await t.client.mutation("setup.services.create", { name: "Glossing", durationMinutes: 30, priceMinor: 3000 }, s.token));
    const staffId = s.staff.find((x) => !["Tilo Brandt", "Jonas Keller"].includes(x.name))!.id;
    const skills = ok(await t.client.query("setup.skills.list", { staffId }, s.token)) as { serviceId: string; level: number }[];
    ok(await t.client.mutation("setup.skills.set", { staffId, skills: [...skills.map(({ serviceId, level }) => ({ serviceId, level })), { serviceId: service.id }] }, s.token));
    const date = nextDate(22);
    const appointment = await book(s.token, { branchId: s.branchId, serviceId: service.id, staffId, start: at(date, "10:00") });

    const refused = await t.client.mutation("setup.services.deactivate", { id: service.id }, s.token);
    expect(refused.status).toBe(409);
    const done = ok(await t.client.mutation("setup.services.deactivate", { id: service.id, futureAppointments: "cancel" }, s.token));
    expect(done.cancelledAppointments.map((a: { id: string }) => a.id)).toEqual([appointment.id]);
    const after = ok(await t.client.query("appointments.get", { id: appointment.id }, s.token));
    expect(after).toMatchObject({ status: "cancelled", cancelReason: "service no longer available" });
    const outbox = await t.api.scratch.db.outboxEvent.findMany({ where: { aggregateId: appointment.id, topic: "notification.send" } });
    expect(outbox.map((e) => (e.payload as { kind: string }).kind)).toContain("cancellation");
    expect(((await t.client.query("directory.services", undefined, s.token)).data as { id: string }[]).map((x) => x.id)).not.toContain(service.id);
  });

  it("leaving a branch with appointments ahead there needs a choice too", async () => {
    const owner = await login("owner@hotline-clinic.example");
    const branches = ok(await t.client.query("setup.branches.list", undefined, owner)) as { id: string }[];
    const services = ok(await t.client.query("directory.services", { branchId: branches[0]!.id }, owner)) as { id: string }[];
    const staff = ok(await t.client.mutation("setup.staff.create", { name: "Rosa Wendt", branchIds: [branches[0]!.id] }, owner));
    ok(await t.client.mutation("setup.skills.set", { staffId: staff.id, skills: [{ serviceId: services[0]!.id }] }, owner));
    ok(await t.client.mutation("schedule.setWeeklyRules", { branchId: branches[0]!.id, staffId: staff.id, rules: [{ weekday: 4, startMinute: 540, endMinute: 900 }] }, owner));
    const appointment = await book(owner, { branchId: branches[0]!.id, serviceId: services[0]!.id, staffId: staff.id, start: at(nextDate(18, [4]), "09:00") });

    const refused = await t.client.mutation("setup.staff.update", { id: staff.id, name: "Rosa Wendt-Maier", branchIds: [branches[1]!.id] }, owner);
    expect(refused.status).toBe(409);
    expect(refused.error!.data.appointments).toEqual([expect.objectContaining({ id: appointment.id })]);
    // nothing of the refused change was written, the new name neither
    expect((await t.api.scratch.db.staff.findUnique({ where: { id: staff.id } }))!.name).toBe("Rosa Wendt");
    const moved = ok(await t.client.mutation("setup.staff.update", { id: staff.id, name: "Rosa Wendt-Maier", branchIds: [branches[1]!.id], futureAppointments: "keep" }, owner));
    expect(moved).toMatchObject({ name: "Rosa Wendt-Maier", branchIds: [branches[1]!.id], keptAppointments: [expect.objectContaining({ id: appointment.id })] });
    expect(await t.api.scratch.db.availabilityRule.count({ where: { staffId: staff.id } })).toBe(0); // hours at the old branch went with it
    expect(ok(await t.client.query("appointments.get", { id: appointment.id }, owner)).status).toBe("confirmed");
  });
});

describe("phone numbers route calls for one owner only", () => {
  it("a number of another company (branch or hotline) is refused, in any spelling, without saying whose", async () => {
    const s = await salon();
    for (const phoneNumber of ["+493023125200", "030 23125200", "+49 89 99998201"]) {
      const res = await t.client.mutation("setup.branches.create", { name: "Filiale Süd", phoneNumber }, s.token);
      expect(res.status, phoneNumber).toBe(409);
      expect(res.error!.data.code).toBe("CONFLICT");
      expect(res.error!.data.fields).toEqual(["phoneNumber"]);
      expect(res.error!.message).not.toMatch(/clinic|hotline-clinic|München|Praxis/i);
    }
    const hotline = await t.client.mutation("setup.hotlines.create", { name: "Zentrale", phoneNumber: "+496990009301" }, s.token);
    expect(hotline.status).toBe(409);
    const own = ok(await t.client.mutation("setup.branches.create", { name: "Filiale Süd", phoneNumber: "030 23125188" }, s.token));
    const moved = await t.client.mutation("setup.branches.update", { id: own.id, phoneNumber: "+493023125101" }, s.token); // the salon's other branch
    expect(moved.status).toBe(409);
    expect(await t.api.scratch.db.branch.count({ where: { name: "Filiale Süd" } })).toBe(1);
    // freeing a number lets another owner take it
    ok(await t.client.mutation("setup.branches.update", { id: own.id, phoneNumber: null }, s.token));
    const clinic = await login("owner@hotline-clinic.example");
    expect(ok(await t.client.mutation("setup.hotlines.create", { name: "Zweitnummer", phoneNumber: "030 23125188" }, clinic)).phoneNumber).toBe("+493023125188");
  });

  it("the database refuses a shared number even when the API is bypassed", async () => {
    const db = t.api.scratch.db;
    const clinic = await db.company.findUniqueOrThrow({ where: { slug: "hotline-clinic" } });
    await expect(db.hotlineNumber.create({ data: { companyId: clinic.id, name: "console", phoneNumber: "+496990009301" } })).rejects.toThrow();
    const spaBranch = await db.branch.findFirstOrThrow({ where: { phoneNumber: "+496990009301" } });
    await expect(db.branch.update({ where: { id: spaBranch.id }, data: { phoneNumber: "+493023125200" } })).rejects.toThrow();
    expect((await db.phoneNumber.findUniqueOrThrow({ where: { number: "+496990009301" } })).ownerId).toBe(spaBranch.id);
  });
});

describe("the audit log", () => {
  it("shows each change with its actor and time, newest first, to the owner only", async () => {
    const s = await salon();
    const branch = ok(await t.client.mutation("setup.branches.create", { name: "Audit-Filiale" }, s.token));
    ok(await t.client.mutation("setup.branches.update", { id: branch.id, city: "Potsdam", timezone: "Europe/Berlin" }, s.token));
    ok(await t.client.mutation("setup.branches.deactivate", { id: branch.id }, s.token));
    const log = ok(await t.client.query("setup.auditLog", { entityId: branch.id }, s.token)) as { action: string; actorId: string; actorName: string; actorType: string; at: string; changes: any }[];
    expect(log.map((e) => e.action)).toEqual(["branch.deactivate", "branch.update", "branch.create"]);
    for (const entry of log) expect(entry).toMatchObject({ actorType: "user", actorId: s.user.id, actorName: s.user.name });
    expect(log[1]!.changes).toEqual({ city: { from: null, to: "Potsdam" } }); // the unchanged zone is not recorded
    expect(log[0]!.at).toMatch(/\+0[12]:00$/);
    expect(Date.now() - Date.parse(log[0]!.at)).toBeLessThan(60_000);
    const all = ok(await t.client.query("setup.auditLog", { limit: 200 }, s.token)) as { action: string }[];
    expect(all.map((e) => e.action)).toEqual(expect.arrayContaining(["staff.create", "staff.skills", "staff.deactivate", "service.deactivate", "branch.create"]));
    const desk = await login("desk@simple-salon.example");
    expect((await t.client.query("setup.auditLog", undefined, desk)).status).toBe(403);
    const spa = await login("owner@matrix-spa.example");
    expect(ok(await t.client.query("setup.auditLog", { entityId: branch.id }, spa))).toEqual([]);
  });
});
