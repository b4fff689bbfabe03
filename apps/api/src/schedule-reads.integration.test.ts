/**
 * A schedule that can be read before it is changed (issue 9, item 5): weekly rules, staff skills and
 * levels, resources, exceptions in the branch's offset, and an exception over booked time that names
 * the appointments it touches instead of cancelling them. Real API over HTTP, demo data.
 */
import { describe, expect, it } from "vitest";
import { at, nextDate } from "./testing/dates.js";
import { uniqueKey, uniquePhone, useTestApi } from "./testing/server.js";

const t = useTestApi();

const session = async (slug: string, role: "desk" | "owner" = "desk") => {
  const { token } = await t.client.login(`${role}@${slug}.example`);
  const branchId = (await t.client.query("directory.branches", undefined, token)).data[0].id as string;
  const services = (await t.client.query("directory.services", undefined, token)).data as { id: string; name: string; durationMinutes: number }[];
  const staff = (await t.client.query("directory.staff", undefined, token)).data as { id: string; name: string; skills: { serviceName: string; level: number }[] }[];
  return { token, branchId, services, staff };
};

describe("schedule.weeklyRules", () => {
  it("reads every staff member's week at a branch, or one's, and shows a change at once", async () => {
    const desk = await session("simple-salon");
    const owner = await session("simple-salon", "owner");
    const week = await t.client.query("schedule.weeklyRules", { branchId: desk.branchId }, desk.token);
    expect(week.status).toBe(200);
    expect(week.data.timezone).toBe("Europe/Berlin");
    expect(week.data.staff.map((s: { staffName: string }) => s.staffName).sort()).toEqual(desk.staff.map((s) => s.name).sort());
    for (const member of week.data.staff) {
      expect(member.rules).toEqual([1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute: 540, endMinute: 1080, validFrom: null, validUntil: null })));
    }
    const one = desk.staff[1]!;
    const rules = [{ weekday: 2, startMinute: 600, endMinute: 720 }, { weekday: 4, startMinute: 780, endMinute: 1020 }];
    expect((await t.client.mutation("schedule.setWeeklyRules", { branchId: desk.branchId, staffId: one.id, rules }, owner.token)).status).toBe(200);
    const after = await t.client.query("schedule.weeklyRules", { branchId: desk.branchId, staffId: one.id }, desk.token);
    expect(after.data.staff).toEqual([{ staffId: one.id, staffName: one.name, rules: rules.map((r) => ({ ...r, validFrom: null, validUntil: null })) }]);

    const spa = await session("matrix-spa");
    expect((await t.client.query("schedule.weeklyRules", { branchId: spa.branchId }, desk.token)).status).toBe(404);
    expect((await t.client.query("schedule.weeklyRules", { branchId: desk.branchId, staffId: spa.staff[0]!.id }, desk.token)).status).toBe(404);
  });
});

describe("directory for the skill matrix", () => {
  it("directory.staff carries skills with levels; directory.resources lists the rooms", async () => {
    const spa = await session("matrix-spa");
    const sabine = spa.staff.find((s) => s.name === "Sabine Krüger")!;
    expect(Object.fromEntries(sabine.skills.map((k) => [k.serviceName, k.level]))).toEqual({
      "Klassische Massage": 3, "Hot-Stone-Massage": 3, "Gesichtsbehandlung": 2, "Maniküre": 2,
    });
    const mia = spa.staff.find((s) => s.name === "Mia Schulz")!;
    expect(mia.skills.every((k) => k.level === 1)).toBe(true);
    const rooms = await t.client.query("directory.resources", { branchId: spa.branchId }, spa.token);
    expect(rooms.status).toBe(200);
    expect(rooms.data.map((r: { name: string; kind: string }) => [r.kind, r.name])).toEqual([
      ["treatment_room", "Raum Eukalyptus"], ["treatment_room", "Raum Lavendel"],
    ]);
    const salon = await session("simple-salon");
    expect((await t.client.query("directory.resources", undefined, salon.token)).data).toEqual([]);
    expect((await t.client.query("directory.resources", { branchId: spa.branchId }, salon.token)).status).toBe(404);
  });
});

