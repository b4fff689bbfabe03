import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixtureCompany, createScratchDatabase, type FixtureCompany, type ScratchDatabase } from "./testing/index.js";

/** The EXCLUDE constraints are the last guard: these tests go around every application lock. */
let scratch: ScratchDatabase;
let f: FixtureCompany;

beforeAll(async () => {
  scratch = await createScratchDatabase();
  f = await createFixtureCompany(scratch.db, { staffCount: 2, rooms: 1 });
});
afterAll(async () => scratch?.drop());

const at = (hhmm: string, day = "2030-01-07") => new Date(`${day}T${hhmm}:00+01:00`);

const insert = (opts: { staff?: number; start: string; end: string; day?: string; before?: number; after?: number; room?: boolean; status?: "confirmed" | "cancelled" }) =>
  scratch.db.appointment.create({
    data: {
      companyId: f.companyId,
      branchId: f.branchId,
      staffId: f.staffIds[opts.staff ?? 0]!,
      serviceId: f.serviceIds.short,
      customerId: f.customerId,
      resourceId: opts.room ? f.roomIds[0]! : null,
      startsAt: at(opts.start, opts.day),
      endsAt: at(opts.end, opts.day),
      bufferBeforeMinutes: opts.before ?? 0,
      bufferAfterMinutes: opts.after ?? 0,
      status: opts.status ?? "confirmed",
      source: "api",
      correlationId: "test",
    },
  });

const exclusionViolation = (error: unknown) => {
  const text = JSON.stringify(error, Object.getOwnPropertyNames(error ?? {})) + String((error as Error)?.message);
  return text.includes("23P01") || text.includes("exclusion");
};

describe("appointments EXCLUDE constraints", () => {
  it("rejects an overlapping appointment of the same staff member", async () => {
    await insert({ start: "10:00", end: "11:00", day: "2030-01-07" });
    const error = await insert({ start: "10:30", end: "11:30", day: "2030-01-07" }).catch((e: unknown) => e);
    expect(exclusionViolation(error)).toBe(true);
    // another staff member at the same time is fine
    await expect(insert({ staff: 1, start: "10:30", end: "11:30", day: "2030-01-07" })).resolves.toBeTruthy();
  });

  it("allows back-to-back appointments", async () => {
    await insert({ start: "09:00", end: "09:30", day: "2030-01-08" });
    await expect(insert({ start: "09:30", end: "10:00", day: "2030-01-08" })).resolves.toBeTruthy();
  });

  it("counts buffers on both sides", async () => {
    // 10:00–11:30 with 15 min after → blocks until 11:45
    await insert({ start: "10:00", end: "11:30", after: 15, day: "2030-01-09" });
    expect(exclusionViolation(await insert({ start: "11:30", end: "12:00", day: "2030-01-09" }).catch((e: unknown) => e))).toBe(true);
    await expect(insert({ start: "11:45", end: "12:15", day: "2030-01-09" })).resolves.toBeTruthy();
    // a 15-minute buffer before at 12:30 reaches back into 12:15
    expect(exclusionViolation(await insert({ start: "12:25", end: "12:55", before: 15, day: "2030-01-09" }).catch((e: unknown) => e))).toBe(true);
    await expect(insert({ start: "12:30", end: "13:00", before: 15, day: "2030-01-09" })).resolves.toBeTruthy();
  });

  it("allows the slot again once the first appointment is cancelled", async () => {
    const first = await insert({ start: "14:00", end: "15:00", day: "2030-01-10" });
    expect(exclusionViolation(await insert({ start: "14:00", end: "15:00", day: "2030-01-10" }).catch((e: unknown) => e))).toBe(true);
    await scratch.db.appointment.update({ where: { id: first.id }, data: { status: "cancelled" } });
    await expect(insert({ start: "14:00", end: "15:00", day: "2030-01-10" })).resolves.toBeTruthy();
  });

  it("rejects two overlapping appointments in the same room, even with different staff", async () => {
    await insert({ staff: 0, start: "10:00", end: "11:00", room: true, day: "2030-01-11" });
    const error = await insert({ staff: 1, start: "10:30", end: "11:00", room: true, day: "2030-01-11" }).catch((e: unknown) => e);
    expect(exclusionViolation(error)).toBe(true);
    await expect(insert({ staff: 1, start: "11:00", end: "11:30", room: true, day: "2030-01-11" })).resolves.toBeTruthy();
  });

  it("computes the blocked range in the database, whatever the client sends", async () => {
    const appt = await insert({ start: "16:00", end: "16:30", before: 5, after: 10, day: "2030-01-12" });
    const [row] = await scratch.db.$queryRaw<{ blocked_from: Date; blocked_until: Date }[]>`
      SELECT blocked_from, blocked_until FROM appointments WHERE id = ${appt.id}::uuid`;
    expect(row!.blocked_from.toISOString()).toBe(at("15:55", "2030-01-12").toISOString());
    expect(row!.blocked_until.toISOString()).toBe(at("16:40", "2030-01-12").toISOString());
  });

  it("refuses an appointment that points at another company's staff member", async () => {
    const other = await createFixtureCompany(scratch.db, { staffCount: 1 });
    const error = await scratch.db.appointment
      .create({
        data: {
          companyId: f.companyId, branchId: f.branchId, staffId: other.staffIds[0]!, serviceId: f.serviceIds.short,
          customerId: f.customerId, startsAt: at("10:00", "2030-02-01"), endsAt: at("10:30", "2030-02-01"),
          source: "api", correlationId: "test",
        },
      })
      .catch((e: unknown) => e);
    expect(String((error as Error).message)).toMatch(/foreign key|Foreign key/i);
  });
});
