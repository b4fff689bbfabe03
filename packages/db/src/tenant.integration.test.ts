import { DomainError } from "@askproai/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "./client.js";
import { GLOBAL_MODELS, TENANT_MODELS, forCompany } from "./tenant.js";
import { createFixtureCompany, createScratchDatabase, type FixtureCompany, type ScratchDatabase } from "./testing/index.js";

describe("tenant model coverage", () => {
  it("every model is either company-owned (has companyId) or explicitly global", () => {
    const uncovered = Object.values(Prisma.ModelName).filter((m) => !TENANT_MODELS.has(m) && !(m in GLOBAL_MODELS));
    expect(uncovered).toEqual([]);
  });

  it("no global model secretly carries companyId", () => {
    expect(Object.keys(GLOBAL_MODELS).filter((m) => TENANT_MODELS.has(m))).toEqual([]);
  });

  it("covers the models the spec found unscoped", () => {
    for (const m of ["Appointment", "Customer", "Staff", "Service", "Branch", "AvailabilityRule", "StaffSkill", "Resource", "OutboxEvent", "AppointmentAudit", "CallRecord", "Session"]) {
      expect(TENANT_MODELS.has(m), m).toBe(true);
    }
  });
});

describe("forCompany()", () => {
  let scratch: ScratchDatabase;
  let a: FixtureCompany;
  let b: FixtureCompany;

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    a = await createFixtureCompany(scratch.db, { staffCount: 2 });
    b = await createFixtureCompany(scratch.db, { staffCount: 3 });
  });
  afterAll(async () => scratch?.drop());

  it("filters reads to the own company", async () => {
    const dbA = forCompany(scratch.db, a.companyId);
    expect((await dbA.staff.findMany()).map((s) => s.id).sort()).toEqual([...a.staffIds].sort());
    expect(await dbA.staff.count()).toBe(2);
    expect(await dbA.branch.findUnique({ where: { id: b.branchId } })).toBeNull();
    expect(await dbA.service.findFirst({ where: { id: b.serviceIds.short } })).toBeNull();
    // a caller-supplied companyId cannot widen the scope
    expect(await dbA.staff.findMany({ where: { companyId: b.companyId } })).toHaveLength(2);
    expect((await dbA.company.findMany()).map((c) => c.id)).toEqual([a.companyId]);
  });

  it("cannot update or delete another company's rows", async () => {
    const dbA = forCompany(scratch.db, a.companyId);
    await expect(dbA.staff.update({ where: { id: b.staffIds[0]! }, data: { name: "hijacked" } })).rejects.toThrow();
    expect((await dbA.staff.updateMany({ where: { id: b.staffIds[0]! }, data: { name: "hijacked" } })).count).toBe(0);
    expect((await dbA.customer.deleteMany({ where: { id: b.customerId } })).count).toBe(0);
    const untouched = await scratch.db.staff.findUnique({ where: { id: b.staffIds[0]! } });
    expect(untouched?.name).not.toBe("hijacked");
    expect(await scratch.db.customer.count({ where: { companyId: b.companyId } })).toBe(1);
  });

  it("stamps creates with the own company and refuses a foreign companyId", async () => {
    const dbA = forCompany(scratch.db, a.companyId);
    const created = await dbA.customer.create({ data: { phone: "+4915112345678", name: "Max Muster" } as never });
    expect(created.companyId).toBe(a.companyId);
    await expect(dbA.customer.create({ data: { companyId: b.companyId, phone: "+4915112345679", name: "X" } })).rejects.toBeInstanceOf(DomainError);
    await expect(dbA.staff.update({ where: { id: a.staffIds[0]! }, data: { companyId: b.companyId } })).rejects.toBeInstanceOf(DomainError);
  });

  it("keeps the scope inside interactive transactions", async () => {
    const dbA = forCompany(scratch.db, a.companyId);
    const count = await dbA.$transaction(async (tx) => tx.staff.count());
    expect(count).toBe(2);
  });
});
