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

let seq = 0;
const key = () => `it-${Date.now()}-${seq++}`;
const phone = () => `+49152${String(1000000 + seq++).slice(-7)}`;

const session = async (slug: string) => {
  const { token } = await client.login(`desk@${slug}.example`);
  const branches = (await client.query("directory.branches", undefined, token)).data as { id: string; name: string }[];
  const services = (await client.query("directory.services", undefined, token)).data as { id: string; name: string; durationMinutes: number }[];
  const staff = (await client.query("directory.staff", undefined, token)).data as { id: string; name: string }[];
  return { token, branches, services, staff };
};

describe("availability.slots and appointments over plain HTTP", () => {
  it("books as the contract shows, answers CONFLICT with alternatives, and stops offering the slot", async () => {
    const s = await session("simple-salon");
    const branchId = s.branches[0]!.id;
    const cut = s.services.find((x) => x.durationMinutes === 30)!;
    const date = nextDate(5);
    const avail = await client.query("availability.slots", { branchId, serviceId: cut.id, from: date, days: 1 }, s.token);
    expect(avail.status).toBe(200);
    expect(avail.data.timezone).toBe("Europe/Berlin");
    expect(avail.data.slots[0]).toEqual({ start: at(date, "09:00"), end: at(date, "09:30"), staffId: expect.any(String) });

    const staffId = avail.data.slots[0].staffId as string;
    const body = { branchId, serviceId: cut.id, staffId, start: at(date, "09:00"), customer: { phone: phone(), name: "Jana Kowalski" }, idempotencyKey: key() };
    const created = await client.mutation("appointments.create", body, s.token);
    expect(created.status).toBe(200);
    expect(created.data).toMatchObject({ id: expect.any(String), status: "confirmed", start: at(date, "09:00"), end: at(date, "09:30"), staffId, version: 1 });

    // the same idempotency key again: the same appointment
    const again = await client.mutation("appointments.create", body, s.token);
    expect(again.data.id).toBe(created.data.id);
    expect([created.data.replayed, again.data.replayed]).toEqual([false, true]);

    // the slot is gone for that staff member at once
    const after = await client.query("availability.slots", { branchId, serviceId: cut.id, from: date, days: 1 }, s.token);
    expect(after.data.slots.some((x: { start: string; staffId: string }) => x.start === at(date, "09:00") && x.staffId === staffId)).toBe(false);

    // another booking of that exact slot: CONFLICT with alternatives
    const taken = await client.mutation("appointments.create", { ...body, idempotencyKey: key() }, s.token);
    expect(taken.status).toBe(409);
    expect(taken.error!.data.code).toBe("CONFLICT");
    const alternatives = taken.error!.data.alternatives!;
    expect(alternatives.length).toBeGreaterThan(0);
    expect(alternatives.length).toBeLessThanOrEqual(3);
    expect(alternatives[0]).toEqual({
      start: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/), end: expect.stringMatching(/[+-]\d\d:\d\d$/), staffId, staffName: expect.any(String),
    });

    // list shows it with the customer
    const list = await client.query("appointments.list", { branchId, from: at(date, "00:00"), to: at(date, "23:59") }, s.token);
    expect(list.data).toEqual([
      expect.objectContaining({ id: created.data.id, status: "confirmed", staffId, serviceId: cut.id, customer: expect.objectContaining({ name: "Jana Kowalski", phone: body.customer.phone }) }),
    ]);
  });

  it("reschedules with optimistic locking and cancels", async () => {
    const s = await session("simple-salon");
    const branchId = s.branches[0]!.id;
    const cut = s.services.find((x) => x.durationMinutes === 30)!;
    const date = nextDate(6);
    const created = (await client.mutation("appointments.create", {
      branchId, serviceId: cut.id, start: at(date, "10:00"), customer: { phone: phone(), name: "Paul Schmidt" }, idempotencyKey: key(),
    }, s.token)).data;
    const moved = await client.mutation("appointments.reschedule", { id: created.id, start: at(date, "11:00"), expectedVersion: created.version }, s.token);
    expect(moved.status).toBe(200);
    expect(moved.data).toMatchObject({ id: created.id, start: at(date, "11:00"), version: created.version + 1 });

    const stale = await client.mutation("appointments.reschedule", { id: created.id, start: at(date, "12:00"), expectedVersion: created.version }, s.token);
    expect(stale.status).toBe(412);
    expect(stale.error!.data.code).toBe("PRECONDITION_FAILED");

    const cancelled = await client.mutation("appointments.cancel", { id: created.id, reason: "Termin passt nicht" }, s.token);
    expect(cancelled.data).toMatchObject({ id: created.id, status: "cancelled" });
  });

  it("rejects malformed bookings naming the fields, and writes nothing", async () => {
    const s = await session("simple-salon");
    const counts = () => Promise.all([api.scratch.db.appointment.count(), api.scratch.db.customer.count(), api.scratch.db.outboxEvent.count(), api.scratch.db.appointmentLock.count()]);
    const before = await counts();
    const res = await client.mutation("appointments.create", {
      branchId: s.branches[0]!.id, serviceId: "nope", start: "tomorrow at ten", customer: { phone: "030/CALL-ME", name: "" }, idempotencyKey: "k",
    }, s.token);
    expect(res.status).toBe(400);
    expect(res.error!.data.fields).toEqual(expect.arrayContaining(["serviceId", "start", "customer.phone", "customer.name", "idempotencyKey"]));
    expect(res.error!.message).toContain("customer.phone: must be a phone number");
    const days = await client.query("availability.slots", { branchId: s.branches[0]!.id, serviceId: s.services[0]!.id, from: "2026-13-01", days: 40 }, s.token);
    expect(days.status).toBe(400);
    expect(days.error!.data.fields).toEqual(expect.arrayContaining(["from", "days"]));
    expect(await counts()).toEqual(before);
  });

  it("answers the fast path and the tRPC path identically", async () => {
    const s = await session("simple-salon");
    const input = { branchId: s.branches[0]!.id, serviceId: s.services[0]!.id, from: nextDate(7), days: 3 };
    const fast = await client.query("availability.slots", input, s.token);
    const url = `${api.baseUrl}/trpc/availability.slots?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: input }))}`;
    const batched = (await (await fetch(url, { headers: { authorization: `Bearer ${s.token}` } })).json()) as { result: { data: unknown } }[];
    expect(fast.data.slots.length).toBeGreaterThan(50);
    expect(fast.data).toEqual(batched[0]!.result.data);
    // errors have one shape, whichever path answered them
    expect((await client.query("availability.slots", input, "bad-token")).status).toBe(401);
    const foreign = { ...input, branchId: "00000000-0000-4000-8000-000000000000" };
    const fastError = await client.query("availability.slots", foreign, s.token);
    const batchUrl = `${api.baseUrl}/trpc/availability.slots?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: foreign }))}`;
    const batchError = ((await (await fetch(batchUrl, { headers: { authorization: `Bearer ${s.token}` } })).json()) as { error: { data: Record<string, unknown> } }[])[0]!;
    expect(fastError.status).toBe(404);
    const withoutId = (e: { data: Record<string, unknown> }) => ({ ...e, data: { ...e.data, correlationId: undefined } });
    expect(withoutId(fastError.error!)).toEqual(withoutId(batchError.error));
  });
});

