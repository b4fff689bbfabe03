/**
 * The bench company: one "simple" company, one branch in Europe/Berlin, 10 staff who all offer a
 * 30-minute and a 60-minute service, open Mon–Sun 08:00–20:00, and 5 confirmed appointments per staff
 * member within the next 7 days so availability has busy intervals to subtract.
 *
 * Day offsets below count from TOMORROW (local): offset 0 = tomorrow. The bench keeps the regions
 * apart: seeded appointments in offsets 0–6, bookings from offset 7 on, contention at 60+, booking
 * warm-up at 90+, voice functions at 120+.
 */
import type { Db } from "@askproai/db";
import { hashPassword } from "@askproai/db/auth";
import { DateTime } from "luxon";

export const TIMEZONE = "Europe/Berlin";
export const STAFF_COUNT = 10;
/** The branch's own number: voice functions find the company and branch by the number called. */
export const BENCH_PHONE_NUMBER = "+493099900001";
export const OPEN_MINUTE = 8 * 60;
export const CLOSE_MINUTE = 20 * 60;
export const SEEDED_PER_STAFF = 5;
const SEEDED_DAY_OFFSETS = [0, 1, 3, 4, 6] as const;

export interface BenchFixture {
  companyId: string;
  branchId: string;
  timezone: string;
  staffIds: string[];
  services: { short: string; long: string };
  email: string;
  password: string;
  seededAppointments: number;
}

/** Tomorrow's local date in the bench zone (the first day every scenario uses). */
export const tomorrow = (now = DateTime.now()) => now.setZone(TIMEZONE).startOf("day").plus({ days: 1 });

/** "YYYY-MM-DD" of tomorrow + `offset` days. */
export const localDate = (offset: number) => tomorrow().plus({ days: offset }).toISODate()!;

/** An instant with offset, e.g. "2026-12-01T10:00:00.000+01:00", for local minute `minute` on day `offset`. */
export const localInstant = (offset: number, minute: number) =>
  tomorrow().plus({ days: offset }).set({ hour: Math.floor(minute / 60), minute: minute % 60 }).toISO()!;

export const seedBenchCompany = async (db: Db, runId: string): Promise<BenchFixture> => {
  const slug = `bench-${runId}`;
  const email = `desk@${slug}.example`;
  const password = `bench-pass-${runId}`;

  const company = await db.company.create({
    data: { slug, name: `Bench ${runId}`, businessModel: "simple", minNoticeMinutes: 0, horizonDays: 365, timezone: TIMEZONE },
  });
  const companyId = company.id;
  const branch = await db.branch.create({ data: { companyId, name: "Bench Mitte", timezone: TIMEZONE, phoneNumber: BENCH_PHONE_NUMBER } });
  const short = await db.service.create({ data: { companyId, name: "Kurz (30 min)", durationMinutes: 30, priceMinor: 3000 } });
  const long = await db.service.create({ data: { companyId, name: "Lang (60 min)", durationMinutes: 60, priceMinor: 6000 } });

  const staffIds: string[] = [];
  for (let i = 0; i < STAFF_COUNT; i++) {
    const staff = await db.staff.create({ data: { companyId, name: `Bench Staff ${i + 1}` } });
    staffIds.push(staff.id);
  }
  await db.staffBranch.createMany({ data: staffIds.map((staffId) => ({ companyId, staffId, branchId: branch.id })) });
  await db.staffSkill.createMany({
    data: staffIds.flatMap((staffId) => [short.id, long.id].map((serviceId) => ({ companyId, staffId, serviceId, level: 1 }))),
  });
  await db.availabilityRule.createMany({
    data: staffIds.flatMap((staffId) =>
      [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ companyId, branchId: branch.id, staffId, weekday, startMinute: OPEN_MINUTE, endMinute: CLOSE_MINUTE })),
    ),
  });

  await db.user.create({
    data: { companyId, email, name: "Bench Front Desk", role: "front_desk", passwordHash: await hashPassword(password) },
  });

  // 5 confirmed 60-minute appointments per staff member, spread over the next 7 days, 09:00–18:00.
  const customers = await db.customer.createManyAndReturn({
    data: Array.from({ length: STAFF_COUNT * SEEDED_PER_STAFF }, (_, i) => ({
      companyId,
      phone: `+4930100${String(i).padStart(5, "0")}`,
      name: `Seeded Customer ${i + 1}`,
    })),
    select: { id: true },
  });
  const appointments = staffIds.flatMap((staffId, s) =>
    SEEDED_DAY_OFFSETS.map((offset, k) => {
      const minute = (9 + ((s * 3 + k * 2) % 10)) * 60;
      return {
        companyId,
        branchId: branch.id,
        staffId,
        serviceId: long.id,
        customerId: customers[s * SEEDED_PER_STAFF + k]!.id,
        startsAt: new Date(localInstant(offset, minute)),
        endsAt: new Date(localInstant(offset, minute + 60)),
        status: "confirmed" as const,
        source: "desktop" as const,
        correlationId: `bench-seed-${runId}`,
        priceMinor: 6000,
        currency: "EUR",
      };
    }),
  );
  await db.appointment.createMany({ data: appointments });

  return {
    companyId,
    branchId: branch.id,
    timezone: TIMEZONE,
    staffIds,
    services: { short: short.id, long: long.id },
    email,
    password,
    seededAppointments: appointments.length,
  };
};
