/** Minimal rows for integration tests that need a company with one branch, staff and services. */
import type { Db } from "../client.js";

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export interface FixtureCompany {
  companyId: string;
  branchId: string;
  staffIds: string[];
  serviceIds: { short: string; long: string };
  roomIds: string[];
  customerId: string;
}

/** A company open Mon–Sun 09:00–18:00 (Europe/Berlin) with `staffCount` staff offering both services. */
export const createFixtureCompany = async (
  db: Db,
  { staffCount = 2, rooms = 0, businessModel = "simple" as const, minNoticeMinutes = 0 } = {},
): Promise<FixtureCompany> => {
  const slug = `co-${unique()}`;
  const company = await db.company.create({
    data: { slug, name: `Fixture ${slug}`, businessModel, minNoticeMinutes },
  });
  const branch = await db.branch.create({
    data: { companyId: company.id, name: "Mitte", phoneNumber: `+49301${Math.floor(Math.random() * 1e7).toString().padStart(7, "0")}` },
  });
  const short = await db.service.create({
    data: { companyId: company.id, name: "Haarschnitt", durationMinutes: 30, priceMinor: 3500 },
  });
  const long = await db.service.create({
    data: { companyId: company.id, name: "Färben", durationMinutes: 90, bufferAfterMinutes: 15, priceMinor: 8900 },
  });
  const staffIds: string[] = [];
  for (let i = 0; i < staffCount; i++) {
    const staff = await db.staff.create({ data: { companyId: company.id, name: `Staff ${i + 1}` } });
    staffIds.push(staff.id);
    await db.staffBranch.create({ data: { companyId: company.id, staffId: staff.id, branchId: branch.id } });
    await db.staffSkill.createMany({
      data: [short.id, long.id].map((serviceId) => ({ companyId: company.id, staffId: staff.id, serviceId, level: 1 })),
    });
    await db.availabilityRule.createMany({
      data: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
        companyId: company.id, branchId: branch.id, staffId: staff.id, weekday, startMinute: 540, endMinute: 1080,
      })),
    });
  }
  const roomIds: string[] = [];
  for (let i = 0; i < rooms; i++) {
    const room = await db.resource.create({
      data: { companyId: company.id, branchId: branch.id, kind: "treatment_room", name: `Raum ${i + 1}` },
    });
    roomIds.push(room.id);
  }
  const customer = await db.customer.create({
    data: { companyId: company.id, phone: `+4917${Math.floor(Math.random() * 1e9).toString().padStart(9, "0")}`, name: "Erika Mustermann" },
  });
  return { companyId: company.id, branchId: branch.id, staffIds, serviceIds: { short: short.id, long: long.id }, roomIds, customerId: customer.id };
};