describe("tenant isolation over HTTP", () => {
  it("another company's ids get NOT_FOUND from availability, list, cancel and reschedule, and change nothing", async () => {
    const salon = await session("simple-salon");
    const spa = await session("matrix-spa");
    const date = nextDate(8);
    const theirs = (await client.mutation("appointments.create", {
      branchId: spa.branches[0]!.id, serviceId: spa.services.find((x) => x.name === "Maniküre")!.id, start: at(date, "12:00"),
      customer: { phone: phone(), name: "Eva Braun" }, idempotencyKey: key(),
    }, spa.token)).data;
    expect(theirs.status).toBe("confirmed");

    const calls = [
      // one foreign id at a time: their branch with our service, our branch with their service
      client.query("availability.slots", { branchId: spa.branches[0]!.id, serviceId: salon.services[0]!.id, from: date, days: 1 }, salon.token),
      client.query("availability.slots", { branchId: salon.branches[0]!.id, serviceId: spa.services[0]!.id, from: date, days: 1 }, salon.token),
      client.query("appointments.list", { branchId: spa.branches[0]!.id, from: at(date, "00:00"), to: at(date, "23:59") }, salon.token),
      client.mutation("appointments.cancel", { id: theirs.id }, salon.token),
      client.mutation("appointments.reschedule", { id: theirs.id, start: at(date, "14:00"), expectedVersion: 1 }, salon.token),
      client.mutation("appointments.markNoShow", { id: theirs.id }, salon.token),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.status).toBe(404);
      expect(res.error!.data.code).toBe("NOT_FOUND");
    }
    const row = await api.scratch.db.appointment.findUniqueOrThrow({ where: { id: theirs.id } });
    expect([row.status, row.version]).toEqual(["confirmed", 1]);
  });
});

