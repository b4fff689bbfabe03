/**
 * Errors that say what happened (issue 9, item 4): a start that could never have been offered is a
 * BAD_REQUEST with a reason code; only a free slot that is taken is a CONFLICT; alternatives put the
 * requested staff member first and carry end and staffName. Real API over HTTP, demo data (minimum
 * notice 2 hours, horizon 180 days, 15-minute grid; simple-salon open Mon–Sat 09:00–18:00).
 */
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { ZONE, at, nextDate } from "./testing/dates.js";
import { uniqueKey, uniquePhone, useTestApi } from "./testing/server.js";

const t = useTestApi();

const key = () => uniqueKey("reason");
const OFFSET = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/;

interface Alternative { start: string; end: string; staffId: string; staffName: string }

const session = async (slug: string) => {
  const { token } = await t.client.login(`desk@${slug}.example`);
  const branchId = (await t.client.query("directory.branches", undefined, token)).data[0].id as string;
  const services = (await t.client.query("directory.services", undefined, token)).data as { id: string; name: string; durationMinutes: number }[];
  const staff = (await t.client.query("directory.staff", undefined, token)).data as { id: string; name: string }[];
  return { token, branchId, services, staff };
};

const book = (s: Awaited<ReturnType<typeof session>>, fields: { serviceId: string; start: string; staffId?: string }) =>
  t.client.mutation("appointments.create", { branchId: s.branchId, ...fields, customer: { phone: uniquePhone(), name: "Rita Sommer" }, idempotencyKey: key() }, s.token);

describe("a start that could never have been offered is a BAD_REQUEST with a reason", () => {
  it("each reason code for its case, with the field, a message said once, and alternatives where they help", async () => {
    const s = await session("simple-salon");
    const cut = s.services.find((x) => x.durationMinutes === 30)!.id;
    const anna = s.staff[0]!;
    const now = DateTime.now().setZone(ZONE);
    const date = nextDate(20);
    const sunday = nextDate(20, [7]);
    const cases = [
      { reason: "in_past", start: now.minus({ days: 1 }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 }).toISO()!, message: "start: is in the past" },
      { reason: "min_notice", start: now.plus({ minutes: 30 }).set({ second: 0, millisecond: 0 }).toISO()!, message: "start: is less than 2 hours from now (the minimum notice)" },
      { reason: "beyond_horizon", start: at(nextDate(200), "10:00"), message: "start: is more than 180 days ahead (the booking horizon)" },
      { reason: "outside_hours", start: at(date, "19:00"), message: "start: is outside this staff member's working hours" },
      { reason: "outside_hours", start: at(sunday, "10:00"), message: "start: is outside this staff member's working hours" },
      { reason: "outside_hours", start: at(date, "17:45"), message: "start: is outside this staff member's working hours" }, // would end 18:15
      { reason: "off_grid", start: at(date, "10:07"), message: "start: is not on the 15-minute grid of bookable starts" },
    ];
    const before = await t.api.scratch.db.appointment.count();
    for (const c of cases) {
      const res = await book(s, { serviceId: cut, staffId: anna.id, start: c.start });
      expect(res.status, c.start).toBe(400);
      expect(res.error!.data, c.start).toMatchObject({ code: "BAD_REQUEST", reason: c.reason, fields: ["start"] });
      expect(res.error!.message, c.start).toBe(c.message);
      const alternatives = res.error!.data.alternatives as Alternative[];
      if (c.reason === "beyond_horizon") expect(alternatives).toEqual([]);
      else {
        expect(alternatives.length, c.start).toBeGreaterThan(0);
        for (const alt of alternatives) {
          expect(alt).toEqual({ start: expect.stringMatching(OFFSET), end: expect.stringMatching(OFFSET), staffId: anna.id, staffName: anna.name });
          expect(Date.parse(alt.start)).toBeGreaterThanOrEqual(Date.now() + 2 * 3_600_000 - 60_000);
        }
      }
    }
    // the nearest times on the grid for an off-grid wish, the wish's own staff member first
    const offGrid = await book(s, { serviceId: cut, staffId: anna.id, start: at(date, "10:07") });
    expect((offGrid.error!.data.alternatives as Alternative[]).map((a) => a.start)).toEqual([at(date, "10:00"), at(date, "10:15"), at(date, "09:45")]);
    // without a staff member: "the" working hours
    const anyone = await book(s, { serviceId: cut, start: at(date, "07:00") });
    expect(anyone.error!.data.reason).toBe("outside_hours");
    expect(anyone.error!.message).toBe("start: is outside the working hours");
    expect(await t.api.scratch.db.appointment.count()).toBe(before);
  });

  it("staff_not_eligible names the staff member and offers someone who can", async () => {
    const s = await session("matrix-spa");
    const classic = s.services.find((x) => x.name === "Klassische Massage")!.id;
    const mia = s.staff.find((x) => x.name === "Mia Schulz")!;
    const res = await book(s, { serviceId: classic, staffId: mia.id, start: at(nextDate(21), "11:00") });
    expect(res.status).toBe(400);
    expect(res.error!.data).toMatchObject({ reason: "staff_not_eligible", fields: ["staffId"] });
    expect(res.error!.message).toBe("staffId: this staff member does not offer this service at this branch");
    const names = new Set((res.error!.data.alternatives as Alternative[]).map((a) => a.staffName));
    expect(names.size).toBeGreaterThan(0);
    for (const name of names) expect(["Sabine Krüger", "Jonas Weber"]).toContain(name);
  });

  it("a reschedule gets the same reasons", async () => {
    const s = await session("simple-salon");
    const cut = s.services.find((x) => x.durationMinutes === 30)!.id;
    const date = nextDate(22);
    const created = (await book(s, { serviceId: cut, start: at(date, "10:00") })).data;
    const moved = await t.client.mutation("appointments.reschedule", { id: created.id, start: at(date, "10:10"), expectedVersion: created.version }, s.token);
    expect(moved.status).toBe(400);
    expect(moved.error!.data).toMatchObject({ reason: "off_grid", fields: ["start"] });
    const sunday = await t.client.mutation("appointments.reschedule", { id: created.id, start: at(nextDate(22, [7]), "10:00"), expectedVersion: created.version }, s.token);
    expect(sunday.error!.data.reason).toBe("outside_hours");
    expect((await t.api.scratch.db.appointment.findUniqueOrThrow({ where: { id: created.id } })).version).toBe(1);
  });
});

