import { notFound, type BranchSummary, type ResourceSummary, type ServiceSummary, type StaffSummary } from "@askproai/shared";
import type { OperationContext } from "../context.js";
import type { CompanyProfile } from "../process-caches.js";
import type { TenantDb } from "../tenant.js";

type Ctx = Pick<OperationContext, "db">;

/**
 * The company's zone and phone country, from the process's copy (at most one cache lifetime old).
 * Company-wide instants (an exception for every branch, a customer's creation) are answered in
 * this zone; national phone numbers are read in this country.
 */
export const companyProfileOf = async (ctx: Pick<OperationContext, "db" | "companyId" | "caches" | "now">): Promise<CompanyProfile> => {
  let profile = ctx.caches.companyProfiles.get(ctx.companyId, ctx.now());
  if (!profile) {
    const row = await ctx.db.company.findFirst({ select: { timezone: true, country: true } });
    if (!row) throw notFound("company");
    profile = { timezone: row.timezone, country: row.country };
    ctx.caches.companyProfiles.set(ctx.companyId, profile, ctx.now());
  }
  return profile;
};

export const listBranches = async ({ db }: Ctx): Promise<BranchSummary[]> =>
  db.branch.findMany({
    where: { isActive: true },
    orderBy: { name: "asc" },
    select: { id: true, name: true, timezone: true, phoneNumber: true, city: true },
  });

/** NOT_FOUND for a branch of another company as much as for one that does not exist. */
export const requireBranch = async (db: TenantDb, branchId: string) => {
  const branch = await db.branch.findUnique({ where: { id: branchId } });
  if (!branch || !branch.isActive) throw notFound("branch");
  return branch;
};

const serviceSelect = {
  id: true,
  name: true,
  durationMinutes: true,
  bufferBeforeMinutes: true,
  bufferAfterMinutes: true,
  priceMinor: true,
  currency: true,
  requiredSkillLevel: true,
  requiredResourceKind: true,
} as const;

/** Services of the company; with a branch, only those some staff member there offers. */
export const listServices = async ({ db }: Ctx, branchId?: string): Promise<ServiceSummary[]> => {
  if (branchId) await requireBranch(db, branchId);
  return db.service.findMany({
    where: {
      isActive: true,
      ...(branchId
        ? { skills: { some: { OR: [{ branchId }, { branchId: null }], staff: { isActive: true, branches: { some: { branchId } } } } } }
        : {}),
    },
    orderBy: { name: "asc" },
    select: serviceSelect,
  });
};

const NAME_ORDER = new Intl.Collator("de", { numeric: true, sensitivity: "base" });

/** Staff (of one branch, or all) with the services they do and their levels; skills limited to another branch are left out. */
export const listStaff = async ({ db }: Ctx, branchId?: string): Promise<StaffSummary[]> => {
  if (branchId) await requireBranch(db, branchId);
  const staff = await db.staff.findMany({
    where: { isActive: true, ...(branchId ? { branches: { some: { branchId } } } : {}) },
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      branches: { select: { branchId: true } },
      skills: {
        where: { service: { isActive: true }, ...(branchId ? { OR: [{ branchId: null }, { branchId }] } : {}) },
        select: { serviceId: true, level: true, branchId: true, service: { select: { name: true } } },
        orderBy: [{ service: { name: "asc" } }, { branchId: "asc" }],
      },
    },
  });
  // As people read names: "Aushilfe 2" before "Aushilfe 10", umlauts where a German reader expects them.
  return staff.sort((a, b) => NAME_ORDER.compare(a.name, b.name)).map((s) => ({
    id: s.id,
    name: s.name,
    branchIds: s.branches.map((b) => b.branchId),
    skills: s.skills.map((k) => ({ serviceId: k.serviceId, serviceName: k.service.name, level: k.level, branchId: k.branchId })),
  }));
};

/** Active resources (treatment rooms, …) of one branch or of all. */
export const listResources = async ({ db }: Ctx, branchId?: string): Promise<ResourceSummary[]> => {
  if (branchId) await requireBranch(db, branchId);
  return db.resource.findMany({
    where: { isActive: true, ...(branchId ? { branchId } : {}) },
    orderBy: [{ kind: "asc" }, { name: "asc" }],
    select: { id: true, name: true, kind: true, branchId: true },
  });
};