describe("complex_service_matrix (matrix-spa): skills, levels and rooms", () => {
  it("offers a service only to staff at the required level, and needs a free room for the whole appointment", async () => {
    const s = await session("matrix-spa");
    const branchId = s.branches[0]!.id;
    const byName = (n: string) => s.staff.find((x) => x.name === n)!.id;
    const service = (n: string) => s.services.find((x) => x.name === n)!.id;
    const date = nextDate(9);

    // Klassische Massage needs level 2: Sabine (3) and Jonas (2), not Aylin (1) or Mia (1)
    const classic = await client.query("availability.slots", { branchId, serviceId: service("Klassische Massage"), from: date, days: 1 }, s.token);
    expect(new Set(classic.data.slots.map((x: { staffId: string }) => x.staffId))).toEqual(new Set([byName("Sabine Krüger"), byName("Jonas Weber")]));
    const mia = await client.query("availability.slots", { branchId, serviceId: service("Klassische Massage"), staffId: byName("Mia Schulz"), from: date, days: 1 }, s.token);
    expect(mia.data.slots).toEqual([]);
    const miaBooking = await client.mutation("appointments.create", {
      branchId, serviceId: service("Klassische Massage"), staffId: byName("Mia Schulz"), start: at(date, "11:00"), customer: { phone: phone(), name: "A" }, idempotencyKey: key(),
    }, s.token);
    expect(miaBooking.error!.data).toMatchObject({ code: "BAD_REQUEST", reason: "staff_not_eligible", fields: ["staffId"] });

    // two rooms: two room services at 11:00 fit, a third one does not, a service without a room does
    const book = (staff: string, svc: string) =>
      client.mutation("appointments.create", {
        branchId, serviceId: service(svc), staffId: byName(staff), start: at(date, "11:00"), customer: { phone: phone(), name: "Gast" }, idempotencyKey: key(),
      }, s.token);
    const [a, b] = await Promise.all([book("Sabine Krüger", "Klassische Massage"), book("Jonas Weber", "Klassische Massage")]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const rooms = await api.scratch.db.appointment.findMany({ where: { id: { in: [a.data.id, b.data.id] } }, select: { resourceId: true } });
    expect(rooms.every((r) => r.resourceId)).toBe(true);
    expect(new Set(rooms.map((r) => r.resourceId)).size).toBe(2);

    const facial = await book("Aylin Demir", "Gesichtsbehandlung");
    expect(facial.status).toBe(409);
    expect(facial.error!.data.alternatives!.every((alt) => alt.start !== at(date, "11:00"))).toBe(true);
    const facialSlots = await client.query("availability.slots", { branchId, serviceId: service("Gesichtsbehandlung"), from: date, days: 1 }, s.token);
    expect(facialSlots.data.slots.some((x: { start: string }) => x.start === at(date, "11:00"))).toBe(false);

    expect((await book("Mia Schulz", "Maniküre")).status).toBe(200);
  });
});