describe("schedule.addException over booked time", () => {
  it("answers with the appointments it touches and leaves them booked; exceptions carry the branch's offset", async () => {
    const s = await session("simple-salon");
    const cut = s.services.find((x) => x.durationMinutes === 30)!.id;
    const [anna, ben] = s.staff;
    const date = nextDate(25);
    const book = async (staffId: string, hhmm: string) =>
      (await t.client.mutation("appointments.create", {
        branchId: s.branchId, serviceId: cut, staffId, start: at(date, hhmm), customer: { phone: uniquePhone(), name: "Lea Busch" }, idempotencyKey: uniqueKey("exc"),
      }, s.token)).data as { id: string };
    const annasTen = await book(anna!.id, "10:00");
    const bensTen = await book(ben!.id, "10:00");
    const annasAfternoon = await book(anna!.id, "15:00");

    const sick = await t.client.mutation("schedule.addException", { kind: "sick", staffId: anna!.id, start: at(date, "09:00"), end: at(date, "13:00"), reason: "Grippe" }, s.token);
    expect(sick.status).toBe(200);
    expect(sick.data).toMatchObject({ kind: "sick", staffId: anna!.id, branchId: null, start: at(date, "09:00"), end: at(date, "13:00"), reason: "Grippe" });
    expect(sick.data.affectedAppointments.map((a: { id: string; status: string; staffName: string }) => [a.id, a.status, a.staffName])).toEqual([[annasTen.id, "confirmed", anna!.name]]);
    expect((await t.api.scratch.db.appointment.findUniqueOrThrow({ where: { id: annasTen.id } })).status).toBe("confirmed");
    // availability no longer offers Anna that morning, the booking stays on the list
    const slots = (await t.client.query("availability.slots", { branchId: s.branchId, serviceId: cut, staffId: anna!.id, from: date, days: 1 }, s.token)).data.slots as { start: string }[];
    expect(slots.some((x) => x.start === at(date, "11:00"))).toBe(false);
    expect(slots.some((x) => x.start === at(date, "14:00"))).toBe(true);

    const closure = await t.client.mutation("schedule.addException", { kind: "closure", branchId: s.branchId, start: at(date, "09:30"), end: at(date, "16:00") }, s.token);
    const closed = closure.data.affectedAppointments.map((a: { id: string }) => a.id) as string[];
    expect(new Set(closed.slice(0, 2))).toEqual(new Set([annasTen.id, bensTen.id]));
    expect(closed.slice(2)).toEqual([annasAfternoon.id]);
    const extra = await t.client.mutation("schedule.addException", { kind: "extra_availability", staffId: ben!.id, start: at(date, "18:00"), end: at(date, "20:00") }, s.token);
    expect(extra.data.affectedAppointments).toEqual([]);
    // a sick day or time off without a staff member would close the whole company: refused, nothing written
    for (const kind of ["sick", "time_off"]) {
      const nobody = await t.client.mutation("schedule.addException", { kind, start: at(date, "09:00"), end: at(date, "18:00") }, s.token);
      expect(nobody.status, kind).toBe(400);
      expect(nobody.error!.data.fields, kind).toEqual(["staffId"]);
      expect(nobody.error!.message, kind).toBe("Invalid input: staffId: sick days and time off are a staff member's (for everyone: holiday or closure)");
    }

    const listed = await t.client.query("schedule.exceptions", { branchId: s.branchId, from: at(date, "00:00"), to: at(date, "23:59") }, s.token);
    expect(listed.data.map((e: { kind: string; start: string }) => [e.kind, e.start])).toEqual([
      ["sick", at(date, "09:00")], ["closure", at(date, "09:30")], ["extra_availability", at(date, "18:00")],
    ]);
  });
});