describe("CONFLICT stays for a slot that was free and is taken", () => {
  it("with the requested staff member's alternatives first, each with end and staffName", async () => {
    const s = await session("simple-salon");
    const cut = s.services.find((x) => x.durationMinutes === 30)!.id;
    const [anna, ben] = s.staff;
    const date = nextDate(23);
    expect((await book(s, { serviceId: cut, staffId: ben!.id, start: at(date, "11:00") })).status).toBe(200);
    const taken = await book(s, { serviceId: cut, staffId: ben!.id, start: at(date, "11:00") });
    expect(taken.status).toBe(409);
    expect(taken.error!.data.reason).toBeUndefined();
    expect(taken.error!.message).toBe("the requested time is no longer free");
    expect(taken.error!.data.alternatives).toEqual([
      { start: at(date, "10:30"), end: at(date, "11:00"), staffId: ben!.id, staffName: ben!.name },
      { start: at(date, "11:30"), end: at(date, "12:00"), staffId: ben!.id, staffName: ben!.name },
      { start: at(date, "10:15"), end: at(date, "10:45"), staffId: ben!.id, staffName: ben!.name },
    ]);
    // without a staff member it is only taken when everyone is: the same start with someone else
    const anyone = await book(s, { serviceId: cut, start: at(date, "11:00") });
    expect(anyone.status).toBe(200);
    expect(anyone.data.staffId).not.toBe(ben!.id);
    expect([anna!.id, s.staff[2]!.id]).toContain(anyone.data.staffId);
  });

  it("malformed input still names its fields, each message said once", async () => {
    const s = await session("simple-salon");
    const res = await t.client.mutation("appointments.create", { branchId: s.branchId, serviceId: s.services[0]!.id, start: at(nextDate(24), "10:00"), customer: {}, idempotencyKey: key() }, s.token);
    expect(res.status).toBe(400);
    expect(res.error!.message).toBe("Invalid input: customer.phone: is required; customer.name: is required");
    expect(res.error!.data.fields).toEqual(["customer.phone", "customer.name"]);
  });
});
